"""A real Celery worker on Redis sends the digests: the scheduled task queues one digest per
subscriber, and the worker sends each.

Needs Redis at WGSOM_TEST_REDIS_URL (default redis://127.0.0.1:6379/15): skipped with the
reason when unreachable, except in CI (CI=true), where a missing Redis is a failure.
"""

from __future__ import annotations

import datetime
import time

import celery.contrib.testing.tasks  # noqa: F401  (registers celery.ping for start_worker)
import pytest
from django.core import mail
from django.db import OperationalError
from django.utils import timezone

import subscriptions.tasks  # noqa: F401  (registers the tasks on every app, the test's too)
from recommendations.models import Theme
from subscriptions.models import Subscriber
from tests.factories import RecommendationFactory

# The worker runs in a thread with its own database connection, so the test's data must be
# committed: a transactional test (the `wgsom` fixture reloads the reference data after the
# flush that ends such a test).
pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def wait_for_last_digest(subscriber: Subscriber, timeout: float = 60) -> datetime.datetime | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            subscriber.refresh_from_db()
        except OperationalError:
            # SQLite's shared in-memory test database locks a table while the worker's
            # thread writes it; PostgreSQL never does. Read again.
            pass
        else:
            if subscriber.last_digest_at is not None:
                return subscriber.last_digest_at
        time.sleep(0.2)
    return None


def test_a_real_worker_sends_the_daily_digest_of_a_new_recommendation(worker):
    technology = Theme.objects.get(slug="technology")
    subscriber = Subscriber.objects.create(
        email="follower@example.org", frequency="daily", confirmed_at=timezone.now()
    )
    subscriber.themes.set([technology])
    weekly = Subscriber.objects.create(
        email="weekly@example.org", frequency="weekly", confirmed_at=timezone.now()
    )
    weekly.themes.set([technology])
    new = RecommendationFactory(themes=[technology], label="931")

    queued = worker.tasks["subscriptions.tasks.send_digests"].apply_async(
        kwargs={"frequency": "daily"}
    )

    assert queued.get(timeout=60) == 1
    assert wait_for_last_digest(subscriber) is not None, "no digest within a minute"
    [digest] = mail.outbox
    assert digest.to == ["follower@example.org"]
    assert new.display_label in digest.body
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    weekly.refresh_from_db()
    assert weekly.last_digest_at is None
