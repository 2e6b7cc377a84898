"""The compliance snapshot counted over CurrentStatus inside the database, and the pruning of
old snapshots.

The figures a snapshot stores are what the old computation over every report gives (the
independent oracle restates the current-report rule); unchanged figures write nothing; and
pruning keeps the last month, the last snapshot before each meeting opened, the latest, and
what a Secretariat report was built from.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from compliance import services, tasks
from compliance.models import ComplianceFigure, ComplianceSnapshot, SecretariatReport
from compliance.selectors import compliance_figures, snapshot_figures, snapshot_latest
from meetings.models import Meeting
from reporting.models import CurrentStatus
from tests.compliance.conftest import make_reports
from tests.compliance.oracle import figures_by_hand, keyed
from tests.factories import SecretariatUserFactory

pytestmark = pytest.mark.usefixtures("wgsom")

NOW = timezone.make_aware(datetime.datetime(2026, 6, 1, 12, 0))


def test_the_stored_snapshot_equals_the_old_computation_over_every_report():
    make_reports()
    outcome = services.compliance_snapshot_compute(force=True)
    assert outcome.written
    assert keyed(snapshot_figures(snapshot_latest())) == figures_by_hand()


def test_the_figures_are_counted_from_the_current_status_table():
    made = make_reports()
    first = services.compliance_snapshot_compute(force=True).snapshot
    # The table is what the figures read: a tampered row shows in the next snapshot.
    a = made["parties"][0]
    CurrentStatus.objects.filter(state=a).delete()
    second = services.compliance_snapshot_compute().snapshot
    assert second.sequence == first.sequence + 1
    assert keyed(snapshot_figures(snapshot_latest())) != figures_by_hand()


def test_unchanged_figures_write_nothing():
    make_reports()
    services.compliance_snapshot_compute(force=True)
    figures = ComplianceFigure.objects.count()
    outcome = services.compliance_snapshot_compute()
    assert not outcome.written
    assert ComplianceFigure.objects.count() == figures


def test_the_figure_rows_are_written_in_as_few_inserts_as_the_database_allows():
    make_reports()
    services.compliance_snapshot_compute(force=True)
    rows = ComplianceFigure.objects.filter(snapshot=snapshot_latest()).count()
    with CaptureQueriesContext(connection) as queries:
        services.compliance_snapshot_compute(force=True)
    table = '"compliance_compliancefigure"'
    inserts = [q["sql"] for q in queries if f"INSERT INTO {table}" in q["sql"]]
    if connection.vendor == "postgresql":
        # Counted and written by the database itself: one INSERT ... SELECT, no row in Python.
        (statement,) = inserts
        assert statement.lstrip().startswith("WITH")
        assert ComplianceFigure.objects.filter(snapshot=snapshot_latest()).count() == rows
        return
    # All dimensions together, split only by SQLite's limit on parameters per query.
    fields = [f for f in ComplianceFigure._meta.concrete_fields if not f.primary_key]
    batch = min(1000, connection.ops.bulk_batch_size(fields, [None] * rows))
    assert len(inserts) == -(-rows // batch)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL snapshot is PostgreSQL's")
def test_the_database_counts_what_python_counts_row_for_row():
    """Names, positions and counts of every row: the SQL statement and the Python
    computation SQLite uses give the same snapshot."""
    make_reports()
    snapshot = services.compliance_snapshot_compute(force=True).snapshot
    stored = snapshot_figures(snapshot)
    assert stored == compliance_figures()


# --- Pruning ------------------------------------------------------------------------------


def snapshot_at(when: datetime.datetime) -> ComplianceSnapshot:
    latest = ComplianceSnapshot.objects.order_by("-sequence").first()
    return ComplianceSnapshot.objects.create(
        sequence=(latest.sequence + 1) if latest else 1,
        computed_at=when,
        trigger="scheduled",
        fingerprint=f"{when.isoformat()}",
        validated_reports=0,
    )


def days_before(days: int, hours: int = 0) -> datetime.datetime:
    return NOW - datetime.timedelta(days=days, hours=hours)


@pytest.fixture
def history():
    """A snapshot every ten days for a year (the newest ten days before NOW), one a day for
    the last week, and one meeting, opening 100 days before NOW."""
    ComplianceSnapshot.objects.all().delete()
    Meeting.objects.update(start_date=None, end_date=None)
    opening = (NOW - datetime.timedelta(days=100)).date()
    Meeting.objects.filter(pk=Meeting.objects.order_by("ordinal").first().pk).update(
        start_date=opening, end_date=opening
    )
    made = {}
    for days in range(360, 0, -10):
        made[days] = snapshot_at(days_before(days))
    for days in range(6, -1, -1):
        made[days] = snapshot_at(days_before(days, hours=1))
    return made


def test_pruning_keeps_the_last_month_the_last_before_each_meeting_and_the_latest(history):
    pruned = services.compliance_snapshots_prune(now=NOW)
    kept = set(ComplianceSnapshot.objects.values_list("pk", flat=True))
    recent = {snap.pk for days, snap in history.items() if days <= 31}
    before_meeting = history[110]  # the last computed before the meeting's first day
    assert kept == recent | {before_meeting.pk}
    assert pruned == len(history) - len(kept)
    assert not ComplianceFigure.objects.exclude(snapshot__in=kept).exists()


def test_pruning_keeps_the_latest_even_when_old(history):
    ComplianceSnapshot.objects.filter(computed_at__gte=days_before(31)).delete()
    latest = ComplianceSnapshot.objects.order_by("-sequence").first()
    services.compliance_snapshots_prune(now=NOW)
    assert ComplianceSnapshot.objects.filter(pk=latest.pk).exists()


def test_pruning_keeps_what_a_secretariat_report_was_built_from(history):
    cited = history[200]
    SecretariatReport.objects.create(
        snapshot=cited,
        meeting=Meeting.objects.order_by("ordinal").first(),
        language="en",
        requested_by=SecretariatUserFactory(),
    )
    services.compliance_snapshots_prune(now=NOW)
    assert ComplianceSnapshot.objects.filter(pk=cited.pk).exists()


def test_pruning_twice_deletes_nothing_more(history):
    services.compliance_snapshots_prune(now=NOW)
    assert services.compliance_snapshots_prune(now=NOW) == 0


def test_the_nightly_task_prunes_after_the_snapshot(history, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    tasks.refresh_snapshot(trigger="scheduled")
    assert not ComplianceSnapshot.objects.filter(pk=history[200].pk).exists()
