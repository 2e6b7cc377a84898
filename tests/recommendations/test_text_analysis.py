"""Reading recommendations: addressee, strength of language, legal references and themes.

Pure functions, no database. The tables below were written by reading each recommendation in the
source documents (seeds 000, 001, 004); every recommendation in the data files is checked
against them, so a change to the rules or to the data that alters a reading shows up here.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from ingest.report_parser import parse_report_file
from recommendations.text_analysis import (
    detect_addressee,
    detect_legal_references,
    detect_strength,
    load_theme_rules,
    matching_terms,
    themes_for,
)

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
RULES_PATH = DATA_DIR / "theme_rules.yaml"

SP, ST, SEC = "states_parties", "states", "secretariat"
SHOULD, ENCOURAGED, MAY_CONSIDER = "should", "encouraged", "may_consider"

CJ = "criminal-justice-responses"
CRISES = "impact-of-crises"
COOPERATION = "international-cooperation"
AIR = "smuggling-by-air"
SEA = "smuggling-by-sea"
INTERPRETATION = "interpretation-and-use-of-the-protocol-and-convention"
PROTECTION = "protection-of-smuggled-migrants"
PREVENTION = "prevention"
TECHNOLOGY = "technology"


def convention(article: int | None = None, paragraph: str | None = None) -> dict[str, Any]:
    return {"instrument": "convention", "article": article, "paragraph": paragraph}


def protocol(article: int | None = None, paragraph: str | None = None) -> dict[str, Any]:
    return {"instrument": "protocol", "article": article, "paragraph": paragraph}


# id -> (addressee, strength, legal references). Read from the texts:
# - 2020 Rec 5 is the only one addressed to "States" ("States, supported by international
#   organizations when requested, should"); all others to States parties ("State parties" in US
#   proposals 1 and 3).
# - 2020 Rec 8 "are encouraged to consider" is encouraging; Rec 12 "may consider" is the only
#   permissive text; Rec 16 "should endeavour", 17/18 "should encourage", 21 "should consider"
#   are firm.
# - The 2018 items take subject and modal from their chapeau "States Parties should:", so all
#   16 are firm, including 1 (d) "Consider deploying ..." and 2 (g) "Encourage all States ...".
# - References: 2020 Rec 8 cites article 19 of the Convention; Rec 14 the Protocol; 2018 1 (a)
#   "through UNTOC", 1 (b) "UNTOC and the Smuggling of Migrants Protocol", 1 (f) the Protocol;
#   US proposal 2 "Consistent with the Protocol". "UNODC Case Law Database on Smuggling of
#   Migrants" (2018 2 (g)) and "Working Group on Smuggling of Migrants" (2 (d)) cite nothing.
EXPECTED: dict[str, tuple[str, str, list[dict[str, Any]]]] = {
    "2020-adopted-1": (SP, ENCOURAGED, []),
    "2020-adopted-2": (SP, SHOULD, []),
    "2020-adopted-3": (SP, SHOULD, []),
    "2020-adopted-4": (SP, SHOULD, []),
    "2020-adopted-5": (ST, SHOULD, []),
    "2020-adopted-6": (SP, SHOULD, []),
    "2020-adopted-7": (SP, SHOULD, []),
    "2020-adopted-8": (SP, ENCOURAGED, [convention(19)]),
    "2020-adopted-9": (SP, SHOULD, []),
    "2020-adopted-10": (SP, SHOULD, []),
    "2020-adopted-11": (SP, ENCOURAGED, []),
    "2020-adopted-12": (SP, MAY_CONSIDER, []),
    "2020-adopted-13": (SP, SHOULD, []),
    "2020-adopted-14": (SP, ENCOURAGED, [protocol()]),
    "2020-adopted-15": (SP, SHOULD, []),
    "2020-adopted-16": (SP, SHOULD, []),
    "2020-adopted-17": (SP, SHOULD, []),
    "2020-adopted-18": (SP, SHOULD, []),
    "2020-adopted-19": (SP, ENCOURAGED, []),
    "2020-adopted-20": (SP, ENCOURAGED, []),
    "2020-adopted-21": (SP, SHOULD, []),
    "2020-adopted-22": (SP, SHOULD, []),
    "2018-draft-1(a)": (SP, SHOULD, [convention()]),
    "2018-draft-1(b)": (SP, SHOULD, [convention(), protocol()]),
    "2018-draft-1(c)": (SP, SHOULD, []),
    "2018-draft-1(d)": (SP, SHOULD, []),
    "2018-draft-1(e)": (SP, SHOULD, []),
    "2018-draft-1(f)": (SP, SHOULD, [protocol()]),
    "2018-draft-1(g)": (SP, SHOULD, []),
    "2018-draft-1(h)": (SP, SHOULD, []),
    "2018-draft-1(i)": (SP, SHOULD, []),
    "2018-draft-2(a)": (SP, SHOULD, []),
    "2018-draft-2(b)": (SP, SHOULD, []),
    "2018-draft-2(c)": (SP, SHOULD, []),
    "2018-draft-2(d)": (SP, SHOULD, []),
    "2018-draft-2(e)": (SP, SHOULD, []),
    "2018-draft-2(f)": (SP, SHOULD, []),
    "2018-draft-2(g)": (SP, SHOULD, []),
    "2020-us-proposal-1": (SP, SHOULD, []),
    "2020-us-proposal-2": (SP, SHOULD, [protocol()]),
    "2020-us-proposal-3": (SP, ENCOURAGED, []),
    "2020-us-proposal-4": (SP, ENCOURAGED, []),
    "2020-us-proposal-5": (SP, ENCOURAGED, []),
    "2020-us-proposal-6": (SP, SHOULD, []),
    "2020-us-proposal-7": (SP, SHOULD, []),
    "2020-us-proposal-8": (SP, SHOULD, []),
    "2020-us-proposal-9": (SP, SHOULD, []),
}


# --- The recommendations in the data files --------------------------------------------------------
# The 2020 and 2018 recommendations are read from the reports the meeting files name, by the report
# parser, as load_wgsom reads them; the proposals from their YAML list.

SOURCES = (
    # file, key of the list (None: read from the meeting's report), id prefix
    ("meeting_07_2020.yaml", None, "2020-adopted"),
    ("meeting_05_2018.yaml", None, "2018-draft"),
    ("proposals_2020_united_states.yaml", "proposals", "2020-us-proposal"),
)


def _label_key(label: Any) -> str:
    """ "Recommendation 8" or 8 -> "8"; "1 (a)" -> "1(a)"."""
    text = re.sub(r"^(?:recommendation|proposal)\s+", "", str(label).strip(), flags=re.I)
    return re.sub(r"\s+", "", text)


def _load_corpus() -> tuple[list[dict[str, str]], list[str]]:
    records: list[dict[str, str]] = []
    missing: list[str] = []
    for filename, key, prefix in SOURCES:
        path = DATA_DIR / filename
        if not path.exists():
            missing.append(filename)
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        rows = data.get(key) or [] if key else _report_rows(data)
        for row in rows:
            records.append(
                {
                    "id": f"{prefix}-{_label_key(row['label'])}",
                    "text": row["text"],
                    "chapeau": row.get("chapeau") or "",
                    "section_title": row.get("section_title") or "",
                }
            )
    return records, missing


def _report_rows(data: dict[str, Any]) -> list[dict[str, str]]:
    report = parse_report_file(DATA_DIR / data["report"]["file"])
    return [
        {
            "label": item.label,
            "text": item.text,
            "chapeau": item.chapeau,
            "section_title": item.section_title,
        }
        for item in report.recommendations
    ]


CORPUS, MISSING_FILES = _load_corpus()
CORPUS_PARAMS = [pytest.param(record, id=record["id"]) for record in CORPUS] + [
    pytest.param(None, id=f"missing-{name}") for name in MISSING_FILES
]


def _record(record: dict[str, str] | None) -> dict[str, str]:
    if record is None:
        pytest.fail(f"data files missing from {DATA_DIR}: {', '.join(MISSING_FILES)}")
    return record


@pytest.fixture(scope="module")
def rules() -> dict[str, list[str]]:
    return load_theme_rules(RULES_PATH)


def test_the_expected_table_covers_exactly_the_recommendations_in_the_data():
    assert not MISSING_FILES, f"data files missing from {DATA_DIR}: {MISSING_FILES}"
    ids = [record["id"] for record in CORPUS]
    assert len(ids) == len(set(ids)) == 47
    assert set(ids) == set(EXPECTED)


@pytest.mark.parametrize("record", CORPUS_PARAMS)
def test_addressee_strength_and_references_of_every_recommendation(record):
    record = _record(record)
    addressee, strength, references = EXPECTED[record["id"]]
    assert detect_addressee(record["text"], record["chapeau"]) == addressee
    assert detect_strength(record["text"], record["chapeau"]) == strength
    assert detect_legal_references(record["text"]) == references


@pytest.mark.parametrize("record", CORPUS_PARAMS)
def test_every_recommendation_gets_at_least_one_theme(record, rules):
    record = _record(record)
    themes = themes_for(text=record["text"], section_title=record["section_title"], rules=rules)
    assert themes
    assert set(themes) <= set(rules)


def _themes_of(record_id: str, rules: dict[str, list[str]]) -> list[str]:
    by_id = {record["id"]: record for record in CORPUS}
    if record_id not in by_id:
        pytest.fail(f"{record_id} not found in the data files (missing: {MISSING_FILES})")
    record = by_id[record_id]
    return themes_for(text=record["text"], section_title=record["section_title"], rules=rules)


@pytest.mark.parametrize(
    ("record_id", "must_include"),
    [
        # Joint investigative teams under article 19 of the Convention, using videoconferences.
        ("2020-adopted-8", {TECHNOLOGY, COOPERATION, CJ, INTERPRETATION}),
        # Sharing information on pandemic outbreaks and hotspots along smuggling routes.
        ("2020-adopted-13", {CRISES, COOPERATION}),
        ("2020-us-proposal-9", {CRISES, COOPERATION}),
        # Forums on the misuse of cyberspace and on digital evidence.
        ("2020-us-proposal-1", {TECHNOLOGY}),
        # Reception of smuggled migrants arriving because of crises.
        ("2020-adopted-1", {CRISES, PROTECTION}),
        # Awareness-raising on the risks of smuggling in times of crisis.
        ("2020-adopted-4", {CRISES, PREVENTION}),
        # Social services and health care for smuggled migrants during COVID-19.
        ("2020-adopted-6", {CRISES, PROTECTION}),
        # Technology in the criminal justice system during crises.
        ("2020-adopted-7", {CRISES, TECHNOLOGY, CJ}),
        # Dedicated prosecutorial teams for investigation in cyberspace.
        ("2020-adopted-21", {TECHNOLOGY, CJ}),
        # A section on criminal justice responses, including international cooperation.
        ("2018-draft-1(c)", {CJ, COOPERATION}),
        # Cooperation with consular representatives to assist smuggled migrants.
        ("2018-draft-1(e)", {CJ, COOPERATION, PROTECTION}),
        # Root socioeconomic causes, addressed through international cooperation.
        ("2018-draft-2(a)", {COOPERATION, PREVENTION}),
        ("2018-draft-2(b)", {PROTECTION}),
        ("2018-draft-2(c)", {PREVENTION}),
        # Use of the Smuggling of Migrants Protocol.
        ("2018-draft-1(f)", {INTERPRETATION}),
    ],
)
def test_anchor_theme_tags(record_id, must_include, rules):
    assert must_include <= set(_themes_of(record_id, rules))


@pytest.mark.parametrize(
    ("record_id", "must_not_include"),
    [
        # Reception planning is no criminal justice matter, although its section's title speaks
        # of law enforcement cooperation to "detect, investigate and prosecute".
        ("2020-adopted-1", {CJ, COOPERATION}),
        # "safeguards for privacy and human rights" protect suspects, not smuggled migrants.
        ("2020-adopted-11", {PROTECTION}),
        ("2020-adopted-17", {PROTECTION}),
        # "social media" is technology, not the media of prevention campaigns.
        ("2020-us-proposal-5", {PREVENTION}),
        # The Protocol's full name ("by Land, Sea and Air") is no sign of smuggling by sea or air.
        ("2018-draft-1(b)", {SEA, AIR}),
    ],
)
def test_theme_tags_the_rule_must_not_give(record_id, must_not_include, rules):
    assert not must_not_include & set(_themes_of(record_id, rules))


def test_the_tag_table_in_theme_rule_md_is_what_the_rule_gives(rules):
    """data/THEME_RULE.md shows the tags of all 47; it must not drift from the rule."""
    rows = re.findall(
        r"^\|\s*(20\d\d-[\w()-]+)\s*\|\s*([^|]+?)\s*\|",
        (DATA_DIR / "THEME_RULE.md").read_text(),
        re.M,
    )
    documented = {record_id: [s.strip() for s in slugs.split(",")] for record_id, slugs in rows}
    assert set(documented) == set(EXPECTED)
    computed = {
        record["id"]: themes_for(
            text=record["text"], section_title=record["section_title"], rules=rules
        )
        for record in CORPUS
    }
    assert documented == computed


def test_the_rule_names_exactly_the_nine_themes_of_the_compendium(rules):
    assert list(rules) == [
        CJ,
        CRISES,
        COOPERATION,
        AIR,
        SEA,
        INTERPRETATION,
        PROTECTION,
        PREVENTION,
        TECHNOLOGY,
    ]
    themes_path = DATA_DIR / "themes.yaml"
    if not themes_path.exists():
        pytest.fail(f"{themes_path} is missing")
    themes = yaml.safe_load(themes_path.read_text(encoding="utf-8"))
    if isinstance(themes, dict):
        themes = themes["themes"]
    assert {theme["slug"] for theme in themes} == set(rules)


# --- Addressee ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "States parties should reinforce national data collection.",
        "States Parties should cooperate to improve capacity.",
        "State parties are encouraged to strengthen their capacity.",
    ],
)
def test_states_parties_in_any_spelling_the_documents_use(text):
    assert detect_addressee(text) == SP


def test_states_is_not_states_parties():
    text = (
        "States, supported by international organizations when requested, should enhance "
        "cooperation at the regional and international levels."
    )
    assert detect_addressee(text) == ST


def test_a_parenthetical_with_commas_between_subject_and_modal_is_skipped():
    text = (
        "States Parties, as part of their operations to prevent, investigate, and prosecute "
        "migrant smuggling, should seek to rapidly identify areas and populations in crises."
    )
    assert detect_addressee(text) == SP
    assert detect_strength(text) == SHOULD


def test_the_subject_follows_an_introductory_phrase():
    text = "In the context of a pandemic, States parties should share information about outbreaks."
    assert detect_addressee(text) == SP


@pytest.mark.parametrize(
    "text",
    [
        "The Secretariat should compile a region-by-region registry of points of contact.",
        "UNODC is encouraged to continue its technical assistance.",
        "The United Nations Office on Drugs and Crime may consider preparing a guide.",
    ],
)
def test_a_recommendation_to_the_secretariat(text):
    assert detect_addressee(text) == SEC


def test_the_chapeau_supplies_the_subject_of_a_lettered_item():
    chapeau = (
        "The Working Group recommended that the Conference of the Parties consider the "
        "following recommendations for adoption. States Parties should:"
    )
    text = "Consider deploying prosecutors between countries along the same migration route"
    assert detect_addressee(text, chapeau) == SP
    assert detect_strength(text, chapeau) == SHOULD


def test_states_named_as_an_object_are_not_the_addressee():
    text = "Encourage all States to submit cases to the UNODC Case Law Database"
    assert detect_addressee(text, "States Parties should:") == SP
    with pytest.raises(ValueError, match="No addressee found"):
        detect_addressee(text)


def test_the_united_states_is_not_an_addressee():
    with pytest.raises(ValueError):
        detect_addressee("The United States should fund the programme.")


def test_text_without_a_modal_is_refused():
    text = "States parties take note of the importance of international cooperation."
    with pytest.raises(ValueError, match="No addressee found"):
        detect_addressee(text)
    with pytest.raises(ValueError, match="No modal of the main clause found"):
        detect_strength(text)


def test_text_without_an_addressee_is_refused():
    with pytest.raises(ValueError, match="'States parties'"):
        detect_addressee("Cooperation should be enhanced.")


# --- Strength of language -------------------------------------------------------------------------


def test_are_encouraged_to_consider_is_encouraging_not_permissive():
    text = (
        "States parties are encouraged to consider, in accordance with article 19 of the "
        "United Nations Convention against Transnational Organized Crime and domestic law, "
        "setting up joint investigative teams."
    )
    assert detect_strength(text) == ENCOURAGED


def test_should_consider_is_firm():
    text = "States parties should consider establishing dedicated prosecutorial teams."
    assert detect_strength(text) == SHOULD


def test_may_consider_is_permissive():
    text = "States parties may consider convening and participating in meetings."
    assert detect_strength(text) == MAY_CONSIDER


def test_should_encourage_is_firm_not_encouraging():
    text = "States parties should encourage and expand law enforcement capacity."
    assert detect_strength(text) == SHOULD


def test_the_first_modal_of_the_main_clause_wins_over_a_later_sentence():
    text = (
        "States parties are encouraged to cooperate on digital evidence. This should include "
        "improving technological capacity."
    )
    assert detect_strength(text) == ENCOURAGED


def test_a_modal_in_a_subordinate_clause_is_not_the_main_modal():
    text = (
        "States Parties should exchange information about measures to address crises which "
        "may impact populations vulnerable to smuggling."
    )
    assert detect_strength(text) == SHOULD


def test_the_chapeau_supplies_the_modal_of_a_lettered_item():
    assert detect_strength("Encourage all States to submit cases", "States Parties should:") == (
        SHOULD
    )


# --- Legal references -----------------------------------------------------------------------------


def test_article_19_of_the_convention_is_detected():
    text = (
        "in accordance with article 19 of the United Nations Convention against Transnational "
        "Organized Crime and domestic law"
    )
    assert detect_legal_references(text) == [convention(19)]


def test_a_mention_of_the_protocol_without_an_article():
    assert detect_legal_references("Consistent with the Protocol, States Parties should") == [
        protocol()
    ]
    assert detect_legal_references(
        "In accordance with the Smuggling of Migrants Protocol, States parties are encouraged"
    ) == [protocol()]


def test_article_10_of_the_protocol_in_lower_case():
    assert detect_legal_references("consistent with Article 10 of the protocol and to") == [
        protocol(10)
    ]


def test_articles_with_paragraphs_and_subparagraphs():
    text = (
        "including article 27, paragraph 1 (e), and article 28, paragraph 2, of the Organized "
        "Crime Convention"
    )
    assert detect_legal_references(text) == [convention(27, "1 (e)"), convention(28, "2")]


def test_a_list_of_articles_and_a_list_of_paragraphs():
    assert detect_legal_references("articles 16 and 18 of the Convention") == [
        convention(16),
        convention(18),
    ]
    assert detect_legal_references("article 19, paragraphs 1 and 2, of the Protocol") == [
        protocol(19, "1"),
        protocol(19, "2"),
    ]


def test_each_instrument_in_its_own_article_reference():
    text = (
        "consistent with article 10 of the Smuggling of Migrants Protocol and article 28 of the "
        "Organized Crime Convention"
    )
    assert detect_legal_references(text) == [protocol(10), convention(28)]


def test_untoc_and_the_protocol_are_both_found_in_order():
    text = "consistent with the goals of UNTOC and the Smuggling of Migrants Protocol"
    assert detect_legal_references(text) == [convention(), protocol()]


def test_the_protocols_full_title_is_not_a_reference_to_the_convention():
    text = (
        "the Protocol against the Smuggling of Migrants by Land, Sea and Air, supplementing the "
        "United Nations Convention against Transnational Organized Crime"
    )
    assert detect_legal_references(text) == [protocol()]


def test_other_conventions_and_protocols_are_not_references():
    text = (
        "the United Nations Convention on the Law of the Sea, the Convention on the Rights of "
        "the Child and the Protocol to Prevent, Suppress and Punish Trafficking in Persons"
    )
    assert detect_legal_references(text) == []


def test_references_are_not_repeated():
    text = "Consistent with the Protocol and the Smuggling of Migrants Protocol"
    assert detect_legal_references(text) == [protocol()]


def test_a_bare_mention_is_dropped_when_an_article_of_the_same_instrument_is_cited():
    text = "Consistent with the Protocol, and in particular article 10 of the Protocol"
    assert detect_legal_references(text) == [protocol(10)]


def test_a_text_citing_nothing():
    assert detect_legal_references("Encourage all States to submit cases to the database") == []


# --- Themes ---------------------------------------------------------------------------------------


def test_a_text_matching_no_theme_is_refused(rules):
    with pytest.raises(ValueError, match=r"theme_rules\.yaml"):
        themes_for(text="States parties should act.", section_title="", rules=rules)


def test_terms_match_whole_words_in_any_case():
    rules = {"smuggling-by-sea": ["sea"], "technology": ["internet"]}
    assert themes_for(text="More Research at SEA.", section_title="", rules=rules) == [
        "smuggling-by-sea"
    ]
    with pytest.raises(ValueError):
        themes_for(text="More research on the internets.", section_title="", rules=rules)


def test_a_space_or_a_hyphen_in_a_term_matches_either():
    rules = {"international-cooperation": ["information-sharing"]}
    assert themes_for(text="information sharing", section_title="", rules=rules)
    assert themes_for(text="Information-Sharing", section_title="", rules=rules)


def test_the_section_title_counts_as_much_as_the_text(rules):
    title = "Recommendations on successful strategies concerning the use of technology"
    text = "States parties should share information about outbreaks and hotspots."
    assert TECHNOLOGY in themes_for(text=text, section_title=title, rules=rules)
    assert TECHNOLOGY not in themes_for(text=text, section_title="", rules=rules)


def test_themes_come_in_the_rule_files_order():
    rules = {"b-theme": ["beta"], "a-theme": ["alpha"]}
    assert themes_for(text="alpha and beta", section_title="", rules=rules) == [
        "b-theme",
        "a-theme",
    ]


def test_matching_terms_explains_a_tag(rules):
    found = matching_terms(
        text="making use of modern technologies, including videoconferences",
        section_title="",
        rules=rules,
    )
    assert found == {TECHNOLOGY: ["technologies", "videoconferences"]}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("- just a list\n", "mapping"),
        ("technology: []\n", "non-empty list"),
        ("technology:\n  - Internet\n", "lowercase"),
        ("technology:\n  - internet\n  - internet\n", "twice"),
        ("technology: [internet\n", "not valid YAML"),
    ],
)
def test_a_malformed_rule_file_is_refused(tmp_path, content, message):
    path = tmp_path / "theme_rules.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_theme_rules(path)
