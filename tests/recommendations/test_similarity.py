"""Near-duplicate recommendations: TF-IDF (word 1- and 2-grams) cosine similarity."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from recommendations.models import Recommendation
from recommendations.similarity import (
    NEAR_DUPLICATE_SCORE,
    similar_recommendations,
    similar_to_text,
    similar_to_texts,
)
from tests.factories import MeetingFactory, RecommendationFactory

pytestmark = pytest.mark.usefixtures("wgsom")


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def adopted(label: str) -> Recommendation:
    return Recommendation.objects.get(meeting__ordinal=7, status="adopted", label=label)


def proposal(label: str) -> Recommendation:
    return Recommendation.objects.get(status="proposed", proposer__code="USA", label=label)


def test_united_states_proposal_9_and_recommendation_13_are_near_duplicates():
    (best, score), *_ = similar_recommendations(proposal("9"))
    assert best == adopted("13")
    assert score >= NEAR_DUPLICATE_SCORE
    (back, back_score), *_ = similar_recommendations(adopted("13"))
    assert (back, back_score) == (proposal("9"), score)


def test_proposals_1_and_3_rank_closest_to_recommendations_12_and_14():
    assert similar_recommendations(proposal("1"))[0][0] == adopted("12")
    assert similar_recommendations(proposal("3"))[0][0] == adopted("14")
    assert proposal("1") in [r for r, _ in similar_recommendations(adopted("12"), limit=2)]
    assert proposal("3") in [r for r, _ in similar_recommendations(adopted("14"), limit=2)]


def test_results_are_best_first_between_0_and_1_without_the_recommendation_itself():
    thirteen = adopted("13")
    found = similar_recommendations(thirteen, limit=5)
    scores = [score for _, score in found]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < score <= 1 for score in scores)
    assert thirteen not in [r for r, _ in found]
    assert len(similar_recommendations(thirteen, limit=2)) <= 2


def test_matches_come_from_any_meeting():
    meeting = MeetingFactory()
    copy = RecommendationFactory(meeting=meeting, text=adopted("13").text)
    found = dict(similar_recommendations(copy, limit=3))
    assert found[adopted("13")] == pytest.approx(1.0)
    assert proposal("9") in found


def test_a_text_not_on_record_is_compared_too():
    text = "In the context of a pandemic, States parties should share information about hotspots."
    (best, score), *_ = similar_to_text(text)
    assert best == adopted("13") and score >= NEAR_DUPLICATE_SCORE
    found = similar_to_text(text, exclude={adopted("13").pk})
    assert adopted("13") not in [r for r, _ in found]


def test_a_text_about_nothing_on_record_has_no_match():
    assert similar_to_text("Zebras graze quietly.") == []
    assert similar_to_texts([]) == []


def test_a_saved_change_is_seen_at_once():
    first = similar_recommendations(proposal("3"))[0][0]
    assert first == adopted("14")
    changed = adopted("5")
    changed.text = proposal("3").text
    changed.save()
    assert similar_recommendations(proposal("3"))[0][0] == changed


def test_queries_are_bounded_and_the_model_is_cached(django_assert_num_queries):
    thirteen = adopted("13")
    # 1 count and latest update (the cache key), 1 all texts (fitting), 1 the matched records
    with django_assert_num_queries(3):
        similar_recommendations(thirteen)
    # Cached: the key and the matched records only.
    with django_assert_num_queries(2):
        similar_recommendations(thirteen)
    texts = [thirteen.text, proposal("1").text, "anything"]
    with django_assert_num_queries(2):
        similar_to_texts(texts, limit=3)


@pytest.mark.parametrize("extra", [0, 40])
def test_the_query_count_does_not_grow_with_the_recommendations(django_assert_num_queries, extra):
    RecommendationFactory.create_batch(extra, meeting=MeetingFactory())
    similar_recommendations(adopted("13"))
    twelve = adopted("12")
    # The model is cached: 1 cache key, 1 matched records with meeting and proposer joined.
    with django_assert_num_queries(2):
        found = similar_recommendations(twelve, limit=5)
    assert found[0][0] == proposal("1")
