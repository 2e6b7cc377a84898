"""Implementation reports and their attachments now belong to the `reporting` app.

The tables are renamed (data, history and keys kept as they are); the models leave this
app's state here and enter `reporting`'s in reporting/migrations/0001_initial.py.
"""

from django.db import migrations

MOVED_TABLES = (
    ("implementationreport", "reporting_implementationreport"),
    ("historicalimplementationreport", "reporting_historicalimplementationreport"),
    ("reportattachment", "reporting_reportattachment"),
)


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0004_report_versions_and_attachments"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name=model, table=table)
                for model, table in MOVED_TABLES
            ],
            state_operations=[
                migrations.DeleteModel(name="ReportAttachment"),
                migrations.DeleteModel(name="HistoricalImplementationReport"),
                migrations.DeleteModel(name="ImplementationReport"),
            ],
        ),
    ]
