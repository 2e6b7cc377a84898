"""The Celery tasks: late acknowledgement, retries with back-off on database errors, time
limits, and safe to run twice."""

from __future__ import annotations

import pytest
from django.db import OperationalError

from compliance import services
from compliance.models import ComplianceSnapshot
from compliance.tasks import refresh_snapshot, send_reminders

pytestmark = pytest.mark.usefixtures("wgsom")


@pytest.mark.parametrize("task", [refresh_snapshot, send_reminders])
def test_tasks_acknowledge_late_and_retry_database_errors_with_back_off(task, settings):
    assert task.acks_late is True
    assert task.reject_on_worker_lost is True
    assert OperationalError in task.autoretry_for
    assert task.retry_backoff is True
    assert task.retry_jitter is True
    assert task.retry_backoff_max == settings.COMPLIANCE_TASK_RETRY_BACKOFF_MAX
    assert task.max_retries == settings.COMPLIANCE_TASK_MAX_RETRIES


def test_the_snapshot_task_has_time_limits(settings):
    assert refresh_snapshot.soft_time_limit == settings.COMPLIANCE_SNAPSHOT_SOFT_TIME_LIMIT
    assert refresh_snapshot.time_limit == settings.COMPLIANCE_SNAPSHOT_TIME_LIMIT
    assert refresh_snapshot.soft_time_limit < refresh_snapshot.time_limit


def test_the_snapshot_task_retries_after_a_database_error_and_then_succeeds(reports, monkeypatch):
    real_compute = services.compliance_snapshot_compute
    attempts = []

    def compute_failing_twice(**kwargs):
        attempts.append(kwargs)
        if len(attempts) <= 2:
            raise OperationalError("server closed the connection unexpectedly")
        return real_compute(**kwargs)

    monkeypatch.setattr(services, "compliance_snapshot_compute", compute_failing_twice)
    # In-process tasks re-raise errors (the test settings say so); a worker would retry, and
    # so does an in-process run that does not re-raise.
    monkeypatch.setitem(refresh_snapshot.app.conf, "task_eager_propagates", False)

    result = refresh_snapshot.apply(kwargs={"trigger": "scheduled", "force": True})

    assert result.successful()
    assert len(attempts) == 3
    assert result.result == ComplianceSnapshot.objects.order_by("-sequence").first().sequence


def test_the_snapshot_task_run_twice_writes_one_snapshot(reports):
    first = refresh_snapshot.apply(kwargs={"force": True}).result
    second = refresh_snapshot.apply().result

    assert first is not None
    assert second is None
    assert ComplianceSnapshot.objects.order_by("-sequence").first().sequence == first
