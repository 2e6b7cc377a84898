"""The periodic removal of spreadsheet uploads that were previewed but never confirmed.

An ordinary django-celery-beat row: staff change its time, or disable it, in the admin
(Periodic tasks). It is only created when missing, never overwritten.
"""

from django.conf import settings
from django.db import migrations

NAME = "Reporting: remove spreadsheet uploads never confirmed"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if PeriodicTask.objects.filter(name=NAME).exists():
        return
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="15",
        hour="*",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    PeriodicTask.objects.create(
        name=NAME,
        task="reporting.tasks.purge_unconfirmed_imports",
        kwargs="{}",
        crontab=crontab,
        description=(
            "Deletes uploaded report spreadsheets whose preview was never confirmed, once the "
            "preview has expired (REPORT_IMPORT_PREVIEW_MAX_AGE)."
        ),
        enabled=True,
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
