"""`/healthz`: JSON for monitors, 200 when every check passes and 503 when one fails, with no
detail a stranger could use, no cookie and no throttle."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.db import connections
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from health_check.exceptions import ServiceUnavailable

from core.db_routers import REPLICA
from core.health import BEAT_TASK, BeatLastRun, schedule_interval

SECRET = "password=hunter2 host=db.internal"


def failing(*args, **kwargs):
    raise ServiceUnavailable(SECRET)


def passing(*args, **kwargs):
    return None


@pytest.fixture
def with_redis(settings):
    """REDIS_URL set: the worker ping and the beat check join; the ping is patched to pass
    (no worker here), and the cache stays local."""
    settings.REDIS_URL = "redis://127.0.0.1:6379/15"
    with mock.patch("health_check.contrib.celery.Ping.run", passing):
        yield


@pytest.fixture
def beat_ran(db):
    PeriodicTask.objects.filter(task=BEAT_TASK).update(
        last_run_at=timezone.now() - datetime.timedelta(hours=1)
    )


def healthz(client):
    return client.get(reverse("healthz"), HTTP_ACCEPT="text/html")


def test_healthy_without_redis_checks_the_database_and_cache_only(client, db):
    response = healthz(client)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "checks": {"Database": "ok", "Cache": "ok"}}
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies


def test_healthy_with_redis_checks_the_worker_and_beat_too(client, with_redis, beat_ran):
    response = healthz(client)
    assert response.status_code == 200, response.json()
    assert response.json()["checks"] == {
        "Database": "ok",
        "Cache": "ok",
        "Ping": "ok",
        "BeatLastRun": "ok",
    }


@pytest.mark.parametrize(
    ("target", "name"),
    [
        ("health_check.checks.Database.run", "Database"),
        ("health_check.checks.Cache.run", "Cache"),
        ("health_check.contrib.celery.Ping.run", "Ping"),
        ("core.health.BeatLastRun.run", "BeatLastRun"),
    ],
)
def test_each_failing_check_answers_503_naming_it_without_its_details(
    client, with_redis, beat_ran, target, name
):
    with mock.patch(target, failing):
        response = healthz(client)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"][name] == "unavailable"
    assert [check for check, state in body["checks"].items() if state != "ok"] == [name]
    assert "hunter2" not in response.content.decode()
    assert "db.internal" not in response.content.decode()


def test_an_unexpected_error_in_a_check_is_a_503_too(client, db):
    with mock.patch("health_check.checks.Cache.run", side_effect=RuntimeError(SECRET)):
        response = healthz(client)
    assert response.status_code == 503
    assert "hunter2" not in response.content.decode()


def test_beat_that_has_not_run_the_snapshot_within_twice_its_interval_fails(db):
    PeriodicTask.objects.filter(task=BEAT_TASK).update(
        last_run_at=timezone.now() - datetime.timedelta(days=3)
    )
    with pytest.raises(ServiceUnavailable):
        BeatLastRun().check()
    PeriodicTask.objects.filter(task=BEAT_TASK).update(
        last_run_at=timezone.now() - datetime.timedelta(hours=30)
    )
    BeatLastRun().check()  # within two days of a nightly task


def test_beat_check_fails_when_the_schedule_is_disabled(db):
    PeriodicTask.objects.filter(task=BEAT_TASK).update(enabled=False)
    with pytest.raises(ServiceUnavailable):
        BeatLastRun().check()


def test_the_nightly_snapshot_schedule_runs_once_a_day(db):
    task = PeriodicTask.objects.get(task=BEAT_TASK)
    assert schedule_interval(task.schedule, now=timezone.now()) == datetime.timedelta(days=1)


def test_the_health_page_is_never_throttled_and_needs_no_session(client, db):
    statuses = {healthz(client).status_code for _ in range(30)}
    assert statuses == {200}
    assert "sessionid" not in client.cookies and "csrftoken" not in client.cookies


@pytest.mark.django_db(databases=["default", REPLICA])
def test_a_replica_that_answers_is_checked_under_its_own_name(client, replica_at, tmp_path):
    replica_at(ENGINE="django.db.backends.sqlite3", NAME=str(tmp_path / "replica.sqlite3"))

    response = healthz(client)

    assert response.status_code == 200, response.json()
    assert response.json() == {
        "status": "ok",
        "checks": {"Database": "ok", "DatabaseReplica": "ok", "Cache": "ok"},
    }


@pytest.mark.django_db(databases=["default", REPLICA])
def test_a_replica_that_is_down_is_degraded_not_down_and_named_without_details(client, replica_at):
    # Pages still serve: the router reads from the primary while the replica is away.
    replica_at(
        ENGINE="django.db.backends.postgresql",
        NAME="wgsom",
        USER="wgsom",
        PASSWORD="hunter2",
        HOST="127.0.0.1",
        PORT="1",  # nothing listens there
    )

    response = healthz(client)

    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "checks": {"Database": "ok", "DatabaseReplica": "unavailable", "Cache": "ok"},
    }
    assert "hunter2" not in response.content.decode()
    assert "127.0.0.1" not in response.content.decode()


def test_a_replica_that_is_the_primary_or_none_is_not_checked(client, db):
    # The test settings' replica alias reads the primary's own database.
    assert "DatabaseReplica" not in healthz(client).json()["checks"]

    with mock.patch.dict(connections.settings):
        del connections.settings[REPLICA]
        response = healthz(client)

    assert response.status_code == 200
    assert response.json()["checks"] == {"Database": "ok", "Cache": "ok"}
