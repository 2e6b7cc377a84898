"""The periodic sweep of meeting report import jobs: queued again when the broker lost them,
failed when their worker died (ingest.import_jobs.report_import_jobs_sweep).

An ordinary django-celery-beat row, created only when missing, never overwritten.
"""

from django.conf import settings
from django.db import migrations

NAME = "Ingest: queue again the meeting report imports a broker outage left waiting"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if PeriodicTask.objects.filter(name=NAME).exists():
        return
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="*/5",
        hour="*",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    PeriodicTask.objects.create(
        name=NAME,
        task="ingest.tasks.sweep_meeting_report_jobs",
        kwargs="{}",
        crontab=crontab,
        description=(
            "Every five minutes: queues again the meeting report jobs still waiting after two "
            "minutes for their check or their import (the broker was down when they were "
            "queued), and marks failed the jobs working past the task time limit (their "
            "worker died; nothing was imported)."
        ),
        enabled=True,
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("ingest", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
