"""Near-duplicate recommendations: TF-IDF (word 1- and 2-grams) cosine similarity, stored as
each recommendation's neighbours when texts change and read by the page in one query."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import transaction

from core.data_versions.selectors import data_changed_at
from recommendations import similarity
from recommendations.models import Recommendation, RecommendationNeighbour
from recommendations.similarity import (
    NEAR_DUPLICATE_SCORE,
    NEIGHBOURS_KEPT,
    recommendation_neighbours_rebuild,
    recommendation_neighbours_refresh,
    similar_recommendations,
    similar_to_text,
    similar_to_texts,
)
from tests.factories import MeetingFactory, RecommendationFactory

pytestmark = pytest.mark.usefixtures("wgsom")

REFRESH = "recommendations.tasks.refresh_neighbours"


@pytest.fixture(autouse=True)
def neighbours(wgsom):
    """The neighbours as the loaded data's refresh leaves them, computed afresh."""
    recommendation_neighbours_rebuild()


@pytest.fixture
def queued(monkeypatch):
    """The tasks queued (name, kwargs), run as they would be (Celery is eager in tests)."""
    import core.tasks

    calls: list[tuple[str, dict]] = []
    original = core.tasks.enqueue

    def recording(task_name, *args, kwargs=None, **options):
        calls.append((task_name, dict(kwargs or {})))
        return original(task_name, *args, kwargs=kwargs, **options)

    monkeypatch.setattr(core.tasks, "enqueue", recording)
    return calls


def adopted(label: str) -> Recommendation:
    return Recommendation.objects.get(meeting__ordinal=7, status="adopted", label=label)


def proposal(label: str) -> Recommendation:
    return Recommendation.objects.get(status="proposed", proposer__code="USA", label=label)


def stored(recommendation: Recommendation) -> list[tuple[int, float]]:
    return [(r.pk, score) for r, score in similar_recommendations(recommendation, limit=10)]


def direct() -> dict[int, list[tuple[int, float]]]:
    """Every recommendation's closest ones as the page computed them per request before
    neighbours were stored: the model fitted on all texts, each row ranked in full."""
    corpus = similarity._fit()
    assert corpus is not None
    return {
        pk: similarity._ranked(corpus, corpus.matrix[i], limit=NEIGHBOURS_KEPT, exclude={pk})[0]
        for i, pk in enumerate(corpus.pks)
    }


def test_stored_neighbours_rank_as_the_direct_computation_for_every_real_recommendation():
    expected = direct()
    assert len(expected) == Recommendation.objects.count()
    assert any(expected.values())
    for recommendation in Recommendation.objects.all():
        assert stored(recommendation) == expected[recommendation.pk], recommendation


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


def test_reading_neighbours_is_one_query_with_their_meetings(django_assert_num_queries):
    thirteen = adopted("13")
    # 1 the stored rows with each neighbour, its meeting and proposer joined
    with django_assert_num_queries(1):
        found = similar_recommendations(thirteen, limit=5)
        labels = [str(r) for r, _ in found]  # __str__ reads the meeting: no query
    assert labels


def test_no_neighbours_are_shown_before_they_are_computed(django_assert_num_queries):
    RecommendationNeighbour.objects.all().delete()
    thirteen = adopted("13")
    with django_assert_num_queries(1):
        assert similar_recommendations(thirteen) == []
    assert similar_recommendations(Recommendation(text="unsaved")) == []


def test_a_changed_text_queues_one_refresh_after_commit_and_the_neighbours_follow(
    django_capture_on_commit_callbacks, queued
):
    changed = adopted("5")
    changed.text = proposal("3").text
    with django_capture_on_commit_callbacks(execute=True):
        changed.save()
        assert queued == []  # nothing before the commit
    assert queued == [(REFRESH, {"pks": [changed.pk], "holders": []})]
    (first, score), *_ = similar_recommendations(proposal("3"))
    assert (first, score) == (changed, 1.0)
    assert stored(changed) == direct()[changed.pk]


def test_a_bulk_load_in_one_transaction_queues_one_refresh(
    django_capture_on_commit_callbacks, queued
):
    meeting = MeetingFactory()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        made = [
            RecommendationFactory(meeting=meeting, text=f"{adopted('13').text} ({n})")
            for n in range(30)
        ]
    assert queued == [(REFRESH, {"pks": [r.pk for r in made], "holders": []})]
    assert all(similar_recommendations(r) for r in made)
    assert similar_recommendations(adopted("13"))[0][0] in made


def test_a_write_that_rolls_back_or_leaves_the_text_alone_queues_nothing(
    django_capture_on_commit_callbacks, queued
):
    recommendation = adopted("5")
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                recommendation.text = "Something else entirely."
                recommendation.save()
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
        recommendation.refresh_from_db()
        recommendation.order = 99
        recommendation.save(update_fields=["order"])
    assert queued == []


def test_a_deleted_recommendation_leaves_every_list(django_capture_on_commit_callbacks, queued):
    thirteen = adopted("13")
    holders = set(
        RecommendationNeighbour.objects.filter(neighbour=thirteen).values_list(
            "recommendation_id", flat=True
        )
    )
    assert proposal("9").pk in holders
    proposal("9").history.all().delete()  # history rows would keep nothing from the delete
    with django_capture_on_commit_callbacks(execute=True):
        Recommendation.objects.filter(adopted_as=thirteen).update(adopted_as=None)
        thirteen.delete()
    [(name, arguments)] = queued
    assert name == REFRESH and set(arguments["holders"]) == holders
    assert not RecommendationNeighbour.objects.filter(neighbour_id=thirteen.pk).exists()
    assert stored(proposal("9")) == direct()[proposal("9").pk]


def test_a_refresh_above_the_full_rebuild_size_recomputes_what_the_change_can_reach(monkeypatch):
    monkeypatch.setattr(similarity, "FULL_REBUILD_UP_TO", 0)
    changed = adopted("5")
    before = set(
        RecommendationNeighbour.objects.filter(neighbour=changed).values_list(
            "recommendation_id", flat=True
        )
    )
    Recommendation.objects.filter(pk=changed.pk).update(text=proposal("3").text)
    recommendation_neighbours_refresh([changed.pk])
    expected = direct()
    # The changed list is computed in full; so are the lists that held it.
    assert stored(changed) == expected[changed.pk]
    for pk in before:
        assert stored(Recommendation(pk=pk)) == expected[pk]
    # It enters the lists it now belongs in, with its new score. (The other scores there are
    # kept as last computed: refitting moves the word weights a little, the more so the
    # fewer the texts, until the next rebuild.)
    assert stored(proposal("3"))[0] == (changed.pk, 1.0)
    for pk in (proposal("3").pk, adopted("14").pk):
        assert dict(stored(Recommendation(pk=pk)))[changed.pk] == dict(expected[pk])[changed.pk]


def test_the_command_rebuilds_every_list(capsys):
    RecommendationNeighbour.objects.all().delete()
    call_command("rebuild_recommendation_neighbours")
    assert "similar recommendations stored" in capsys.readouterr().out
    assert stored(adopted("13")) == direct()[adopted("13").pk]


def test_matches_come_from_any_meeting():
    meeting = MeetingFactory()
    copy = RecommendationFactory(meeting=meeting, text=adopted("13").text)
    recommendation_neighbours_rebuild()
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


def test_the_model_for_texts_not_on_record_is_refitted_once_a_change_commits(
    django_capture_on_commit_callbacks,
):
    assert similar_to_text(proposal("3").text)[0][0] == proposal("3")
    changed = adopted("5")
    changed.text = "Zebras graze quietly in the savannah."
    with django_capture_on_commit_callbacks(execute=True):
        changed.save()
    assert similar_to_text("zebras graze quietly")[0][0] == changed


def test_the_cached_model_costs_no_count_of_the_recommendations(django_assert_num_queries):
    texts = [adopted("13").text, proposal("1").text, "anything"]
    # 1 all texts (fitting), 1 the matched records
    with django_assert_num_queries(2):
        similar_to_texts(texts, limit=3)
    RecommendationFactory.create_batch(40, meeting=MeetingFactory())  # not committed
    # Cached: the matched records only, however many recommendations there are.
    with django_assert_num_queries(1):
        found = similar_to_texts(texts, limit=3)
    assert found[0][0][0] == adopted("13")


def test_stored_neighbours_move_the_recommendations_data_version(committed_write):
    committed_write(lambda: RecommendationFactory(status="adopted"))
    before = data_changed_at("recommendations")

    committed_write(recommendation_neighbours_rebuild)

    assert data_changed_at("recommendations") > before
