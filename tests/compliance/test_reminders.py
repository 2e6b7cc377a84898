"""Weekly reminders to the focal points of States parties that have not reported."""

from __future__ import annotations

import datetime
import smtplib

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from compliance.models import ReminderLog
from compliance.selectors import reminder_candidates, reminder_meeting
from compliance.services import compliance_reminders_send, reminder_settings_update
from meetings.models import Meeting
from recommendations.models import Recommendation
from states.models import State
from tests.factories import ImplementationReportFactory, StateFactory, UserFactory
from tests.outbox.helpers import deliver_outbox

pytestmark = pytest.mark.usefixtures("wgsom")

MONDAY = datetime.date(2024, 3, 4)  # ISO week 2024-W10
FRIDAY = MONDAY + datetime.timedelta(days=4)
NEXT_MONDAY = MONDAY + datetime.timedelta(days=7)


@pytest.fixture
def adopted_2020():
    return list(Recommendation.objects.filter(meeting__ordinal=7, status="adopted"))


@pytest.fixture
def parties():
    return list(State.objects.filter(protocol_status="party").order_by("code")[:4])


def test_reminders_are_about_the_latest_meeting_that_adopted_recommendations():
    assert reminder_meeting() == Meeting.objects.get(ordinal=7)  # 2022 adopted none (yet)


def test_focal_points_of_states_parties_missing_reports_are_reminded_of_what_is_missing(
    adopted_2020, parties
):
    missing_two, reported_all, submitted_all, drafts_only = parties
    UserFactory(username="fp-missing", state=missing_two)
    UserFactory(username="fp-missing-2", state=missing_two)
    UserFactory(username="fp-reported", state=reported_all)
    UserFactory(username="fp-submitted", state=submitted_all)
    UserFactory(username="fp-drafts", state=drafts_only)
    UserFactory(username="fp-inactive", state=drafts_only, is_active=False)
    UserFactory(username="fp-non-party", state=StateFactory(protocol_status="not_party"))
    for recommendation in adopted_2020[2:]:
        ImplementationReportFactory(state=missing_two, recommendation=recommendation)
    for recommendation in adopted_2020:
        ImplementationReportFactory(state=reported_all, recommendation=recommendation)
        ImplementationReportFactory(
            state=submitted_all,
            recommendation=recommendation,
            review_state="submitted",
            validated_at=None,
        )
        ImplementationReportFactory(
            state=drafts_only,
            recommendation=recommendation,
            review_state="draft",
            validated_at=None,
        )

    outcome = compliance_reminders_send(today=MONDAY)

    assert outcome.sent == 2
    by_recipients = {tuple(message.to): message for message in deliver_outbox()}
    assert set(by_recipients) == {
        ("fp-missing-2@example.org", "fp-missing@example.org"),
        ("fp-drafts@example.org",),
    }
    to_missing_two = by_recipients[("fp-missing-2@example.org", "fp-missing@example.org")]
    assert missing_two.name in to_missing_two.subject
    for recommendation in adopted_2020[:2]:
        assert f"Recommendation {recommendation.label}\n" in to_missing_two.body
    assert f"Recommendation {adopted_2020[2].label}\n" not in to_missing_two.body
    assert "/reporting/my-state/" in to_missing_two.body
    assert ReminderLog.objects.filter(iso_year=2024, iso_week=10).count() == 2


def test_no_state_is_reminded_twice_in_the_same_iso_week(parties):
    UserFactory(username="fp", state=parties[0])

    assert compliance_reminders_send(today=MONDAY).sent == 1
    again = compliance_reminders_send(today=FRIDAY)
    assert (again.sent, again.already_reminded) == (0, 1)
    assert compliance_reminders_send(today=NEXT_MONDAY).sent == 1
    assert len(deliver_outbox()) == 2


def test_the_database_refuses_a_second_reminder_for_a_state_in_the_same_week(parties):
    meeting = Meeting.objects.get(ordinal=7)
    ReminderLog.objects.create(
        state=parties[0], iso_year=2024, iso_week=10, meeting=meeting, missing_recommendations=1
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        ReminderLog.objects.create(
            state=parties[0], iso_year=2024, iso_week=10, meeting=meeting, missing_recommendations=1
        )


def test_no_reminder_before_the_number_of_days_the_secretariat_set_after_the_meeting(
    parties, secretariat
):
    UserFactory(username="fp", state=parties[0])
    meeting_ended = Meeting.objects.get(ordinal=7).end_date
    reminder_settings_update(days_after_meeting=30, by=secretariat)

    early = compliance_reminders_send(today=meeting_ended + datetime.timedelta(days=29))
    due = compliance_reminders_send(today=meeting_ended + datetime.timedelta(days=30))

    assert (early.sent, early.due) == (0, meeting_ended + datetime.timedelta(days=30))
    assert due.sent == 1


def test_a_reminder_the_mail_server_refuses_is_logged_once_and_goes_out_on_retry(
    parties, monkeypatch
):
    UserFactory(username="fp-a", state=parties[0])
    UserFactory(username="fp-b", state=parties[1])
    real_send = mail.EmailMessage.send

    def send_failing_for_b(message, *args, **kwargs):
        if "fp-b@example.org" in message.to:
            raise smtplib.SMTPServerDisconnected("connection lost")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMessage, "send", send_failing_for_b)
    assert compliance_reminders_send(today=MONDAY).sent == 2
    assert [message.to for message in deliver_outbox()] == [["fp-a@example.org"]]
    assert ReminderLog.objects.count() == 2  # both reminded: b's waits in the outbox

    monkeypatch.undo()
    retry = compliance_reminders_send(today=MONDAY)
    deliver_outbox()

    assert (retry.sent, retry.already_reminded) == (0, 2)
    assert [message.to for message in mail.outbox] == [["fp-a@example.org"], ["fp-b@example.org"]]


def test_finding_whom_to_remind_costs_four_queries_however_many_states(
    adopted_2020, django_assert_num_queries
):
    meeting = Meeting.objects.get(ordinal=7)

    def add_focal_points(n: int) -> None:
        for _ in range(n):
            state = StateFactory(protocol_status="party")
            UserFactory(state=state)
            ImplementationReportFactory(state=state, recommendation=adopted_2020[0])

    add_focal_points(2)
    # the meeting's adopted recommendations, reports submitted or validated on them, active
    # focal points of States parties, those States' names
    with django_assert_num_queries(4):
        small = reminder_candidates(meeting=meeting)
    add_focal_points(15)
    with django_assert_num_queries(4):
        large = reminder_candidates(meeting=meeting)

    assert (len(small), len(large)) == (2, 17)
    assert all(len(c.missing) == len(adopted_2020) - 1 for c in large)
