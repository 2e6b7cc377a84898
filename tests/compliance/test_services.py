"""Computing and storing snapshots, queueing refreshes after validations."""

from __future__ import annotations

import logging

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from compliance import snapshot_sql
from compliance.models import ComplianceFigure, ComplianceSnapshot
from compliance.refresh import REFRESH_QUEUED_KEY, snapshot_refresh_soon
from compliance.selectors import compliance_figures, latest_figures
from compliance.services import compliance_snapshot_compute
from tests.celery_workers import celery_app_on
from tests.factories import ImplementationReportFactory

pytestmark = pytest.mark.usefixtures("wgsom")

TASK = "compliance.tasks.refresh_snapshot"


def rows_by_key(figures: dict) -> dict:
    keys = {
        "by_recommendation": "id",
        "by_theme": "slug",
        "by_meeting": "ordinal",
        "by_state": "code",
        "by_regional_group": "slug",
    }
    flat = {("overall", ""): figures["overall"]}
    for list_key, key in keys.items():
        for row in figures[list_key]:
            flat[(list_key, row[key])] = row
    return flat


def test_a_snapshot_stores_every_row_of_the_figures(reports):
    figures = compliance_figures()

    outcome = compliance_snapshot_compute(trigger="manual", force=True)

    assert outcome.written
    snapshot = outcome.snapshot
    assert snapshot.trigger == "manual"
    assert snapshot.figures.count() == 1 + sum(
        len(figures[key])
        for key in ("by_recommendation", "by_theme", "by_meeting", "by_state", "by_regional_group")
    )
    assert snapshot.validated_reports == 10  # make_reports: 12 reports, 2 not validated
    assert latest_figures() == figures


def test_a_second_run_with_nothing_changed_writes_nothing(reports):
    first = compliance_snapshot_compute(force=True).snapshot
    snapshots, figures = ComplianceSnapshot.objects.count(), ComplianceFigure.objects.count()

    with CaptureQueriesContext(connection) as queries:
        outcome = compliance_snapshot_compute()

    assert not outcome.written
    assert outcome.snapshot == first
    assert (ComplianceSnapshot.objects.count(), ComplianceFigure.objects.count()) == (
        snapshots,
        figures,
    )
    writes = [q for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))]
    if connection.vendor == "postgresql":
        # The database counts the figures by writing them, hashes them, and takes the
        # writes back when the hash is the latest snapshot's.
        assert any(q["sql"].startswith("ROLLBACK TO SAVEPOINT") for q in queries)
    else:
        assert not writes


def test_force_writes_a_snapshot_even_when_nothing_changed(reports):
    first = compliance_snapshot_compute(force=True).snapshot

    outcome = compliance_snapshot_compute(force=True)

    assert outcome.written
    assert outcome.snapshot.sequence == first.sequence + 1
    assert outcome.snapshot.fingerprint == first.fingerprint


def test_a_validated_report_changes_exactly_the_figures_it_should(reports):
    state = reports["silent_party"]
    recommendation = reports["recommendations"][2]
    compliance_snapshot_compute(force=True)
    before = rows_by_key(latest_figures())

    ImplementationReportFactory(state=state, recommendation=recommendation, status="implemented")
    outcome = compliance_snapshot_compute(trigger="validation")

    assert outcome.written
    after = rows_by_key(latest_figures())
    themes = set(recommendation.themes.values_list("slug", flat=True))
    expected_changes = {
        ("overall", ""),
        ("by_recommendation", recommendation.pk),
        ("by_state", state.code),
        ("by_meeting", recommendation.meeting.ordinal),
        ("by_regional_group", state.regional_group.slug),
        *{("by_theme", slug) for slug in themes},
    }
    changed = {key for key in before if before[key] != after[key]}
    assert changed == expected_changes
    for key in expected_changes:
        assert after[key]["implemented"] == before[key]["implemented"] + 1
        assert after[key]["reported"] == before[key]["reported"] + 1
        assert after[key]["no_information"] == before[key]["no_information"] - 1
        assert after[key]["share_implementing"] > before[key]["share_implementing"]


def test_a_draft_report_changes_nothing(reports):
    compliance_snapshot_compute(force=True)

    ImplementationReportFactory(
        state=reports["silent_party"],
        recommendation=reports["recommendations"][0],
        review_state="draft",
        validated_at=None,
    )

    assert not compliance_snapshot_compute().written


def test_a_failure_midway_through_writing_leaves_the_previous_snapshot_intact_and_visible(
    reports, monkeypatch
):
    previous = compliance_snapshot_compute(force=True).snapshot
    figures_before = latest_figures()
    rows_before = ComplianceFigure.objects.count()
    ImplementationReportFactory(
        state=reports["silent_party"], recommendation=reports["recommendations"][0]
    )
    calls = []

    def failing_on_the_figure_rows(*args, **kwargs):
        # The figure rows are written in one statement, after the snapshot's own row.
        calls.append(1)
        raise DatabaseError("disk full")

    if connection.vendor == "postgresql":
        monkeypatch.setattr(snapshot_sql, "figures_insert", failing_on_the_figure_rows)
    else:
        monkeypatch.setattr(ComplianceFigure.objects, "bulk_create", failing_on_the_figure_rows)

    with pytest.raises(DatabaseError, match="disk full"):
        compliance_snapshot_compute()

    assert len(calls) == 1
    assert ComplianceSnapshot.objects.order_by("-sequence").first() == previous
    assert ComplianceFigure.objects.count() == rows_before
    assert latest_figures() == figures_before
    monkeypatch.undo()
    assert compliance_snapshot_compute().snapshot.sequence == previous.sequence + 1


def test_an_unknown_trigger_is_refused_naming_the_field():
    with pytest.raises(ValidationError) as refused:
        compliance_snapshot_compute(trigger="whenever")

    assert "trigger" in refused.value.message_dict


def test_a_snapshot_reads_the_same_number_of_queries_however_much_data(grow):
    def reads() -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            compliance_snapshot_compute(force=True)
        return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]

    # SQLite: 7 figures, 3 validated reports summary (two counts and the newest change), 1
    # latest snapshot (inserts are one per dimension, split further only where SQLite caps
    # the parameters of a query). PostgreSQL: the advisory lock, the latest snapshot, the
    # summary's 3, the statement's memory and the fingerprint; the figures are counted
    # inside the one INSERT ... SELECT.
    expected = 7 if connection.vendor == "postgresql" else 11
    grow(2)
    assert len(reads()) == expected
    grow(20)
    assert len(reads()) == expected


# --- Queueing after validations ----------------------------------------------------------


@pytest.fixture
def queued(monkeypatch):
    """A Celery app on an in-memory broker, its refresh task's apply_async recorded."""
    calls = []
    with celery_app_on("memory://") as app:
        monkeypatch.setattr(
            app.tasks[TASK], "apply_async", lambda *args, **kwargs: calls.append(kwargs)
        )
        yield calls


def validate_a_report(reports, django_capture_on_commit_callbacks) -> None:
    """A validation in a transaction of its own, committed: its on-commit callbacks run."""
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        ImplementationReportFactory(
            state=reports["silent_party"], recommendation=reports["recommendations"][0]
        )
        snapshot_refresh_soon()


def test_twenty_validations_within_the_debounce_window_queue_one_refresh(
    reports, queued, django_capture_on_commit_callbacks, settings
):
    settings.COMPLIANCE_REFRESH_DEBOUNCE_SECONDS = 60

    for _ in range(20):
        validate_a_report(reports, django_capture_on_commit_callbacks)

    assert queued == [{"kwargs": {"trigger": "validation"}, "countdown": 60}]


def test_a_validation_after_the_window_queues_another_refresh(
    reports, queued, django_capture_on_commit_callbacks
):
    validate_a_report(reports, django_capture_on_commit_callbacks)
    cache.delete(REFRESH_QUEUED_KEY)  # the window (the key's lifetime) has passed

    validate_a_report(reports, django_capture_on_commit_callbacks)

    assert len(queued) == 2


def test_many_validations_in_one_transaction_queue_one_refresh(
    reports, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for _ in range(20):
            snapshot_refresh_soon()

    assert len(queued) == 1


def test_a_refresh_dropped_with_a_rolled_back_savepoint_is_asked_for_again(
    reports, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            snapshot_refresh_soon()
            raise RuntimeError("this validation failed")
        snapshot_refresh_soon()

    assert len(callbacks) == 1


def test_nothing_is_queued_for_a_transaction_that_rolls_back(
    reports, queued, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        snapshot_refresh_soon()
        raise RuntimeError("validation failed")

    assert queued == []


def test_with_tasks_run_in_process_every_validation_refreshes_at_once(
    reports, django_capture_on_commit_callbacks
):
    # The project's test settings, like `make run` without REDIS_URL, run tasks in-process.
    compliance_snapshot_compute(force=True)

    validate_a_report(reports, django_capture_on_commit_callbacks)

    latest = ComplianceSnapshot.objects.order_by("-sequence").first()
    assert latest.trigger == "validation"
    assert latest_figures() == compliance_figures()


def test_with_redis_down_the_report_is_saved_the_failure_logged_and_the_next_run_catches_up(
    reports, django_capture_on_commit_callbacks, caplog
):
    before = compliance_snapshot_compute(force=True).snapshot

    with celery_app_on("redis://127.0.0.1:1/0"), caplog.at_level(logging.ERROR):
        validate_a_report(reports, django_capture_on_commit_callbacks)  # raises nothing

    assert "Could not queue a compliance snapshot refresh" in caplog.text
    assert cache.get(REFRESH_QUEUED_KEY) is None  # the next validation tries again
    assert ComplianceSnapshot.objects.order_by("-sequence").first() == before
    outcome = compliance_snapshot_compute()  # what the nightly run does
    assert outcome.written
    assert latest_figures() == compliance_figures()
