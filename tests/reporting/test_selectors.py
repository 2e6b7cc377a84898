"""The reads of reports that pages make on every visit: whether demonstration data exist (the
banner) and the latest validated reports (the home page), both answered from an index."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from recommendations.models import Recommendation
from reporting.models import ImplementationReport
from reporting.selectors import demonstration_data_present, latest_validated_reports
from states.models import State
from tests.factories import DraftReportFactory, ImplementationReportFactory

pytestmark = pytest.mark.usefixtures("wgsom")


def test_demonstration_data_are_present_only_when_a_validated_report_is_synthetic():
    assert not demonstration_data_present()
    DraftReportFactory(is_demonstration=True)
    ImplementationReportFactory(is_demonstration=False)
    assert not demonstration_data_present()

    ImplementationReportFactory(is_demonstration=True)

    assert demonstration_data_present()


def test_the_demonstration_question_reads_at_most_one_row(django_assert_num_queries):
    # 1 look for one validated demonstration report, however many there are
    with django_assert_num_queries(1), CaptureQueriesContext(connection) as captured:
        demonstration_data_present()

    (sql,) = [q["sql"] for q in captured]
    assert "is_demonstration" in sql
    assert "LIMIT 1" in sql
    assert "ORDER BY" not in sql


def test_the_latest_validated_reports_are_the_ten_validated_last(django_assert_num_queries):
    start = timezone.now()
    reports = [
        ImplementationReportFactory(validated_at=start + datetime.timedelta(minutes=n))
        for n in range(12)
    ]
    DraftReportFactory()

    # 1 reports with State, recommendation and meeting joined, newest first, ten rows read
    with django_assert_num_queries(1), CaptureQueriesContext(connection) as captured:
        latest = list(latest_validated_reports())

    assert latest == reports[::-1][:10]
    assert "LIMIT 10" in captured[0]["sql"]


# PostgreSQL: the planner's choice over a table large enough for it to matter ----------------


@pytest.fixture
def many_reports(postgresql):
    """3,000 validated reports (none synthetic) and planner statistics that know them."""
    states = list(State.objects.order_by("pk")[:60])
    recommendations = list(Recommendation.objects.order_by("pk")[:50])
    start = timezone.now() - datetime.timedelta(days=400)
    ImplementationReport.objects.bulk_create(
        ImplementationReportFactory.build(
            state=state,
            recommendation=recommendation,
            validated_at=start + datetime.timedelta(minutes=len(states) * r + s),
        )
        for r, recommendation in enumerate(recommendations)
        for s, state in enumerate(states)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reporting_implementationreport")


def index_definitions() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s",
            ["reporting_implementationreport"],
        )
        return dict(cursor.fetchall())


def test_postgresql_holds_the_two_partial_indexes(postgresql):
    definitions = index_definitions()

    assert "(validated_at DESC, id DESC) WHERE" in definitions["report_validated_newest_first"]
    assert "'validated'" in definitions["report_validated_newest_first"]
    assert definitions["report_demonstration"].endswith("WHERE is_demonstration")


@pytest.mark.usefixtures("many_reports")
def test_postgresql_answers_the_demonstration_question_from_its_index():
    plan = ImplementationReport.objects.validated().filter(is_demonstration=True)[:1].explain()

    assert "Index Scan using report_demonstration" in plan
    assert "Seq Scan" not in plan


@pytest.mark.usefixtures("many_reports")
def test_postgresql_reads_the_latest_validated_reports_in_index_order():
    plan = latest_validated_reports().explain()

    assert "Index Scan using report_validated_newest_first" in plan
    assert "Sort" not in plan
