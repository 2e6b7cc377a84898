"""Where many recommendations hold some words of a query, the search keeps those holding
every word: the rule that keeps a search on years of data as cheap as the index, with the
rest one link away. SEARCH_CANDIDATES is lowered here so that the real WGSOM data meets it.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recommendations import search
from recommendations.models import Recommendation
from recommendations.search import filter_recommendations, plan_query, search_site

pytestmark = pytest.mark.usefixtures("wgsom")

QUERY = "smuggling information"


def holds_every_word(recommendation: Recommendation) -> bool:
    text = " ".join(
        [recommendation.text, recommendation.chapeau, recommendation.section_title]
    ).lower()
    return "smuggl" in text and "information" in text


@pytest.fixture
def few_candidates(monkeypatch):
    monkeypatch.setattr(search, "SEARCH_CANDIDATES", 3)


def ranked(query: str, **options) -> tuple[list[Recommendation], search.SearchPlan]:
    plan = plan_query(query)
    rows = filter_recommendations(Recommendation.objects.all(), plan, **options)
    return list(rows.order_by("-search_rank", "pk")), plan


def test_a_small_collection_is_ranked_whole_with_the_count_made_on_the_way():
    rows, plan = ranked(QUERY)

    assert not plan.every_clause_only
    assert any(not holds_every_word(r) for r in rows)  # some words are enough
    assert plan.match_count == len(rows)


def test_past_the_threshold_only_the_recommendations_holding_every_word_are_kept(few_candidates):
    every, plan = ranked(QUERY)
    some, wider = ranked(QUERY, match_any=True)

    assert plan.every_clause_only and not wider.every_clause_only
    assert every and all(holds_every_word(r) for r in every)
    assert len(some) > len(every) > 0
    assert plan.match_count == len(every)
    assert wider.match_count is None  # more than the threshold: not counted on the way


def test_one_word_is_never_narrowed_and_costs_no_extra_query(few_candidates):
    plan = plan_query("smuggling")
    with CaptureQueriesContext(connection) as queries:
        list(filter_recommendations(Recommendation.objects.all(), plan))

    assert not plan.every_clause_only
    assert len(queries) == 1


def test_without_a_record_holding_every_word_the_search_keeps_some_words(few_candidates):
    rows, plan = ranked("smuggling zzyzx")

    assert not plan.every_clause_only
    assert rows and plan.match_count == len(rows)


def test_the_search_page_says_so_and_links_to_the_wider_search(few_candidates, client):
    narrowed = client.get("/search/", {"q": QUERY})
    page = narrowed.content.decode()

    assert 'data-testid="every-word"' in page
    assert "match=any" in page
    found = narrowed.context["results"].recommendations
    assert all(holds_every_word(r) for r in found)

    wider = client.get("/search/", {"q": QUERY, "match": "any"})
    assert 'data-testid="every-word"' not in wider.content.decode()
    assert not wider.context["results"].plan.every_clause_only


def test_the_search_page_results_match_the_filter(few_candidates):
    results = search_site(QUERY)

    assert results.plan.every_clause_only
    assert all(holds_every_word(r) for r in results.recommendations)


def test_the_list_counts_what_it_keeps_and_offers_the_rest(few_candidates, client):
    response = client.get("/recommendations/", {"q": QUERY})
    page = response.content.decode()
    paginator = response.context["page_obj"].paginator

    assert 'data-testid="every-word"' in page
    assert paginator.count == len(paginator.object_list)
    assert all(holds_every_word(r) for r in paginator.object_list)

    wider = client.get("/recommendations/", {"q": QUERY, "match": "any"})
    assert wider.context["page_obj"].paginator.count > paginator.count
    assert 'data-testid="every-word"' not in wider.content.decode()


def test_the_api_counts_what_it_keeps_and_search_match_any_widens(few_candidates, client):
    narrowed = client.get("/api/v1/recommendations/", {"search": QUERY}).json()
    wider = client.get("/api/v1/recommendations/", {"search": QUERY, "search_match": "any"}).json()

    assert narrowed["count"] == len(narrowed["results"]) > 0
    assert wider["count"] == len(wider["results"]) > narrowed["count"]


def test_the_api_refuses_an_unknown_search_match(client):
    response = client.get("/api/v1/recommendations/", {"search": QUERY, "search_match": "most"})

    assert response.status_code == 400
    assert "search_match" in response.json()["errors"]
