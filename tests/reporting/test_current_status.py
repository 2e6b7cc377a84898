"""The current status of each (State, recommendation) pair, kept as data (CurrentStatus).

Whatever sequence of report writes goes through the services, the table holds exactly the
current report of every pair (`ImplementationReport.objects.current()`), and no row for a pair
without one; `rebuild_current_status --check` finds a row that disagrees.
"""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
import tablib
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.statuses import ImplementationStatus
from reporting import services
from reporting.models import CurrentStatus, ImplementationReport
from reporting.selectors import current_status_derived, current_status_differences
from tests.factories import ImplementationReportFactory, RecommendationFactory, StateFactory

ReviewState = ImplementationReport.ReviewState
DAY = datetime.date(2024, 1, 1)


def table(recommendations) -> set[tuple]:
    return set(
        CurrentStatus.objects.filter(recommendation__in=recommendations).values_list(
            "state_id", "recommendation_id", "report_id", "status", "as_of", "validated_at"
        )
    )


def derived(recommendations) -> set[tuple]:
    return set(current_status_derived().filter(recommendation__in=recommendations))


# One write: what it does, which pair (State index, recommendation index) or which report it
# acts on (an index into the reports made so far), the status and how many days before DAY
# (few days, so that reports of the same date, ordered by when recorded, are common).
writes = st.lists(
    st.tuples(
        st.sampled_from(["draft", "submit", "validate", "return", "staff_validated", "correct"]),
        st.integers(0, 1),
        st.integers(0, 1),
        st.sampled_from(ImplementationStatus.values),
        st.integers(0, 3),
        st.integers(0, 50),
    ),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(writes=writes)
def test_after_any_writes_the_table_is_the_status_derived_from_the_reports(
    writes, staff, focal_point, state, other_state
):
    states = [state, other_state]
    recommendations = [RecommendationFactory(), RecommendationFactory()]
    made: list[ImplementationReport] = []

    def pick(review_state: str, n: int) -> ImplementationReport | None:
        fitting = [report for report in made if report.review_state == review_state]
        return fitting[n % len(fitting)] if fitting else None

    for action, s, r, status, days, n in writes:
        pair = {"state": states[s], "recommendation": recommendations[r]}
        content = {"status": status, "as_of": DAY - datetime.timedelta(days=days)}
        if action == "draft":
            by = focal_point if s == 0 else staff
            source = None if s == 0 else "questionnaire"
            made.append(
                services.implementation_report_create(by=by, source=source, **pair, **content)
            )
        elif action == "staff_validated":
            made.append(
                services.implementation_report_create(
                    by=staff, source="questionnaire", validate=True, **pair, **content
                )
            )
        elif action == "correct":
            corrected = pick(ReviewState.VALIDATED, n)
            if corrected is None:
                continue
            made.append(
                services.implementation_report_create(
                    by=staff,
                    state=corrected.state,
                    recommendation=corrected.recommendation,
                    source="questionnaire",
                    supersedes=corrected,
                    validate=True,
                    **content,
                )
            )
        else:
            wanted = ReviewState.SUBMITTED if action != "submit" else None
            report = (
                pick(wanted, n)
                if wanted
                else (pick(ReviewState.DRAFT, n) or pick(ReviewState.RETURNED, n))
            )
            if report is None:
                continue
            if action == "submit":
                done = services.implementation_report_submit(report=report, by=staff)
            elif action == "validate":
                done = services.implementation_report_validate(report=report, by=staff)
            else:
                done = services.implementation_report_return(
                    report=report, by=staff, comment="Say more."
                )
            made[made.index(report)] = done
        assert table(recommendations) == derived(recommendations)
    assert current_status_differences() == []


def test_a_pair_without_a_validated_report_has_no_row(focal_point, state, recommendation):
    services.implementation_report_create(
        by=focal_point, state=state, recommendation=recommendation, status="implemented", as_of=DAY
    )
    assert not CurrentStatus.objects.filter(state=state, recommendation=recommendation).exists()


def test_an_older_report_validated_later_does_not_replace_the_current_one(
    staff, state, recommendation
):
    newer = services.implementation_report_create(
        by=staff,
        state=state,
        recommendation=recommendation,
        status="implemented",
        as_of=DAY,
        source="questionnaire",
        validate=True,
    )
    services.implementation_report_create(
        by=staff,
        state=state,
        recommendation=recommendation,
        status="not_implemented",
        as_of=DAY - datetime.timedelta(days=400),
        source="questionnaire",
        validate=True,
    )
    row = CurrentStatus.objects.get(state=state, recommendation=recommendation)
    assert (row.report_id, row.status) == (newer.pk, "implemented")


def validate_queries(*, staff, focal_point, state, recommendation) -> int:
    report = services.implementation_report_create(
        by=focal_point,
        state=state,
        recommendation=recommendation,
        status="in_progress",
        as_of=DAY,
        submit=True,
    )
    with CaptureQueriesContext(connection) as queries:
        services.implementation_report_validate(report=report, by=staff)
    return len(queries)


def test_validating_costs_the_same_queries_however_many_reports_the_pair_has(
    staff, focal_point, state
):
    few, many = RecommendationFactory(), RecommendationFactory()
    # A first validation fills what is cached per process (roles, content types).
    validate_queries(
        staff=staff, focal_point=focal_point, state=state, recommendation=RecommendationFactory()
    )
    ImplementationReportFactory(state=state, recommendation=few)
    for days in range(1, 9):
        ImplementationReportFactory(
            state=state, recommendation=many, as_of=DAY - datetime.timedelta(days=days)
        )
    assert validate_queries(
        staff=staff, focal_point=focal_point, state=state, recommendation=few
    ) == validate_queries(staff=staff, focal_point=focal_point, state=state, recommendation=many)


def test_check_names_a_tampered_pair_and_the_rebuild_repairs_it(state, recommendation):
    ImplementationReportFactory(state=state, recommendation=recommendation, status="implemented")
    call_command("rebuild_current_status", "--check", stdout=StringIO())  # agrees: no error
    CurrentStatus.objects.filter(state=state, recommendation=recommendation).update(
        status="not_implemented"
    )
    errors = StringIO()
    with pytest.raises(CommandError, match="1 pairs differ"):
        call_command("rebuild_current_status", "--check", stdout=StringIO(), stderr=errors)
    assert f"{state.code} / {recommendation.label}" in errors.getvalue()

    call_command("rebuild_current_status", stdout=StringIO())
    call_command("rebuild_current_status", "--check", stdout=StringIO())
    assert (
        CurrentStatus.objects.get(state=state, recommendation=recommendation).status
        == "implemented"
    )


def test_check_finds_a_missing_and_an_extra_row(state, other_state, recommendation):
    kept = ImplementationReportFactory(state=state, recommendation=recommendation)
    CurrentStatus.objects.filter(report=kept).delete()
    stray = ImplementationReportFactory(
        state=other_state, recommendation=recommendation, review_state=ReviewState.DRAFT
    )
    CurrentStatus.objects.create(
        state=other_state,
        recommendation=recommendation,
        report=stray,
        status=stray.status,
        as_of=stray.as_of,
        validated_at=stray.validated_at,
    )
    pairs = {(d.state_id, d.recommendation_id) for d in current_status_differences()}
    assert pairs == {(state.pk, recommendation.pk), (other_state.pk, recommendation.pk)}


def test_the_rebuild_writes_what_the_services_keep(state, other_state):
    recommendations = [RecommendationFactory() for _ in range(3)]
    for n, recommendation in enumerate(recommendations):
        for days in range(n + 1):
            ImplementationReportFactory(
                state=state, recommendation=recommendation, as_of=DAY - datetime.timedelta(days)
            )
        ImplementationReportFactory(state=other_state, recommendation=recommendation)
    kept = table(recommendations)
    services.current_status_rebuild()
    assert table(recommendations) == kept == derived(recommendations)
    assert current_status_differences() == []


IMPORT_HEADER = "state,meeting,recommendation,status,as_of,source,source_meeting,description"


def import_rows(recommendation, states, status: str = "implemented"):
    dataset = tablib.Dataset(headers=IMPORT_HEADER.split(","))
    for n, state in enumerate(states):
        dataset.append(
            [
                state.code,
                recommendation.meeting.ordinal,
                recommendation.label,
                status,
                f"2024-01-{10 + n:02d}",
                "questionnaire",
                "",
                "",
            ]
        )
    return dataset


@pytest.mark.parametrize("rebuild_over", [0, 500], ids=["rebuilt", "refreshed by pair"])
def test_an_import_keeps_the_current_status_of_all_its_rows(staff, monkeypatch, rebuild_over):
    monkeypatch.setattr(services, "CURRENT_STATUS_REBUILD_OVER", rebuild_over)
    recommendation = RecommendationFactory()
    states = StateFactory.create_batch(3)
    ImplementationReportFactory(
        state=states[0],
        recommendation=recommendation,
        status="in_progress",
        as_of=datetime.date(2023, 1, 1),  # older than the imported rows: replaced
    )
    outcome = services.implementation_reports_import(
        by=staff, dataset=import_rows(recommendation, states), dry_run=False, validate=True
    )
    assert outcome.imported
    assert table([recommendation]) == derived([recommendation])
    assert {row[3] for row in table([recommendation])} == {"implemented"}
    assert current_status_differences() == []


def test_a_dry_run_import_leaves_the_current_status_alone(staff):
    recommendation = RecommendationFactory()
    states = StateFactory.create_batch(2)
    services.implementation_reports_import(
        by=staff, dataset=import_rows(recommendation, states), dry_run=True, validate=True
    )
    assert table([recommendation]) == set()


@pytest.mark.usefixtures("wgsom")
def test_demonstration_reports_keep_the_current_status():
    call_command("load_demo_reports", "--states", "3", stdout=StringIO())
    assert CurrentStatus.objects.filter(report__is_demonstration=True).exists()
    assert current_status_differences() == []
