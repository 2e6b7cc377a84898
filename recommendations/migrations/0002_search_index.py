"""Full-text search index on recommendations (PostgreSQL only).

Placeholder: the public site's search fills this in (a GIN index on a weighted tsvector
expression, created only when the database is PostgreSQL, so SQLite keeps working).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0001_initial")]

    operations = []
