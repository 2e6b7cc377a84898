"""Store agenda items' and documents' weighted search vectors, and index them (PostgreSQL).

The search (recommendations/search.py) matched them on vectors computed from the texts in
each query: every agenda item's title, every document's summary, at every search and at each
facet's count. In years of meetings (some 20,000 agenda items) that is a sequential scan
building 20,000 vectors. Stored, generated columns (`core.fulltext.WeightedVector`: agenda
item title A; document title A, summary B; English configuration), with a GIN index each, as
recommendations have had since recommendations 0008. On SQLite the columns hold NULL and no
index is made.
"""

import django.contrib.postgres.search
from django.db import migrations, models

import core.fulltext

INDEXES = (
    ("agenda_item_search_document", "meetings_agendaitem"),
    ("document_search_document", "meetings_document"),
)


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING GIN (search_document)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("meetings", "0004_translations")]

    operations = [
        migrations.AddField(
            model_name="agendaitem",
            name="search_document",
            field=models.GeneratedField(
                db_persist=True,
                expression=core.fulltext.WeightedVector((("title", "A"),)),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.AddField(
            model_name="document",
            name="search_document",
            field=models.GeneratedField(
                db_persist=True,
                expression=core.fulltext.WeightedVector((("title", "A"), ("summary", "B"))),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
