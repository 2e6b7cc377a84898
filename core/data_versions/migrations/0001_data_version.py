from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def start_versions(apps, schema_editor):
    """Every version starts now, which is after any data already in the database: a client's
    earlier Last-Modified then never matches data changed before this migration."""
    DataVersion = apps.get_model("data_versions", "DataVersion")
    now = timezone.now()
    DataVersion.objects.using(schema_editor.connection.alias).bulk_create(
        [DataVersion(name=name, changed_at=now) for name in settings.DATA_VERSION_APPS],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                (
                    "name",
                    models.CharField(
                        max_length=100, primary_key=True, serialize=False, verbose_name="name"
                    ),
                ),
                ("changed_at", models.DateTimeField(verbose_name="changed")),
            ],
            options={
                "verbose_name": "data version",
                "verbose_name_plural": "data versions",
            },
        ),
        migrations.RunPython(start_versions, migrations.RunPython.noop),
    ]
