"""Store each recommendation's weighted search vector, and index it (PostgreSQL).

`search_document` is a stored generated column (see `recommendations.models.SearchDocument`):
text A, chapeau B, section title C, English configuration, the expression the GIN index of
0002 was built on. The ranking tests the vector against several queries per row, so it is
stored once instead of rebuilt from the texts at each test; the GIN index moves from the
expression to the column. On SQLite the column holds NULL and no index is made.
"""

import django.contrib.postgres.search
from django.db import migrations, models

import recommendations.models

INDEX_NAME = "recommendation_search_document"
OLD_INDEX_NAME = "recommendation_search_vector"
OLD_VECTOR = (
    "((setweight(to_tsvector('english'::regconfig, COALESCE(\"text\", '')), 'A')"
    " || setweight(to_tsvector('english'::regconfig, COALESCE(\"chapeau\", '')), 'B'))"
    " || setweight(to_tsvector('english'::regconfig, COALESCE(\"section_title\", '')), 'C'))"
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX_NAME}")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON recommendations_recommendation "
        "USING GIN (search_document)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {OLD_INDEX_NAME} ON recommendations_recommendation "
        f"USING GIN ({OLD_VECTOR})"
    )


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0007_search_thesaurus_and_words")]

    operations = [
        migrations.AddField(
            model_name="recommendation",
            name="search_document",
            field=models.GeneratedField(
                db_persist=True,
                expression=recommendations.models.SearchDocument(),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
