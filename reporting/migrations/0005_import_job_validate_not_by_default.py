from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0004_import_job"),
    ]

    operations = [
        migrations.AlterField(
            model_name="importjob",
            name="validate",
            field=models.BooleanField(default=False, verbose_name="record as validated"),
        ),
    ]
