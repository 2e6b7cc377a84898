"""Delivering the outbox in a test: e-mail is written to the outbox in the transaction of its
change and sent after commit, which a test's own transaction never reaches."""

from __future__ import annotations

import datetime

from django.core import mail
from django.utils import timezone

from outbox.services import outbox_send_due


def deliver_outbox() -> list[mail.EmailMessage]:
    """Send every queued message now, as the sweep does once each is due; the test mailbox."""
    outbox_send_due(now=timezone.now() + datetime.timedelta(days=1))
    return mail.outbox
