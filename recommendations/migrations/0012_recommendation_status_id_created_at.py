"""Two indexes on recommendations: (status, id), so that a theme's counts join only its
recommendations that are not adopted without reading the table; created_at, so that the feed
of adopted recommendations finds the newest written without history by walking it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0011_recommendation_neighbours"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="recommendation",
            index=models.Index(fields=["status", "id"], name="recommendation_status_id"),
        ),
        migrations.AddIndex(
            model_name="recommendation",
            index=models.Index(fields=["created_at"], name="recommendation_created_at"),
        ),
    ]
