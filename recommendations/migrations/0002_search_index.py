"""Full-text search index on recommendations (PostgreSQL only).

A GIN index on the weighted tsvector that `recommendations.search.recommendation_vector()`
builds: text (weight A), chapeau (B), section title (C), English configuration. PostgreSQL
uses an expression index only when the query's expression is the same, so the two must change
together. SQLite has no full-text vectors: there the migration does nothing and the search
falls back to `icontains` (see recommendations/search.py).
"""

from django.db import migrations

INDEX_NAME = "recommendation_search_vector"

VECTOR = (
    "((setweight(to_tsvector('english'::regconfig, COALESCE(\"text\", '')), 'A')"
    " || setweight(to_tsvector('english'::regconfig, COALESCE(\"chapeau\", '')), 'B'))"
    " || setweight(to_tsvector('english'::regconfig, COALESCE(\"section_title\", '')), 'C'))"
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON recommendations_recommendation "
        f"USING GIN ({VECTOR})"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
