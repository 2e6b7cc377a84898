"""The e-mail outbox: every message the application sends is written here first.

`outbox_enqueue` writes the message in the caller's transaction and asks for it to be sent
once that commits (core.tasks: a broker that is down is logged, never raised). The sweep
(`outbox_send_due`, every minute) sends what is still queued a minute later, so messages
queued while the broker was down go out once it is back. A send that fails is kept queued with
its error and tried again after 1, 2, 4, ... minutes (at most OUTBOX_RETRY_BACKOFF_MAX
seconds), and marked failed, for staff to see in the admin, after OUTBOX_MAX_ATTEMPTS. Sending
is at least once: a worker that dies between the mail server's acceptance and the row's update
sends the message again.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from core.tasks import enqueue_after_commit

from .models import Message, MessageStatus

SEND_TASK = "outbox.tasks.send_message"
# What the sweep sends in one run; the rest waits a minute.
SWEEP_BATCH = 200


def outbox_enqueue(message: EmailMessage) -> Message:
    """Keep `message` in the outbox, in the current transaction, and send it once that commits.

    Plain-text messages without attachments only: that is all the application sends, and the
    row stores exactly what is sent.
    """
    if message.attachments or getattr(message, "alternatives", None):
        raise ValueError("The outbox keeps plain-text messages without attachments.")
    if message.cc or message.bcc or message.reply_to:
        raise ValueError("The outbox keeps messages with To recipients only.")
    now = timezone.now()
    row = Message.objects.create(
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(message.to),
        subject=str(message.subject),
        body=str(message.body),
        headers=dict(message.extra_headers),
        next_attempt_at=now + datetime.timedelta(seconds=60),
    )
    enqueue_after_commit(
        SEND_TASK, row.pk, if_lost="The outbox sweep sends the message within minutes."
    )
    return row


def _backoff(attempts: int) -> datetime.timedelta:
    seconds = min(60 * 2 ** (attempts - 1), settings.OUTBOX_RETRY_BACKOFF_MAX)
    return datetime.timedelta(seconds=seconds)


@transaction.atomic
def outbox_send(*, message_id: int) -> str:
    """Send one queued message; return its status afterwards ("" when it is gone).

    The row is locked while the mail server is asked, so that the send queued on commit and
    the sweep never send it twice; a message no longer queued is left as it is. A failure is
    recorded on the row, never raised: the row is the retry.
    """
    row = Message.objects.select_for_update().filter(pk=message_id).first()
    if row is None:
        return ""
    if row.status != MessageStatus.QUEUED:
        return row.status
    message = EmailMessage(
        subject=row.subject,
        body=row.body,
        from_email=row.from_email,
        to=row.to,
        headers=row.headers,
        connection=get_connection(),
    )
    row.attempts += 1
    now = timezone.now()
    try:
        message.send()
    except Exception as exc:
        row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if row.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            row.status = MessageStatus.FAILED
        else:
            row.next_attempt_at = now + _backoff(row.attempts)
    else:
        row.status = MessageStatus.SENT
        row.sent_at = now
    row.save(update_fields=["attempts", "last_error", "status", "next_attempt_at", "sent_at"])
    return row.status


def outbox_send_due(*, now: datetime.datetime | None = None) -> int:
    """Send the queued messages whose time has come; return how many were sent.

    Also deletes sent messages older than OUTBOX_KEEP_SENT_DAYS: their bodies hold links
    nobody needs to keep.
    """
    now = now or timezone.now()
    due = list(
        Message.objects.filter(status=MessageStatus.QUEUED, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    sent = sum(outbox_send(message_id=pk) == MessageStatus.SENT for pk in due)
    Message.objects.filter(
        status=MessageStatus.SENT,
        sent_at__lt=now - datetime.timedelta(days=settings.OUTBOX_KEEP_SENT_DAYS),
    ).delete()
    return sent
