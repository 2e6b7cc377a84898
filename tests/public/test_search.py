"""Search across recommendations, documents and meetings, on PostgreSQL and on SQLite."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from recommendations.search import highlight, search_site
from tests.factories import RecommendationFactory

pytestmark = pytest.mark.usefixtures("wgsom")


def test_joint_investigative_teams_finds_2020_recommendation_8_first():
    results = search_site("joint investigative teams")

    first = results.recommendations[0]
    assert (first.meeting.ordinal, first.status, first.label) == (7, "adopted", "8")


def test_the_matching_words_are_highlighted(client):
    page = client.get(reverse("recommendations:search"), {"q": "joint investigative teams"})

    assert "<mark>joint</mark> <mark>investigative</mark> <mark>teams</mark>" in (
        page.content.decode()
    )


def test_background_papers_and_meetings_are_found_too():
    results = search_site("COVID-19 pandemic")

    assert any("COVID-19" in d.title for d in results.documents)
    assert any(item.meeting.ordinal == 7 for item in results.agenda_items)


def test_stored_text_is_never_trusted_as_html():
    RecommendationFactory(text="States parties should <script>alert(1)</script> zanzibarize.")

    results = search_site("zanzibarize")

    html = str(results.recommendations[0].highlighted)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_the_fallback_highlighter_escapes_and_marks_every_query_word():
    assert str(highlight("Teams & <b>joint</b> teams", "joint teams")) == (
        "<mark>Teams</mark> &amp; &lt;b&gt;<mark>joint</mark>&lt;/b&gt; <mark>teams</mark>"
    )


def test_an_empty_or_overlong_query_searches_nothing(client):
    assert client.get(reverse("recommendations:search")).context["results"] is None
    response = client.get(reverse("recommendations:search"), {"q": "x" * 201})
    assert response.context["results"] is None
    assert "Ensure this value has at most 200 characters" in response.content.decode()


def test_search_costs_the_same_queries_however_many_matches(
    client, growth, django_assert_num_queries
):
    url = reverse("recommendations:search")
    params = {"q": "smuggling information"}
    # 1 thesaurus, 1 lexicon (the plan); 1 whether only those holding every word are kept (two
    # words); 3 facet counts (by meeting and status, documents by meeting and kind, themes);
    # 1 recommendations, 1 their themes, 1 documents, 1 agenda items; on PostgreSQL first 1
    # for the best candidates by full-text rank
    queries = 10 + (connection.vendor == "postgresql")
    with django_assert_num_queries(queries):
        client.get(url, params)
    growth.add(12)
    with django_assert_num_queries(queries):
        client.get(url, params)


def test_postgresql_answers_the_search_from_the_gin_index(postgresql):
    from recommendations.models import Recommendation
    from recommendations.search import filter_recommendations

    # The ranked OR of every alternative ("JIT", the French term, the words apart...) is one
    # `search_document @@ query`, which the GIN index answers.
    queryset = filter_recommendations(
        Recommendation.objects.order_by(), "joint investigative teams"
    ).order_by("-search_rank")
    with connection.cursor() as cursor:
        # Too few rows for the planner to prefer an index on its own: forbid the table scan
        # and the walk along another index.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = queryset.explain()
    assert "Bitmap Index Scan on recommendation_search_document" in plan


@pytest.mark.parametrize(
    ("model_name", "index"),
    [("AgendaItem", "agenda_item_search_document"), ("Document", "document_search_document")],
)
def test_postgresql_matches_agenda_items_and_documents_on_their_stored_vectors(
    postgresql, model_name, index
):
    from meetings import models
    from recommendations.search import AGENDA_ITEM_FIELDS, DOCUMENT_FIELDS, _matching, plan_query

    model = getattr(models, model_name)
    fields = AGENDA_ITEM_FIELDS if model is models.AgendaItem else DOCUMENT_FIELDS
    queryset = _matching(model.objects.order_by(), plan_query("smuggling"), fields, stored=True)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = queryset.explain()
    assert f"Bitmap Index Scan on {index}" in plan
    assert queryset.exists()


def test_a_misspelt_query_offers_did_you_mean(client):
    page = client.get(reverse("recommendations:search"), {"q": "extradtion"})

    html = page.content.decode()
    assert 'data-testid="suggestion"' in html
    assert "?q=extradition" in html
    assert "<mark>extradition</mark>" in html


def test_a_nonsense_query_shows_what_to_try_not_a_bare_nothing_found(client):
    page = client.get(reverse("recommendations:search"), {"q": "qxzvb wrtpk"})

    html = page.content.decode()
    assert page.context["results"].total == 0
    assert 'data-testid="no-results"' in html
    assert reverse("recommendations:theme_detail", args=["smuggling-by-sea"]) in html


def test_facets_show_counts_and_link_to_a_narrower_search(client):
    url = reverse("recommendations:search")
    page = client.get(url, {"q": "crisis"})
    facets = page.context["results"].facets
    proposed = next(f for f in facets["status"] if f.value == "proposed")

    narrowed = client.get(url + proposed.url)

    assert f"({proposed.count})" in page.content.decode()
    assert {r.status for r in narrowed.context["results"].recommendations} == {"proposed"}
    chosen = next(f for f in narrowed.context["results"].facets["status"] if f.selected)
    assert "status=" not in chosen.url  # choosing it again removes it


def test_a_match_in_a_hidden_section_title_is_shown_with_where_it_matched(client):
    page = client.get(reverse("recommendations:search"), {"q": "cyberspace"})

    html = page.content.decode()
    assert 'data-testid="matched-in-section-title"' in html
    assert "Found in its section title, not in the text:" in html


def test_a_french_query_on_the_french_interface_is_answered(client):
    page = client.get(
        reverse("recommendations:search"),
        {"q": "équipes communes d'enquête"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    top = page.context["results"].recommendations[0]
    assert (top.meeting.year, top.label) == (2020, "8")
    assert "<mark>joint</mark> <mark>investigative</mark> <mark>teams</mark>" in (
        page.content.decode()
    )
