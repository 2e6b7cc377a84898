"""A recommendation's page: text and source, the proposal diff, implementation, history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from public.views import word_diff
from recommendations.models import Recommendation, RecommendationNeighbour
from recommendations.similarity import recommendation_neighbours_rebuild
from tests.factories import (
    ImplementationReportFactory,
    RecommendationFactory,
    SuperuserFactory,
)

pytestmark = pytest.mark.usefixtures("wgsom")


def adopted(label: str) -> Recommendation:
    return Recommendation.objects.get(meeting__ordinal=7, label=label, status="adopted")


def proposal(label: str) -> Recommendation:
    return Recommendation.objects.get(meeting__ordinal=7, label=label, status="proposed")


def test_the_page_shows_the_text_meeting_agenda_item_themes_and_provisions(client):
    recommendation = adopted("8")

    page = client.get(reverse("recommendations:detail", args=[recommendation.pk])).content.decode()

    assert recommendation.text in page
    assert "Meeting 7 (2020)" in page
    assert "3. Successful strategies concerning the use of technology" in page
    assert "Technology" in page
    assert "article 19 of the Organized Crime Convention" in page


def test_how_united_states_proposal_9_became_recommendation_13_is_shown_word_by_word(client):
    page = client.get(reverse("recommendations:detail", args=[adopted("13").pk])).content.decode()

    assert "Proposal 9 (United States of America) compared with Recommendation 13" in page
    assert '<del><span class="visually-hidden">removed: </span>Parties</del>' in page
    assert '<ins><span class="visually-hidden">added: </span>parties</ins>' in page
    assert '<ins><span class="visually-hidden">added: </span>migrant</ins>' in page


def test_the_proposal_page_shows_the_same_comparison_and_no_implementation_table(client):
    response = client.get(reverse("recommendations:detail", args=[proposal("9").pk]))

    page = response.content.decode()
    assert "compared with Recommendation 13" in page
    assert response.context["states"] == []


def test_the_word_diff_marks_only_the_words_that_changed():
    assert word_diff("States Parties should share", "States parties should share") == [
        ("equal", "States"),
        ("delete", "Parties"),
        ("insert", "parties"),
        ("equal", "should share"),
    ]


def test_implementation_is_shown_by_state_and_by_regional_group(client):
    recommendation = adopted("2")
    report = ImplementationReportFactory(
        state__name="Republic of Reporting", recommendation=recommendation, status="in_progress"
    )

    response = client.get(reverse("recommendations:detail", args=[recommendation.pk]))

    page = response.content.decode()
    assert "Republic of Reporting" in page
    row = next(s for s in response.context["states"] if s.pk == report.state_id)
    assert (row.status_value, str(row.status_label)) == ("in_progress", "In progress")
    bars = response.context["group_chart"].bars
    assert sum(bar.total for bar in bars) == len(response.context["states"])
    assert response.context["states_reported"] == 1


def test_the_status_history_lists_validated_reports_with_what_they_replaced(client):
    recommendation = adopted("2")
    first = ImplementationReportFactory(
        recommendation=recommendation, status="in_progress", as_of="2022-01-01"
    )
    ImplementationReportFactory(
        recommendation=recommendation,
        state=first.state,
        status="implemented",
        as_of="2023-01-01",
        supersedes=first,
    )

    response = client.get(reverse("recommendations:detail", args=[recommendation.pk]))

    history = response.context["status_history"]
    assert [e.status for e in history] == ["implemented", "in_progress"]
    assert str(history[0].previous_label) == "In progress"


def test_the_records_change_history_lists_edits_without_naming_staff(client):
    recommendation = adopted("3")
    recommendation._history_user = SuperuserFactory(username="secret-staff-name")
    recommendation.strength = Recommendation.Strength.ENCOURAGED
    recommendation.save()

    page = client.get(reverse("recommendations:detail", args=[recommendation.pk])).content.decode()

    assert "changed (strength of language)" in page
    assert "secret-staff-name" not in page


def test_a_recommendation_written_without_history_shows_that_no_change_is_recorded(client):
    (recommendation,) = Recommendation.objects.bulk_create(
        [RecommendationFactory.build(meeting=adopted("3").meeting, label="99")]
    )

    response = client.get(reverse("recommendations:detail", args=[recommendation.pk]))

    assert response.status_code == 200
    assert response.context["change_history"] == []
    assert "No change has been recorded." in response.content.decode()


def test_a_recommendation_whose_history_was_partly_deleted_shows_what_is_left(client):
    recommendation = adopted("3")
    recommendation.strength = Recommendation.Strength.ENCOURAGED
    recommendation.save()
    recommendation.history.exclude(pk=recommendation.history.latest().pk).delete()

    response = client.get(reverse("recommendations:detail", args=[recommendation.pk]))

    assert response.status_code == 200
    # The one record left has nothing before it to be compared with.
    assert [r.history_type for r in response.context["change_history"]] == ["~"]
    assert "No change has been recorded." not in response.content.decode()


def test_an_unknown_recommendation_is_not_found(client):
    assert client.get(reverse("recommendations:detail", args=[999999])).status_code == 404


def test_the_page_costs_the_same_queries_however_many_states_reported(
    client, growth, django_assert_num_queries
):
    growth.add(1)
    recommendation = growth.recommendations[0]
    url = reverse("recommendations:detail", args=[recommendation.pk])
    # 1 the recommendation and its meeting, for the title; then the content (kept under the
    # data versions, which the test settings turn off): 1 recommendation with meeting, agenda
    # item, proposer; 1 themes; 1 proposals; 1 States with their status; 1 status history;
    # 1 change history; 1 similar recommendations (the stored neighbours with their
    # meetings); 1 demonstration data present
    with django_assert_num_queries(9):
        client.get(url)
    for _ in range(15):
        ImplementationReportFactory(recommendation=recommendation)
    with django_assert_num_queries(9):
        client.get(url)


def test_the_similar_recommendations_are_read_in_one_query_however_many(
    client, django_assert_num_queries
):
    recommendation_neighbours_rebuild()
    url = reverse("recommendations:detail", args=[adopted("13").pk])
    # As above, with the similar recommendations (up to five) and their meetings in one query
    with django_assert_num_queries(9):
        response = client.get(url)
    similar = response.context["similar"]
    assert similar[0][0] == proposal("9") and 1 < len(similar) <= 5
    page = response.content.decode()
    assert "Similar recommendations" in page
    assert reverse("recommendations:detail", args=[proposal("9").pk]) in page


def test_the_page_shows_no_similar_recommendations_before_they_are_computed(client):
    RecommendationNeighbour.objects.all().delete()

    response = client.get(reverse("recommendations:detail", args=[proposal("9").pk]))

    assert response.status_code == 200
    assert response.context["similar"] == []
    assert "Similar recommendations" not in response.content.decode()


# --- Kept under the data versions ---------------------------------------------------------


@pytest.fixture
def kept(settings):
    settings.VERSIONED_CACHE_SECONDS = 300


def test_a_reader_between_two_writes_costs_the_title_and_the_versions(
    client, kept, committed_write, django_assert_num_queries
):
    report = committed_write(lambda: ImplementationReportFactory(review_state="validated"))
    url = reverse("recommendations:detail", args=[report.recommendation.pk])
    first = client.get(url).content.decode()

    with django_assert_num_queries(2):
        again = client.get(url).content.decode()

    assert again[again.index("<h1>") :] == first[first.index("<h1>") :]


def test_a_committed_report_shows_at_once_and_each_language_has_its_own(
    client, kept, committed_write
):
    report = committed_write(lambda: ImplementationReportFactory(review_state="validated"))
    url = reverse("recommendations:detail", args=[report.recommendation.pk])
    before = client.get(url).context["states_reported"]

    committed_write(
        lambda: ImplementationReportFactory(
            recommendation=report.recommendation, review_state="validated"
        )
    )

    assert client.get(url).context["states_reported"] == before + 1
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Modifications de cette fiche" in french
    assert "Changes to this record" not in french
