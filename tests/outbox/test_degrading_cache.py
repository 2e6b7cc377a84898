"""The cache answers a miss while Redis is down, and what that means for each caller: the API
throttle lets requests through (fail open), the sign-up limit sends nothing (fail closed)."""

from __future__ import annotations

import logging
import os
import time

import pytest
from django.core.cache import cache
from rest_framework.settings import api_settings

from core.cache import _breakers
from core.tasks import enqueue, enqueue_after_commit
from outbox.models import Message
from recommendations.models import Theme
from subscriptions import services as subscriptions
from tests.celery_workers import celery_app_on
from tests.processes import run_python

DEAD_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def dead_cache(settings):
    _breakers.clear()
    settings.CACHES = {
        "default": {"BACKEND": "core.cache.DegradingRedisCache", "LOCATION": DEAD_REDIS}
    }
    yield cache
    _breakers.clear()


def test_a_dead_cache_answers_every_operation_as_a_miss(dead_cache):
    assert dead_cache.get("key", "default") == "default"
    assert dead_cache.add("key", 1) is False
    assert dead_cache.set("key", 1) is None
    assert dead_cache.get_many(["a", "b"]) == {}
    assert dead_cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert dead_cache.has_key("key") is False
    assert dead_cache.delete("key") is False
    assert dead_cache.get_or_set("key", 5) == 5
    with pytest.raises(ValueError):
        dead_cache.incr("key")
    dead_cache.clear()
    assert dead_cache.available is False


@pytest.mark.django_db
def test_the_api_throttle_lets_requests_through_while_the_cache_is_down(
    dead_cache, anonymous, monkeypatch
):
    monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, "anon", "1/minute")

    statuses = [anonymous.get("/api/v1/themes/").status_code for _ in range(3)]

    assert statuses == [200, 200, 200]


def test_the_sign_up_limit_sends_no_confirmation_it_cannot_count(dead_cache, wgsom):
    technology = Theme.objects.get(slug="technology")

    signup = subscriptions.signup_create(
        email="someone@example.org", frequency="daily", themes=[technology]
    )

    assert signup is None
    assert not Message.objects.exists()


def test_a_publish_to_a_dead_broker_is_logged_fast_and_never_raised(caplog):
    started = time.monotonic()
    with celery_app_on(DEAD_REDIS, result_backend=DEAD_REDIS), caplog.at_level(logging.ERROR):
        assert enqueue("outbox.tasks.send_queued", if_lost="The sweep catches up.") is False

    assert time.monotonic() - started < 1.5  # not the result store's 19 s of retries

    assert "Could not queue outbox.tasks.send_queued" in caplog.text
    assert "The sweep catches up." in caplog.text


@pytest.mark.django_db
def test_a_publish_after_commit_to_a_dead_broker_never_fails_the_committed_write(
    django_capture_on_commit_callbacks, caplog
):
    with (
        celery_app_on(DEAD_REDIS, result_backend=DEAD_REDIS),
        caplog.at_level(logging.ERROR),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        enqueue_after_commit("outbox.tasks.send_message", 1)

    assert len(callbacks) == 1
    assert "Could not queue outbox.tasks.send_message" in caplog.text


def test_with_redis_url_on_a_dead_redis_the_settings_degrade_in_milliseconds():
    # The settings as a process started with REDIS_URL builds them, not as a test overrides.
    code = (
        "import json, time, django; django.setup()\n"
        "from django.conf import settings; from django.core.cache import cache\n"
        "from core.tasks import enqueue\n"
        "started = time.monotonic(); missed = cache.get('key', 'missed')\n"
        "cache_seconds = time.monotonic() - started\n"
        "started = time.monotonic(); queued = enqueue('outbox.tasks.send_queued')\n"
        "print(json.dumps({'backend': settings.CACHES['default']['BACKEND'], 'missed': missed,\n"
        "  'cache_seconds': cache_seconds, 'queued': queued,\n"
        "  'publish_seconds': time.monotonic() - started}))\n"
    )
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))},
        "DJANGO_SETTINGS_MODULE": "wgsom.settings.base",
        "REDIS_URL": DEAD_REDIS,
    }
    values = run_python(code, env)
    assert values["backend"] == "core.cache.DegradingRedisCache"
    assert values["missed"] == "missed" and values["cache_seconds"] < 0.5
    assert values["queued"] is False and values["publish_seconds"] < 1.5
