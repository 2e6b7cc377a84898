"""The sweep of the e-mail outbox, every minute: messages queued while the broker was down, and
those waiting for another attempt, are sent.

An ordinary django-celery-beat row: staff change its time, or disable it, in the admin
(Periodic tasks). It is only created when missing, never overwritten.
"""

from django.conf import settings
from django.db import migrations

NAME = "Outbox: send queued e-mail"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if PeriodicTask.objects.filter(name=NAME).exists():
        return
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="*",
        hour="*",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    PeriodicTask.objects.create(
        name=NAME,
        task="outbox.tasks.send_queued",
        kwargs="{}",
        crontab=crontab,
        description=(
            "Sends the e-mail still queued in the outbox a minute after it was written (the "
            "broker was down) or whose next attempt is due, and deletes sent e-mail older "
            "than OUTBOX_KEEP_SENT_DAYS."
        ),
        enabled=True,
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
