"""`newest_adopted`: the feed's newest adoptions, found by walking the history and the
creation dates, are exactly the first rows of `recently_adopted` in its order, whatever mix of
history the recommendations have."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from recommendations.models import Recommendation
from recommendations.selectors import newest_adopted, recently_adopted
from tests.factories import MeetingFactory, RecommendationFactory

pytestmark = pytest.mark.django_db

# After the loaded data's records, so that the recommendations below are the newest.
START = timezone.now() + datetime.timedelta(days=1)


def day(n: int) -> datetime.datetime:
    return START + datetime.timedelta(days=n)


def dated(recommendation: Recommendation, n: int) -> None:
    """Date the recommendation's newest history record on day `n`."""
    newest = recommendation.history.order_by("-history_id").first()
    Recommendation.history.filter(history_id=newest.history_id).update(history_date=day(n))


def adopted_on(n: int) -> Recommendation:
    recommendation = RecommendationFactory()
    dated(recommendation, n)
    return recommendation


def written_in_bulk(n: int) -> Recommendation:
    """An adopted recommendation created on day `n` without history, as bulk_create and raw
    SQL write rows."""
    (recommendation,) = Recommendation.objects.bulk_create(
        [RecommendationFactory.build(meeting=MeetingFactory())]
    )
    Recommendation.objects.filter(pk=recommendation.pk).update(created_at=day(n))
    return recommendation


@pytest.fixture
def adoptions() -> list[Recommendation]:
    """Recommendations in the order the feed lists them, newest adoption first, with a
    corrected text, a draft adopted later, rows without history and a demoted one around
    them."""
    first = adopted_on(1)
    corrected = adopted_on(5)
    corrected.text = "A corrected text."
    corrected.save()
    dated(corrected, 20)  # a correction is not a new adoption
    adopted_later = RecommendationFactory(status=Recommendation.Status.DRAFT)
    dated(adopted_later, 2)
    adopted_later.status = Recommendation.Status.ADOPTED
    adopted_later.save()
    dated(adopted_later, 12)
    demoted = adopted_on(15)
    demoted.status = Recommendation.Status.DRAFT
    demoted.save()
    dated(demoted, 16)
    return [
        adopted_later,
        adopted_on(10),
        written_in_bulk(8),
        corrected,
        written_in_bulk(3),
        first,
    ]


def listed(recommendations) -> list[tuple[int, datetime.datetime]]:
    return [(r.pk, r.adopted_recorded_at) for r in recommendations]


def test_the_newest_adoptions_come_first_corrections_and_demotions_aside(adoptions):
    newest = newest_adopted(limit=6)

    assert [r.pk for r in newest] == [r.pk for r in adoptions]
    assert [r.adopted_recorded_at for r in newest] == [
        day(12),
        day(10),
        day(8),
        day(5),
        day(3),
        day(1),
    ]


@pytest.mark.parametrize("limit", [1, 2, 3, 4, 5, 6, 7])
def test_each_length_is_the_start_of_the_recently_adopted_order(adoptions, limit):
    # A limit of 3 takes a row without history between two walked history records.
    assert listed(newest_adopted(limit=limit)) == listed(recently_adopted()[:limit])


def test_the_newest_adoptions_cost_four_queries(adoptions, django_assert_num_queries):
    # 1 first adoptions in the history, 1 adopted rows without history, 1 the
    # recommendations with their meeting, 1 their themes
    with django_assert_num_queries(4):
        newest = newest_adopted(limit=3)
        assert [theme for r in newest for theme in r.themes.all()] == []
        assert all(r.meeting.ordinal for r in newest)


def test_with_no_adopted_recommendation_the_list_is_empty(django_assert_num_queries):
    Recommendation.objects.filter(status=Recommendation.Status.ADOPTED).delete()
    RecommendationFactory(status=Recommendation.Status.DRAFT)

    # 1 first adoptions, 1 rows without history (none of either: nothing more is read)
    with django_assert_num_queries(2):
        assert newest_adopted(limit=5) == []
