"""The e-mail outbox: a message is written in the transaction of its change, sent once, retried
with back-off after a mail-server error, and visibly failed after the last attempt; never
lost."""

from __future__ import annotations

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.db import transaction
from django.test import Client
from django.utils import timezone

from outbox.models import Message
from outbox.services import outbox_enqueue, outbox_send, outbox_send_due
from outbox.tasks import send_message

pytestmark = pytest.mark.django_db


def a_message(**overrides) -> EmailMessage:
    fields = {
        "subject": "WGSOM: a report awaits validation",
        "body": "Open https://wgsom.example.org/reporting/reports/1/",
        "from_email": "wgsom-tracker@example.org",
        "to": ["staff@unodc.example"],
        "headers": {"List-Unsubscribe": "<https://wgsom.example.org/u/x/>"},
        **overrides,
    }
    return EmailMessage(**fields)


@pytest.fixture
def refusing_mail_server(monkeypatch):
    def refuse(message, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailMessage, "send", refuse)


def test_a_message_is_kept_in_the_transaction_and_sent_after_it_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        row = outbox_enqueue(a_message())
        assert mail.outbox == []  # never before the commit

    [sent] = mail.outbox
    assert (sent.to, sent.subject, sent.from_email) == (
        ["staff@unodc.example"],
        "WGSOM: a report awaits validation",
        "wgsom-tracker@example.org",
    )
    assert sent.extra_headers["List-Unsubscribe"] == "<https://wgsom.example.org/u/x/>"
    row.refresh_from_db()
    assert row.status == "sent" and row.attempts == 1 and row.sent_at is not None


def test_a_message_of_a_change_that_rolled_back_is_neither_kept_nor_sent(
    django_capture_on_commit_callbacks,
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        outbox_enqueue(a_message())
        raise RuntimeError("the change failed")

    assert callbacks == [] and mail.outbox == []
    assert not Message.objects.exists()


def test_a_message_is_sent_once_however_often_it_is_asked_for():
    row = outbox_enqueue(a_message())

    assert send_message(row.pk) == "sent"
    assert send_message(row.pk) == "sent"
    assert outbox_send_due(now=timezone.now() + datetime.timedelta(hours=1)) == 0

    assert len(mail.outbox) == 1


def test_a_refused_message_stays_queued_with_its_error_then_fails_after_the_last_attempt(
    refusing_mail_server, settings
):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    row = outbox_enqueue(a_message())

    assert outbox_send(message_id=row.pk) == "queued"
    row.refresh_from_db()
    assert row.attempts == 1
    assert row.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    # Retried a minute later, then two, ... (the sweep picks it up when due).
    waited = row.next_attempt_at - timezone.now()
    assert datetime.timedelta(seconds=55) < waited <= datetime.timedelta(seconds=60)

    assert outbox_send(message_id=row.pk) == "queued"
    assert outbox_send(message_id=row.pk) == "failed"
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", 3)
    assert mail.outbox == []
    assert outbox_send(message_id=row.pk) == "failed"  # a failed message is left to staff


def test_the_sweep_sends_what_is_still_queued_a_minute_later_and_nothing_sooner():
    row = outbox_enqueue(a_message())  # its send after commit never ran: broker down

    assert outbox_send_due() == 0  # the send queued on commit goes first
    assert outbox_send_due(now=timezone.now() + datetime.timedelta(seconds=61)) == 1

    row.refresh_from_db()
    assert row.status == "sent"
    assert len(mail.outbox) == 1


def test_the_sweep_forgets_sent_messages_after_a_week_but_keeps_failed_ones(settings):
    sent = outbox_enqueue(a_message())
    failed = outbox_enqueue(a_message(subject="failed"))
    outbox_send(message_id=sent.pk)
    Message.objects.filter(pk=failed.pk).update(status="failed")

    outbox_send_due(
        now=timezone.now() + datetime.timedelta(days=settings.OUTBOX_KEEP_SENT_DAYS, hours=1)
    )

    assert list(Message.objects.values_list("pk", flat=True)) == [failed.pk]


def test_the_outbox_refuses_what_it_cannot_store():
    message = a_message()
    message.attach("report.pdf", b"%PDF", "application/pdf")
    with pytest.raises(ValueError):
        outbox_enqueue(message)
    with pytest.raises(ValueError):
        outbox_enqueue(a_message(bcc=["hidden@example.org"]))


def test_the_admin_lists_subjects_and_states_to_staff_never_addresses_or_bodies(
    secretariat_client, focal_point, anonymous
):
    row = outbox_enqueue(a_message(to=["reader@elsewhere.example"]))
    url = "/admin/outbox/message/"

    listing = secretariat_client.get(url)
    detail = secretariat_client.get(f"{url}{row.pk}/change/")

    assert listing.status_code == 200 and detail.status_code == 200
    assert "WGSOM: a report awaits validation" in listing.content.decode()
    for page in (listing.content.decode(), detail.content.decode()):
        assert "reader@elsewhere.example" not in page
        assert "reporting/reports/1" not in page
    assert secretariat_client.post(f"{url}{row.pk}/delete/").status_code == 403
    assert secretariat_client.get(f"{url}add/").status_code == 403
    focal = Client()
    focal.force_login(focal_point)
    assert focal.get(url).status_code == 302  # not staff: the admin's sign-in page
    assert anonymous.get(url).status_code == 302
