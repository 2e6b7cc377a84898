"""The Secretariat's Reminders page: the schedule, who would be reminded and with what message,
the days after a meeting (kept in the database and used by the reminder run), and "Send now",
which asks for a confirmation and queues the task, even with the broker down."""

from __future__ import annotations

import datetime
import json
import logging
import zoneinfo

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from compliance import reminder_views
from compliance.models import ReminderLog, ReminderSettings
from compliance.selectors import REMINDERS_TASK, reminder_schedule, reminder_settings
from compliance.services import compliance_reminders_send
from meetings.models import Meeting
from outbox.models import Message
from states.models import State
from tests.celery_workers import celery_app_on
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("wgsom")

PAGE = reverse("compliance:reminders")
SEND = reverse("compliance:reminders_send")
DEAD_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def schedule(db) -> PeriodicTask:
    """The weekly reminders' schedule as migration 0002 makes it (made again if a
    transactional test flushed it)."""
    task = PeriodicTask.objects.filter(task=REMINDERS_TASK).first()
    if task is None:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute="0",
            hour="8",
            day_of_week="1",
            day_of_month="*",
            month_of_year="*",
            timezone=settings.TIME_ZONE,
        )
        task = PeriodicTask.objects.create(
            name="Compliance summaries: weekly reminders to focal points",
            task=REMINDERS_TASK,
            kwargs=json.dumps({}),
            crontab=crontab,
        )
    return task


@pytest.fixture
def silent_parties():
    """Three States parties, each with a focal point, that have reported on nothing."""
    parties = list(State.objects.filter(protocol_status="party").order_by("code")[:3])
    for index, state in enumerate(parties):
        UserFactory(username=f"fp-{index}", state=state)  # fp-N@example.org
    return parties


@pytest.fixture
def queued(monkeypatch):
    """A Celery app on an in-memory broker, the reminder task's apply_async recorded."""
    calls = []
    with celery_app_on("memory://") as app:
        monkeypatch.setattr(
            app.tasks[REMINDERS_TASK], "apply_async", lambda *args, **kwargs: calls.append(kwargs)
        )
        yield calls


def meeting_end() -> datetime.date:
    return Meeting.objects.get(ordinal=7).end_date


# Who may open it --------------------------------------------------------------------------


def test_only_the_secretariat_opens_the_reminders_pages(
    anonymous, client, focal_point, reader, secretariat_client, superuser_client
):
    for url in (PAGE, SEND):
        assert anonymous.get(url).status_code == 302  # sent to sign in
        client.force_login(focal_point)
        assert client.get(url).status_code == 403
        client.force_login(reader)
        assert client.get(url).status_code == 403
        assert secretariat_client.get(url).status_code == 200
        assert superuser_client.get(url).status_code == 200


def test_a_focal_point_can_neither_save_the_days_nor_send(client, focal_point, queued):
    client.force_login(focal_point)

    assert client.post(PAGE, {"days_after_meeting": "1"}).status_code == 403
    assert client.post(SEND).status_code == 403
    assert reminder_settings().days_after_meeting == 90
    assert queued == []


def test_the_secretariat_finds_the_page_in_its_menu_and_focal_points_do_not(
    client, focal_point, secretariat_client
):
    link = f'href="{PAGE}"'
    assert link in secretariat_client.get(reverse("profile")).content.decode()
    client.force_login(focal_point)
    assert link not in client.get(reverse("profile")).content.decode()


# The days after a meeting ----------------------------------------------------------------


def test_the_migration_made_the_one_settings_row_with_90_days():
    assert list(ReminderSettings.objects.values_list("pk", "days_after_meeting")) == [(1, 90)]


def test_the_secretariat_saves_the_days_and_the_reminder_run_uses_them(
    secretariat, secretariat_client, silent_parties
):
    response = secretariat_client.post(PAGE, {"days_after_meeting": "30"}, follow=True)

    assert response.redirect_chain == [(PAGE, 302)]
    assert "Saved: reminders start 30 days after a meeting." in response.content.decode()
    row = ReminderSettings.objects.get()
    assert (row.days_after_meeting, row.updated_by) == (30, secretariat)
    early = compliance_reminders_send(today=meeting_end() + datetime.timedelta(days=29))
    due = compliance_reminders_send(today=meeting_end() + datetime.timedelta(days=30))
    assert (early.sent, early.due) == (0, meeting_end() + datetime.timedelta(days=30))
    assert due.sent == 3


def test_without_the_row_the_defaults_apply_and_saving_makes_it_again(secretariat_client):
    ReminderSettings.objects.all().delete()  # as after a test flushed the database

    assert reminder_settings().days_after_meeting == 90
    assert secretariat_client.get(PAGE).status_code == 200
    secretariat_client.post(PAGE, {"days_after_meeting": "0"})
    assert list(ReminderSettings.objects.values_list("pk", "days_after_meeting")) == [(1, 0)]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Enter the number of days after a meeting, from 0 to 365."),
        ("ten", "Enter the number of days as a whole number, from 0 to 365."),
        ("2.5", "Enter the number of days as a whole number, from 0 to 365."),
        ("-1", "The number of days must be 0 or more."),
        ("366", "The number of days must be 365 or fewer."),
    ],
)
def test_a_number_of_days_out_of_range_is_refused_beside_the_field_and_in_the_summary(
    secretariat_client, value, message
):
    response = secretariat_client.post(PAGE, {"days_after_meeting": value})

    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert f'<a href="#id_days_after_meeting">{message}</a>' in html  # the summary
    assert 'id="id_days_after_meeting-error"' in html  # beside the field
    assert 'aria-invalid="true"' in html
    assert reminder_settings().days_after_meeting == 90


def test_the_limits_themselves_are_accepted(secretariat_client):
    for days in (0, 365):
        assert secretariat_client.post(PAGE, {"days_after_meeting": str(days)}).status_code == 302
        assert reminder_settings().days_after_meeting == days


# What the page shows ----------------------------------------------------------------------


def test_the_page_shows_the_schedule_in_words_and_when_it_runs(
    secretariat_client, schedule, django_assert_max_num_queries
):
    schedule.last_run_at = datetime.datetime(2026, 11, 30, 7, 0, tzinfo=datetime.UTC)
    schedule.save()

    # session, user, the Secretariat role, the settings, the meeting, this week's log, the
    # candidates (at most four), the schedule, the user's and group's permissions (two)
    with django_assert_max_num_queries(13):
        response = secretariat_client.get(PAGE)

    html = response.content.decode()
    assert "At 08:00, only on Monday" in html
    assert f"({settings.TIME_ZONE})" in html
    assert ">On<" in html
    assert response.context["schedule"].last_run_at == schedule.last_run_at
    assert response.context["schedule"].next_run_at is not None
    change_url = reverse("admin:django_celery_beat_periodictask_change", args=[schedule.pk])
    assert change_url in html  # the Secretariat may change it


def test_the_next_run_is_the_crontabs_next_time_in_its_time_zone(schedule):
    vienna = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    wednesday = datetime.datetime(2026, 12, 9, 10, 0, tzinfo=vienna)

    found = reminder_schedule(now=wednesday)

    assert found.next_run_at == datetime.datetime(2026, 12, 14, 8, 0, tzinfo=vienna)
    assert found.in_words == "At 08:00, only on Monday"


def test_a_paused_schedule_has_no_next_run_and_the_page_says_so(secretariat_client, schedule):
    schedule.enabled = False
    schedule.save()

    response = secretariat_client.get(PAGE)

    assert response.context["schedule"].next_run_at is None
    assert "Paused: no reminder goes out on schedule" in response.content.decode()


def test_without_a_schedule_the_page_says_none_go_out_by_themselves(secretariat_client):
    PeriodicTask.objects.filter(task=REMINDERS_TASK).delete()

    response = secretariat_client.get(PAGE)

    assert response.status_code == 200
    assert "No schedule sends the reminders" in response.content.decode()


def test_the_preview_lists_the_states_and_addresses_a_run_now_would_remind(
    secretariat_client, silent_parties
):
    already = silent_parties[2]
    today = timezone.localdate()
    iso_year, iso_week, _ = today.isocalendar()
    ReminderLog.objects.create(
        state=already,
        iso_year=iso_year,
        iso_week=iso_week,
        meeting=Meeting.objects.get(ordinal=7),
        missing_recommendations=1,
    )

    response = secretariat_client.get(PAGE)

    html = response.content.decode()
    assert "A run now would e-mail the focal points of 2 States." in html
    assert "1 State was already reminded this week" in html
    for state, email in (
        (silent_parties[0], "fp-0@example.org"),
        (silent_parties[1], "fp-1@example.org"),
    ):
        assert state.name in html
        assert email in html
    assert "fp-2@example.org" not in html
    # The message, rendered by the same template as the e-mail, for the first State.
    example = response.context["example"]
    assert example.to == ["fp-0@example.org"]
    assert silent_parties[0].name in example.subject
    assert f"Dear focal point of {silent_parties[0].name}" in html
    assert Message.objects.count() == 0 and mail.outbox == []  # a preview sends nothing


def test_the_preview_is_capped_and_says_how_many_more(
    secretariat_client, silent_parties, monkeypatch
):
    monkeypatch.setattr(reminder_views, "PREVIEW_LIMIT", 2)

    response = secretariat_client.get(PAGE)

    assert len(response.context["recipients"]) == 2
    assert "And 1 more State." in response.content.decode()


def test_before_the_due_day_the_preview_says_when_reminders_start(
    secretariat, secretariat_client, silent_parties
):
    Meeting.objects.filter(ordinal=7).update(end_date=timezone.localdate())

    response = secretariat_client.get(PAGE)

    html = response.content.decode()
    assert "Nothing goes out before" in html
    assert "the focal points of 3 States will be reminded" in html


# Sending now ------------------------------------------------------------------------------


def test_send_now_asks_for_confirmation_and_a_get_sends_nothing(
    secretariat_client, silent_parties, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.get(SEND)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Send the reminders now?" in html
    assert "The focal points of 3 States will be e-mailed within minutes." in html
    assert "Yes, send the reminders" in html
    assert queued == []
    assert ReminderLog.objects.count() == 0 and Message.objects.count() == 0


def test_confirming_queues_the_reminder_task_once_and_says_it_is_queued(
    secretariat_client, silent_parties, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(SEND, follow=True)

    assert response.redirect_chain == [(PAGE, 302)]
    assert "The reminders are queued" in response.content.decode()
    assert queued == [{}]  # the task, with no argument, as the schedule runs it


def test_with_redis_down_confirming_still_answers_and_the_failure_is_logged(
    secretariat_client, silent_parties, caplog, django_capture_on_commit_callbacks
):
    with (
        celery_app_on(DEAD_REDIS),
        caplog.at_level(logging.ERROR, logger="core.tasks"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = secretariat_client.post(SEND, follow=True)

    assert response.status_code == 200
    assert "The reminders are queued" in response.content.decode()
    assert f"Could not queue {REMINDERS_TASK}" in caplog.text
    assert ReminderLog.objects.count() == 0


def test_with_tasks_run_in_process_confirming_reminds_the_states_at_once(
    secretariat_client, silent_parties, django_capture_on_commit_callbacks
):
    # The test settings, like `make run` without REDIS_URL, run tasks in-process.
    with django_capture_on_commit_callbacks(execute=True):
        secretariat_client.post(SEND)

    assert set(ReminderLog.objects.values_list("state_id", flat=True)) == {
        state.pk for state in silent_parties
    }


def test_when_nothing_is_due_the_confirmation_offers_no_button(secretariat_client, silent_parties):
    Meeting.objects.filter(ordinal=7).update(end_date=timezone.localdate())

    html = secretariat_client.get(SEND).content.decode()

    assert "Nothing would be sent now: reminders about this meeting start on" in html
    assert "Yes, send the reminders" not in html


# The schedules in the admin ---------------------------------------------------------------


def test_the_secretariat_may_view_and_change_the_schedules_but_not_add_or_delete_them():
    group = Group.objects.get(name=settings.SECRETARIAT_GROUP_NAME)
    beat = set(
        group.permissions.filter(content_type__app_label="django_celery_beat").values_list(
            "codename", flat=True
        )
    )

    assert beat == {
        "view_periodictask",
        "change_periodictask",
        "view_crontabschedule",
        "change_crontabschedule",
    }


def test_the_secretariat_opens_the_reminder_schedule_in_the_admin(secretariat_client, schedule):
    change = reverse("admin:django_celery_beat_periodictask_change", args=[schedule.pk])

    assert secretariat_client.get(change).status_code == 200
    assert (
        secretariat_client.get(reverse("admin:django_celery_beat_periodictask_add")).status_code
        == 403
    )


def test_the_days_changed_in_the_admin_go_through_the_same_rules(secretariat, secretariat_client):
    change = reverse("admin:compliance_remindersettings_change", args=[1])

    refused = secretariat_client.post(change, {"days_after_meeting": "400"})
    saved = secretariat_client.post(change, {"days_after_meeting": "45"})

    assert refused.status_code == 200  # the form again, with its error
    assert saved.status_code == 302
    row = ReminderSettings.objects.get()
    assert (row.days_after_meeting, row.updated_by) == (45, secretariat)
    assert (
        secretariat_client.get(reverse("admin:compliance_remindersettings_add")).status_code == 403
    )
