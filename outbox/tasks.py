"""Sending the outbox: one message as soon as its write commits, and every minute (a beat row,
migration 0002) whatever is still queued. Both are safe to run twice: a message is sent only
while it is queued, under a row lock."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import services

_RELIABLE: dict[str, Any] = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    # Only the database is retried here; a mail server's refusal is recorded on the message
    # and retried by the sweep, with its own back-off.
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": True,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(name="outbox.tasks.send_message", **_RELIABLE)
def send_message(message_id: int) -> str:
    """Send one message of the outbox; return its status afterwards."""
    return services.outbox_send(message_id=message_id)


@shared_task(name="outbox.tasks.send_queued", **_RELIABLE)
def send_queued() -> int:
    """Send the messages still queued whose time has come; return how many were sent."""
    return services.outbox_send_due()
