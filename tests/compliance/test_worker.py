"""A real Celery worker on Redis runs the snapshot task; its figures are checked against an
independent count.

Needs Redis at WGSOM_TEST_REDIS_URL (default redis://127.0.0.1:6379/15): skipped with the
reason when unreachable, except in CI (CI=true), where a missing Redis is a failure.
"""

from __future__ import annotations

import time

import celery.contrib.testing.tasks  # noqa: F401  (registers celery.ping for start_worker)
import pytest
from django.db import OperationalError

import compliance.tasks  # noqa: F401  (registers the tasks on every app, the test's too)
from compliance.models import ComplianceSnapshot
from compliance.refresh import snapshot_refresh_soon
from compliance.selectors import snapshot_figures, snapshot_latest
from tests.compliance.conftest import make_reports
from tests.compliance.oracle import figures_by_hand, keyed
from tests.factories import ImplementationReportFactory

# The worker runs in a thread with its own database connection, so the test's data must be
# committed: a transactional test (the `wgsom` fixture reloads the reference data after the
# flush that ends such a test).
pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_computes_the_snapshot_an_independent_count_agrees_with(worker):
    make_reports()
    expected = figures_by_hand()

    result = worker.tasks["compliance.tasks.refresh_snapshot"].apply_async(
        kwargs={"trigger": "scheduled", "force": True}
    )
    sequence = result.get(timeout=60)

    snapshot = ComplianceSnapshot.objects.get(sequence=sequence)
    assert snapshot.trigger == "scheduled"
    assert keyed(snapshot_figures(snapshot)) == expected
    assert expected["overall"]["reported"] == 7  # the current reports of make_reports


def wait_for_a_snapshot_after(before, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            latest = snapshot_latest()
        except OperationalError:
            # SQLite's shared in-memory test database locks a table while the worker's
            # thread writes it; PostgreSQL never does. Read again.
            latest = before
        if latest != before:
            return latest
        time.sleep(0.2)
    return before


def test_a_validation_queues_a_debounced_refresh_the_worker_runs(worker, settings):
    settings.COMPLIANCE_REFRESH_DEBOUNCE_SECONDS = 1
    reports = make_reports()
    before = snapshot_latest()

    for _ in range(3):  # three validations in the window: one refresh
        ImplementationReportFactory(
            state=reports["silent_party"], recommendation=reports["recommendations"][0]
        )
        snapshot_refresh_soon()  # autocommit: queued at once

    latest = wait_for_a_snapshot_after(before)
    assert latest != before, "the worker did not write a snapshot within a minute"
    assert latest.trigger == "validation"
    assert keyed(snapshot_figures(latest)) == figures_by_hand()
    time.sleep(1.5)  # past the countdown: a second queued run would have written by now
    assert ComplianceSnapshot.objects.filter(trigger="validation").count() == 1
