"""The reminder settings, kept in the database for the Secretariat's Reminders page.

The one row is made here. Its days come from the environment variable that held them until
now (COMPLIANCE_REMINDER_AFTER_DAYS), when a deployment had set it to a value the page
accepts, so that upgrading changes nothing; otherwise the default, 90. The variable is read
here once and never again. The reminders' schedule loses its mention of the variable.
"""

import os

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

DEFAULT_DAYS = 90
REMINDERS_TASK = "compliance.tasks.send_reminders"
OLD_DESCRIPTION = (
    "E-mails the focal points of States parties that have not reported on the latest "
    "meeting's adopted recommendations (COMPLIANCE_REMINDER_AFTER_DAYS after it); at "
    "most once a week per State."
)
NEW_DESCRIPTION = (
    "E-mails the focal points of States parties that have not reported on the latest "
    "meeting's adopted recommendations, once the days set on the Reminders page have passed "
    "since it; at most once a week per State."
)


def _days_from_environment():
    try:
        days = int(os.environ.get("COMPLIANCE_REMINDER_AFTER_DAYS", DEFAULT_DAYS))
    except ValueError:
        return DEFAULT_DAYS
    return days if 0 <= days <= 365 else DEFAULT_DAYS


def create_settings(apps, schema_editor):
    ReminderSettings = apps.get_model("compliance", "ReminderSettings")
    ReminderSettings.objects.get_or_create(
        pk=1, defaults={"days_after_meeting": _days_from_environment()}
    )


def describe_schedule(apps, schema_editor):
    # Only the description this project wrote: one that staff rewrote stays theirs.
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task=REMINDERS_TASK, description=OLD_DESCRIPTION).update(
        description=NEW_DESCRIPTION
    )


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0003_secretariat_reports"),
        ("compliance", "0002_beat_schedules"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ReminderSettings",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "days_after_meeting",
                    models.PositiveSmallIntegerField(
                        default=90,
                        help_text="Reminders start this many days after the latest meeting that adopted recommendations ended, then go out weekly. A whole number from 0 to 365.",
                        validators=[
                            django.core.validators.MinValueValidator(0),
                            django.core.validators.MaxValueValidator(365),
                        ],
                        verbose_name="days after a meeting",
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="changed")),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="changed by",
                    ),
                ),
            ],
            options={
                "verbose_name": "reminder settings",
                "verbose_name_plural": "reminder settings",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("pk", 1)), name="reminder_settings_single_row"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("days_after_meeting__lte", 365)),
                        name="reminder_settings_days_within_a_year",
                    ),
                ],
            },
        ),
        migrations.RunPython(create_settings, migrations.RunPython.noop),
        migrations.RunPython(describe_schedule, migrations.RunPython.noop),
    ]
