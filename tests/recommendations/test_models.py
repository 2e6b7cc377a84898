"""Rules the database itself enforces, and how a State's current status is derived."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, models, transaction

from recommendations.models import Recommendation
from reporting.models import ImplementationReport
from tests.factories import (
    ImplementationReportFactory,
    MeetingFactory,
    RecommendationFactory,
    StateFactory,
)

pytestmark = pytest.mark.django_db


def violates_constraint(update) -> bool:
    try:
        with transaction.atomic():
            update()
    except IntegrityError:
        return True
    return False


def test_a_label_is_unique_within_its_meeting():
    meeting = MeetingFactory()
    RecommendationFactory(meeting=meeting, label="1")
    assert violates_constraint(lambda: RecommendationFactory(meeting=meeting, label="1"))
    RecommendationFactory(meeting=MeetingFactory(), label="1")  # another meeting: fine


def test_two_proposers_may_number_their_proposals_alike():
    meeting = MeetingFactory()
    for proposer in (StateFactory(), StateFactory()):
        RecommendationFactory(meeting=meeting, label="1", status="proposed", proposer=proposer)
    RecommendationFactory(meeting=meeting, label="1", status="adopted")
    assert Recommendation.objects.filter(meeting=meeting, label="1").count() == 3


@pytest.mark.parametrize(
    "field, value",
    [("status", "rejected"), ("strength", "must"), ("addressee", "everyone")],
)
def test_the_database_refuses_a_value_outside_the_vocabulary(field, value):
    recommendation = RecommendationFactory()
    assert violates_constraint(
        lambda: Recommendation.objects.filter(pk=recommendation.pk).update(**{field: value})
    )


def test_the_database_refuses_an_implementation_status_outside_the_vocabulary():
    report = ImplementationReportFactory()
    assert violates_constraint(
        lambda: ImplementationReport.objects.filter(pk=report.pk).update(status="done")
    )


def test_only_a_proposal_has_a_proposer():
    assert violates_constraint(
        lambda: RecommendationFactory(status="adopted", proposer=StateFactory())
    )


def test_a_meeting_cannot_end_before_it_starts():
    assert violates_constraint(
        lambda: MeetingFactory(
            start_date=datetime.date(2030, 9, 2), end_date=datetime.date(2030, 9, 1)
        )
    )


def test_implementation_reports_are_never_deleted():
    report = ImplementationReportFactory()
    with pytest.raises(models.ProtectedError):
        report.delete()
    with pytest.raises(models.ProtectedError):
        ImplementationReport.objects.all().delete()
    assert ImplementationReport.objects.filter(pk=report.pk).exists()


def test_a_recommendation_with_reports_cannot_be_deleted():
    report = ImplementationReportFactory()
    with pytest.raises(models.ProtectedError):
        report.recommendation.delete()


def test_the_current_status_is_the_latest_validated_report():
    state, recommendation = StateFactory(), RecommendationFactory()
    ImplementationReportFactory(
        state=state, recommendation=recommendation, status="in_progress", as_of="2022-01-01"
    )
    latest = ImplementationReportFactory(
        state=state, recommendation=recommendation, status="implemented", as_of="2024-01-01"
    )
    ImplementationReportFactory(  # newer, but not validated: it does not count
        state=state,
        recommendation=recommendation,
        status="not_implemented",
        as_of="2025-01-01",
        review_state="submitted",
        validated_at=None,
    )
    assert list(ImplementationReport.objects.current()) == [latest]


def test_a_correction_recorded_later_for_the_same_date_supersedes():
    state, recommendation = StateFactory(), RecommendationFactory()
    original = ImplementationReportFactory(
        state=state, recommendation=recommendation, status="implemented", as_of="2024-01-01"
    )
    correction = ImplementationReportFactory(
        state=state,
        recommendation=recommendation,
        status="partially_implemented",
        as_of="2024-01-01",
        supersedes=original,
    )
    assert list(ImplementationReport.objects.current()) == [correction]


def test_current_status_is_computed_in_one_query_however_many_reports(
    django_assert_num_queries,
):
    for _ in range(10):
        ImplementationReportFactory()
    # one query: the validated reports with no newer validated report (NOT EXISTS subquery)
    with django_assert_num_queries(1):
        assert len(list(ImplementationReport.objects.current())) == 10


def test_a_future_status_date_is_refused_by_the_model():
    from django.core.exceptions import ValidationError

    report = ImplementationReportFactory.build(
        state=StateFactory(),
        recommendation=RecommendationFactory(),
        as_of=datetime.date.today() + datetime.timedelta(days=3),
    )
    with pytest.raises(ValidationError) as error:
        report.full_clean()
    assert "as_of" in error.value.message_dict


def test_recommendation_changes_are_kept_in_history():
    recommendation = RecommendationFactory(strength="should")
    recommendation.strength = "encouraged"
    recommendation.save()
    assert [h.strength for h in recommendation.history.order_by("history_date")] == [
        "should",
        "encouraged",
    ]
