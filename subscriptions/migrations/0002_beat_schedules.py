"""The periodic tasks of e-mail subscriptions, so that they exist after `migrate`: the daily and
weekly digests, and the hourly purge of sign-ups never confirmed.

Ordinary django-celery-beat rows: staff change their times, or disable them, in the admin
(Periodic tasks). Rows are only created when missing, never overwritten.
"""

import json

from django.conf import settings
from django.db import migrations

SCHEDULES = [
    {
        "name": "Subscriptions: daily digests",
        "task": "subscriptions.tasks.send_digests",
        "kwargs": {"frequency": "daily"},
        "crontab": {"minute": "0", "hour": "7", "day_of_week": "*"},
        "description": (
            "E-mails each daily subscriber what is new since its last digest on what it "
            "follows; nothing when nothing is new."
        ),
    },
    {
        "name": "Subscriptions: weekly digests",
        "task": "subscriptions.tasks.send_digests",
        "kwargs": {"frequency": "weekly"},
        "crontab": {"minute": "30", "hour": "7", "day_of_week": "1"},
        "description": (
            "E-mails each weekly subscriber what is new since its last digest on what it "
            "follows; nothing when nothing is new."
        ),
    },
    {
        "name": "Subscriptions: remove sign-ups never confirmed",
        "task": "subscriptions.tasks.purge_unconfirmed",
        "kwargs": {},
        "crontab": {"minute": "45", "hour": "*", "day_of_week": "*"},
        "description": (
            "Deletes sign-ups (and their addresses) whose confirmation link has expired "
            "(SUBSCRIPTIONS_CONFIRMATION_DAYS)."
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
        ("subscriptions", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
