"""Real Celery workers for the tests that need one: an app sending to a test Redis on a queue of
its own, and a worker running its tasks in a thread.

Needs Redis at WGSOM_TEST_REDIS_URL (default redis://127.0.0.1:6379/15): a test that asks for
it is skipped with the reason when Redis is unreachable, except in CI (CI=true), where a
missing Redis is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import celery.contrib.testing.tasks  # noqa: F401  (registers celery.ping for start_worker)
import pytest
import redis
from celery import Celery, current_app
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from kombu import Queue

REDIS_URL = os.environ.get("WGSOM_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@contextmanager
def celery_app_on(broker_url: str, *, result_backend: str | None = None) -> Iterator[Celery]:
    """A Celery app configured like the project's but sending to `broker_url`, made the current
    app (so that the tasks, and snapshot_refresh_soon, use it) until the block ends.

    Queues of its own, so that a worker started on it never takes another run's messages
    from a Redis shared by parallel test sessions: each of the project's queues (imports, mail,
    ...) under a prefix unique to this app, with the project's routes pointing at them, so the
    tasks are routed as in production and a worker started without queues consumes them all.
    """
    original = current_app._get_current_object()
    app = Celery("wgsom-test", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    prefix = f"wgsom-test-{uuid.uuid4().hex}"
    app.conf.update(
        broker_url=broker_url,
        result_backend=result_backend,
        task_always_eager=False,
        task_default_queue=f"{prefix}-{settings.CELERY_TASK_DEFAULT_QUEUE}",
        task_queues=[Queue(f"{prefix}-{queue.name}") for queue in settings.CELERY_TASK_QUEUES],
        task_routes={
            pattern: {**route, "queue": f"{prefix}-{route['queue']}"}
            for pattern, route in settings.CELERY_TASK_ROUTES.items()
        },
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=False,
    )
    app.set_current()
    try:
        yield app
    finally:
        # start_worker makes its app the default too; give both back to the project's app.
        original.set_current()
        original.set_default()
        app.close()


@pytest.fixture
def redis_url() -> str:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        message = f"Redis is unreachable at WGSOM_TEST_REDIS_URL={REDIS_URL} ({exc})"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"{message}; CI needs it for the real-worker test.")
        pytest.skip(f"{message}; start Redis or set WGSOM_TEST_REDIS_URL to run this test.")
    return REDIS_URL


@pytest.fixture
def worker(redis_url, wgsom):
    """A worker on the test Redis, running the project's tasks, with results kept there."""
    with (
        celery_app_on(redis_url, result_backend=redis_url) as app,
        start_worker(app, pool="solo", perform_ping_check=True, shutdown_timeout=30),
    ):
        yield app
