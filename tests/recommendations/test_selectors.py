"""`recommendation_change_history`: what the public page lists under "Changes to this record"."""

from __future__ import annotations

import pytest

from core.services import changes_since
from recommendations.models import Recommendation
from recommendations.selectors import recommendation_change_history
from tests.factories import MeetingFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


def written_in_bulk() -> Recommendation:
    """A recommendation saved without its history, as bulk_create and raw SQL write rows."""
    (recommendation,) = Recommendation.objects.bulk_create(
        [RecommendationFactory.build(meeting=MeetingFactory())]
    )
    return recommendation


def edited_three_times() -> Recommendation:
    recommendation = RecommendationFactory(text="First text.")
    for text in ("Second text.", "Third text.", "Fourth text."):
        recommendation.text = text
        recommendation.save()
    return recommendation


def test_a_recommendation_without_history_has_no_change_listed(django_assert_num_queries):
    recommendation = written_in_bulk()
    assert not recommendation.history.exists()

    # 1 history records
    with django_assert_num_queries(1):
        assert recommendation_change_history(recommendation=recommendation) == []


def test_the_oldest_change_left_after_pruning_is_listed_without_fields():
    recommendation = edited_three_times()
    recommendation.history.filter(history_type="+").delete()

    history = recommendation_change_history(recommendation=recommendation)

    assert [(r.history_type, r.text, r.changed_fields) for r in history] == [
        ("~", "Fourth text.", ["text"]),
        ("~", "Third text.", ["text"]),
        ("~", "Second text.", []),
    ]


def test_the_oldest_change_shown_is_compared_with_the_record_before_it():
    recommendation = edited_three_times()

    history = recommendation_change_history(recommendation=recommendation, limit=2)

    assert [(r.text, r.changed_fields) for r in history] == [
        ("Fourth text.", ["text"]),
        ("Third text.", ["text"]),
    ]


def test_a_stale_save_is_explained_even_when_the_history_is_gone():
    recommendation = written_in_bulk()

    assert changes_since(recommendation, version=1) == [
        "The record has been changed since you opened it."
    ]
