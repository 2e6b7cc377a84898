"""Index the figure rows by (snapshot, dimension, position) and (snapshot, dimension, share):
the pages and the API read the latest snapshot one page of one dimension at a time, and the
home page counts the recommendations implemented somewhere within the index."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0004_reminder_settings"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="compliancefigure",
            index=models.Index(
                fields=["snapshot", "dimension", "position"], name="figure_dimension_position"
            ),
        ),
        migrations.AddIndex(
            model_name="compliancefigure",
            index=models.Index(
                fields=["snapshot", "dimension", "share_implementing"],
                name="figure_dimension_share",
            ),
        ),
    ]
