"""The periodic tasks of the compliance summaries, so that they exist after `migrate`.

They are ordinary django-celery-beat rows: staff change their times, or disable them, in the
admin (Periodic tasks). Running this again, or after staff edited them, changes nothing: rows
are only created when missing, never overwritten.
"""

import json

from django.conf import settings
from django.db import migrations

SCHEDULES = [
    {
        "name": "Compliance summaries: nightly snapshot",
        "task": "compliance.tasks.refresh_snapshot",
        "kwargs": {"trigger": "scheduled"},
        "crontab": {"minute": "30", "hour": "2", "day_of_week": "*"},
        "description": (
            "Computes the compliance figures from validated reports and stores a snapshot "
            "when they changed since the last one."
        ),
    },
    {
        "name": "Compliance summaries: weekly reminders to focal points",
        "task": "compliance.tasks.send_reminders",
        "kwargs": {},
        "crontab": {"minute": "0", "hour": "8", "day_of_week": "1"},
        "description": (
            "E-mails the focal points of States parties that have not reported on the latest "
            "meeting's adopted recommendations (COMPLIANCE_REMINDER_AFTER_DAYS after it); at "
            "most once a week per State."
        ),
    },
]


def create_schedules(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for schedule in SCHEDULES:
        if PeriodicTask.objects.filter(name=schedule["name"]).exists():
            continue
        crontab, _ = CrontabSchedule.objects.get_or_create(
            **schedule["crontab"],
            day_of_month="*",
            month_of_year="*",
            timezone=settings.TIME_ZONE,
        )
        PeriodicTask.objects.create(
            name=schedule["name"],
            task=schedule["task"],
            kwargs=json.dumps(schedule["kwargs"]),
            crontab=crontab,
            description=schedule["description"],
            enabled=True,
        )


def remove_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[s["name"] for s in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0001_snapshots_and_reminders"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
