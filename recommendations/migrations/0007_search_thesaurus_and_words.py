"""The search thesaurus and lexicon, pg_trgm, and the thesaurus's first entries.

- `ThesaurusEntry`: terms that mean the same to someone searching, kept by the Secretariat in
  the admin. Seeded below with the domain's abbreviations, word forms the stemmer keeps apart,
  and the French terms of the Working Group's documents for the English ones of the texts.
- `SearchWord`: every word of the searchable texts, filled below from the data already
  loaded (later saves keep it up to date, see recommendations/receivers.py).
- On PostgreSQL, the pg_trgm extension and a trigram GIN index on the words, which answers
  "which words look like this one" (misspellings, other forms). SQLite has neither: there the
  two operations do nothing, and the search compares words in Python.
"""

from django.db import migrations, models

from core.text import word_key, words

TRIGRAM_INDEX = "recommendations_searchword_trgm"

# One entry per line of thought; every term of an entry finds the others. French terms are
# those of the United Nations' French texts (Protocole relatif au trafic illicite de
# migrants, Convention contre la criminalité transnationale organisée).
INITIAL_ENTRIES = [
    # The people, and what is done: "passeurs" are smugglers, not smuggling.
    (["smuggler", "smugglers", "passeur", "passeurs"], ""),
    (["smuggler", "smugglers", "smuggling", "smuggled", "smuggle"], ""),
    (
        [
            "smuggling of migrants",
            "migrant smuggling",
            "SOM",
            "trafic illicite de migrants",
            "trafic de migrants",
        ],
        "",
    ),
    (
        [
            "Smuggling of Migrants Protocol",
            "SOM Protocol",
            "Migrants Protocol",
            "Protocole relatif au trafic illicite de migrants",
        ],
        "",
    ),
    # The people, and what they do: "procureurs" are prosecutors, "poursuites" prosecutions.
    (
        [
            "prosecutor",
            "prosecutors",
            "prosecutorial",
            "procureur",
            "procureurs",
            "ministère public",
        ],
        "",
    ),
    (
        [
            "prosecution",
            "prosecutions",
            "prosecute",
            "prosecuted",
            "prosecutor",
            "prosecutorial",
            "poursuite",
            "poursuites",
        ],
        "",
    ),
    (
        [
            "JIT",
            "JITs",
            "joint investigation team",
            "joint investigation teams",
            "joint investigative teams",
            "ECE",
            "équipe commune d'enquête",
            "équipes communes d'enquête",
        ],
        "",
    ),
    (["MLA", "mutual legal assistance", "entraide judiciaire"], ""),
    (
        [
            "UNTOC",
            "Organized Crime Convention",
            "United Nations Convention against Transnational Organized Crime",
            "Palermo Convention",
            "Convention contre la criminalité transnationale organisée",
        ],
        "",
    ),
    (["UNODC", "United Nations Office on Drugs and Crime", "ONUDC"], ""),
    (
        [
            "TIP",
            "trafficking in persons",
            "human trafficking",
            "traite des personnes",
            "traite des êtres humains",
        ],
        "",
    ),
    (["ICT", "information and communications technology", "TIC"], ""),
    (["COVID-19", "COVID", "coronavirus", "coronavirus disease"], ""),
    (["pandemic", "pandémie"], ""),
    (["crisis", "crises", "crise"], ""),
    (["hotspot", "hotspots", "hot spot", "hot spots"], ""),
    # "numérique" is digital, "électronique" electronic; an e-evidence search wants both.
    (["digital evidence", "e-evidence", "preuve numérique", "preuves numériques"], ""),
    (["electronic evidence", "e-evidence", "preuve électronique", "preuves électroniques"], ""),
    (["cyberspace", "cyber", "online", "Internet", "cyberespace", "en ligne"], ""),
    (["social media", "réseaux sociaux", "médias sociaux"], ""),
    (
        [
            "awareness-raising",
            "public awareness",
            "information campaigns",
            "sensibilisation",
            "sensibilisation du public",
        ],
        "",
    ),
    (["capacity-building", "capacity building", "renforcement des capacités"], ""),
    (["training", "formation"], ""),
    (["law enforcement", "police", "services de détection et de répression"], ""),
    (["border management", "border control", "gestion des frontières"], ""),
    (["data collection", "collecte de données", "données"], ""),
    (["contact points", "focal points", "points de contact"], ""),
    (["smuggled migrants", "migrants objet d'un trafic illicite"], ""),
    (["videoconference", "videoconferences", "video conference", "visioconférence"], ""),
    (["international cooperation", "coopération internationale"], ""),
    (["investigation", "investigations", "enquête", "enquêtes"], ""),
    (["root causes", "causes profondes"], ""),
    (["money-laundering", "money laundering", "blanchiment d'argent"], ""),
    (["proceeds of crime", "produit du crime"], ""),
    (["women and children", "femmes et enfants"], ""),
    (["unaccompanied children", "enfants non accompagnés"], ""),
    (["children", "enfants"], ""),
    (["human rights", "droits de l'homme"], ""),
    (["smuggling by sea", "par mer", "maritime"], ""),
    (["smuggling by air", "par voie aérienne", "aérien", "air"], ""),
    (["technology", "technologie", "technologies"], ""),
    (["prevention", "prévention"], ""),
    (
        [
            "Global Compact",
            "Global Compact for Safe, Orderly and Regular Migration",
            "Pacte mondial",
        ],
        "",
    ),
    (["COP", "Conference of the Parties", "Conférence des Parties"], ""),
    (
        [
            "WGSOM",
            "Working Group on Smuggling of Migrants",
            "Working Group on the Smuggling of Migrants",
            "Groupe de travail sur le trafic illicite de migrants",
        ],
        "",
    ),
]


def seed_thesaurus(apps, schema_editor):
    ThesaurusEntry = apps.get_model("recommendations", "ThesaurusEntry")
    ThesaurusEntry.objects.bulk_create(
        ThesaurusEntry(terms="\n".join(terms), note=note) for terms, note in INITIAL_ENTRIES
    )


def unseed_thesaurus(apps, schema_editor):
    apps.get_model("recommendations", "ThesaurusEntry").objects.all().delete()


def fill_search_words(apps, schema_editor):
    """The words of the data loaded before this migration (a fresh database has none)."""
    SearchWord = apps.get_model("recommendations", "SearchWord")
    sources = [
        (apps.get_model("recommendations", "Recommendation"), ("text", "chapeau", "section_title")),
        (apps.get_model("meetings", "Document"), ("title", "summary")),
        (apps.get_model("meetings", "AgendaItem"), ("title",)),
    ]
    found = set()
    for model, fields in sources:
        for row in model.objects.values_list(*fields):
            for value in row:
                found.update(w for w in words(value or "") if len(w) <= 60)
    SearchWord.objects.bulk_create(
        [SearchWord(word=w, key=word_key(w)) for w in sorted(found)],
        batch_size=1000,
        ignore_conflicts=True,
    )


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Not django.contrib.postgres's TrigramExtension: its reverse queries pg_extension even on
    # SQLite. The extension is left in place when migrating back, as other objects may use it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON recommendations_searchword "
        "USING GIN (word gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0006_alter_historicalrecommendation_loaded_checksum_and_more"),
        ("meetings", "0003_alter_agendaitem_loaded_checksum_and_more"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.CharField(max_length=60, unique=True)),
                (
                    "key",
                    models.CharField(
                        db_index=True,
                        help_text="core.text.word_key(word): shared by its forms.",
                        max_length=60,
                    ),
                ),
            ],
            options={
                "ordering": ["word"],
            },
        ),
        migrations.CreateModel(
            name="ThesaurusEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "terms",
                    models.TextField(
                        help_text="One term per line: a word, a phrase or an abbreviation, in any language. A search for any of them also finds the others.",
                        verbose_name="terms",
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=200, verbose_name="note")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
            ],
            options={
                "verbose_name": "thesaurus entry",
                "verbose_name_plural": "thesaurus entries",
                "ordering": ["terms"],
            },
        ),
        migrations.RunPython(create_trigram_index, drop_trigram_index, elidable=False),
        migrations.RunPython(seed_thesaurus, unseed_thesaurus, elidable=False),
        migrations.RunPython(fill_search_words, migrations.RunPython.noop, elidable=False),
    ]
