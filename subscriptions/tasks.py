"""Subscription e-mail, written to the outbox (outbox/, which sends it): the daily and weekly
digests, confirmations (written with the sign-up; the task remains for those already waiting
in a broker), and the hourly purge of sign-ups never confirmed.

The digests and the purge are scheduled by django-celery-beat (rows created by migration
0002, editable in the admin). `send_digests` only queues one `send_digest` per subscriber, so
that an address whose mail server refuses is retried on its own, with back-off, and never
holds up the others. Every task takes ids and is safe to run twice: a digest covers what is
new since the last one recorded as sent, so a second run finds nothing new and sends nothing.
"""

from __future__ import annotations

import smtplib
from typing import Any

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from core.tasks import enqueue

from . import selectors, services

_RELIABLE: dict[str, Any] = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "retry_backoff": True,
    "retry_backoff_max": settings.SUBSCRIPTIONS_RETRY_BACKOFF_MAX,
    "retry_jitter": True,
    "max_retries": settings.SUBSCRIPTIONS_MAX_RETRIES,
}
# A mail server that refuses or cannot be reached, and a database that blinks.
_TRANSIENT = (
    smtplib.SMTPException,
    ConnectionError,
    TimeoutError,
    OperationalError,
    InterfaceError,
)


@shared_task(name="subscriptions.tasks.send_confirmation", autoretry_for=_TRANSIENT, **_RELIABLE)
def send_confirmation(signup_id: int) -> bool:
    """E-mail a sign-up its confirmation link; False when the sign-up is gone."""
    return services.confirmation_send(signup_id=signup_id)


@shared_task(name="subscriptions.tasks.send_digest", autoretry_for=_TRANSIENT, **_RELIABLE)
def send_digest(subscriber_id: int) -> bool:
    """E-mail one subscriber what is new for it; False when nothing was (or it is gone)."""
    return services.digest_send(subscriber_id=subscriber_id)


@shared_task(
    name="subscriptions.tasks.send_digests",
    autoretry_for=(OperationalError, InterfaceError),
    **_RELIABLE,
)
def send_digests(frequency: str) -> int:
    """Queue the digest of every subscriber at `frequency`; return how many were queued."""
    queued = 0
    for subscriber_id in selectors.digest_recipients(frequency=frequency):
        # A digest that could not be queued (or, run in-process, failed) is logged; the next
        # subscriber still gets theirs, and this one's news waits for the next run.
        if enqueue(
            send_digest.name,
            subscriber_id,
            if_lost="Its news waits for the next digest run.",
        ):
            queued += 1
    return queued


@shared_task(
    name="subscriptions.tasks.purge_unconfirmed",
    autoretry_for=(OperationalError, InterfaceError),
    **_RELIABLE,
)
def purge_unconfirmed() -> int:
    """Delete the sign-ups never confirmed whose link has expired; return how many."""
    return services.signups_purge_expired()
