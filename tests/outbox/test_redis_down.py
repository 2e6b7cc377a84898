"""With Redis down (cache and broker), the site degrades and never fails: API reads and public
pages answer, reports are saved and their notifications wait in the outbox, and the outbox
sweep sends them once the broker is back.

The dead Redis is a closed port: a connection is refused at once, as from a stopped server.
"""

from __future__ import annotations

import datetime
import time

import celery.contrib.testing.tasks  # noqa: F401  (registers celery.ping for start_worker)
import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

import outbox.tasks  # noqa: F401  (registers the tasks on every app, the test's too)
from outbox.models import Message
from reporting.models import ImplementationReport
from tests.celery_workers import celery_app_on
from tests.factories import DraftReportFactory, RecommendationFactory

DEAD_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_down(settings):
    """The cache and the broker both on a Redis that refuses connections."""
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.DegradingRedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    with celery_app_on(DEAD_REDIS, result_backend=DEAD_REDIS) as app:
        yield app


def test_with_redis_down_api_reads_and_public_pages_answer(redis_down, anonymous, wgsom):
    recommendation = RecommendationFactory()

    responses = [
        anonymous.get(reverse("home")),
        anonymous.get(reverse("recommendations:list")),
        anonymous.get(reverse("recommendations:detail", args=[recommendation.pk])),
        anonymous.get("/api/v1/recommendations/"),
        anonymous.get("/api/v1/states/"),
    ]

    assert [response.status_code for response in responses] == [200] * 5
    assert cache.get("anything", "missed") == "missed"


def test_a_cache_outage_is_logged_once_not_once_per_call(redis_down, caplog):
    from core.cache import _breakers

    _breakers.clear()  # a fresh process
    with caplog.at_level("WARNING", logger="core.cache"):
        for _ in range(50):
            cache.get("key")
            cache.set("key", 1)

    assert len([r for r in caplog.records if r.name == "core.cache"]) == 1


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_with_redis_down_the_secretariat_validates_and_the_notification_waits_then_goes_out(
    redis_down, redis_url, wgsom, secretariat_client, focal_point, state, client
):
    recommendation = RecommendationFactory()
    report = DraftReportFactory(state=state, recommendation=recommendation)
    client.force_login(focal_point)

    # The focal point submits, then the Secretariat validates, on the web: each change
    # commits, and the publish after commit fails against the dead broker.
    started = time.monotonic()
    submitted = client.post(
        reverse("reporting:report_submit", args=[report.pk]), {"version": report.version}
    )
    report.refresh_from_db()
    validated = secretariat_client.post(
        reverse("reporting:report_validate", args=[report.pk]),
        {"version": report.version},
        follow=True,
    )
    elapsed = time.monotonic() - started

    assert submitted.status_code == 302
    assert validated.status_code == 200
    assert "Report validated" in validated.content.decode()
    assert elapsed < 5  # a dead Redis costs milliseconds, not the 19 s it once did
    report.refresh_from_db()
    assert report.review_state == ImplementationReport.ReviewState.VALIDATED
    assert mail.outbox == []
    waiting = Message.objects.get(to=[focal_point.email])
    assert waiting.status == "queued" and waiting.attempts == 0
    assert Message.objects.filter(to=["staff@unodc.example"], status="queued").exists()

    # The broker is back: a minute later the sweep, run by a real worker, sends them.
    Message.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))
    with (
        celery_app_on(redis_url, result_backend=redis_url) as app,
        start_worker(app, pool="solo", perform_ping_check=True, shutdown_timeout=30),
    ):
        sent = app.tasks["outbox.tasks.send_queued"].delay().get(timeout=60)

    assert sent == 2
    assert sorted(m.to[0] for m in mail.outbox) == [focal_point.email, "staff@unodc.example"]
    waiting.refresh_from_db()
    assert waiting.status == "sent" and waiting.sent_at is not None
