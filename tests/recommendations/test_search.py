"""The search's ranking on the real WGSOM data: what a delegate types finds what they mean.

These run on SQLite and on PostgreSQL alike (CI runs them on PostgreSQL); the relevance
benchmark (benchmarks/search_relevance.yaml, `make bench-search`) measures the same ranking
on many more queries.
"""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from recommendations import services
from recommendations.models import Recommendation, SearchWord, Theme, ThesaurusEntry
from recommendations.search import plan_query, search_site
from tests.factories import RecommendationFactory

pytestmark = pytest.mark.usefixtures("wgsom")


def first(query: str, *, language: str = "en") -> Recommendation:
    with translation.override(language):
        return search_site(query).recommendations[0]


def labels(query: str, count: int) -> list[tuple[int, str, str]]:
    return [(r.meeting.year, r.status, r.label) for r in search_site(query).recommendations[:count]]


def test_a_plural_finds_the_singular_first():
    # 2020 Recommendation 8 speaks of "videoconferences".
    assert (first("videoconference").meeting.year, first("videoconference").label) == (2020, "8")


def test_crisis_finds_the_recommendations_that_say_crises():
    found = {(r.meeting.year, r.label) for r in search_site("crisis").recommendations}

    assert (2020, "1") in found  # "as a result of crises"
    assert (2020, "4") in found  # "in times of crisis"


def test_another_word_form_finds_prosecutorial_teams_for_prosecutors():
    top = labels("prosecutors", 2)

    assert (2018, "draft", "1 (d)") in top  # "deploying prosecutors"
    assert (2020, "adopted", "21") in top  # "dedicated prosecutorial teams"


def test_a_misspelling_finds_the_word_meant_and_suggests_it():
    results = search_site("extradtion")

    top = results.recommendations[0]
    assert (top.meeting.year, top.label) == (2018, "1 (i)")
    assert results.suggestion == "extradition"


def test_an_abbreviation_from_the_thesaurus_finds_its_full_form():
    top = first("JIT")

    assert (top.meeting.year, top.label) == (2020, "8")  # "joint investigative teams"
    assert {r.label for r in search_site("MLA").recommendations[:2]} == {"1 (a)", "1 (d)"}


def test_a_word_the_texts_lack_does_not_empty_the_result():
    top = first("joint investigative teams Europol")

    assert (top.meeting.year, top.label) == (2020, "8")


def test_a_french_query_on_the_french_interface_finds_the_english_text():
    top = first("équipes communes d'enquête", language="fr")

    assert (top.meeting.year, top.label) == (2020, "8")


def test_a_nonsense_query_finds_nothing_and_suggests_nothing_absurd():
    results = search_site("qxzvb wrtpk")

    assert results.total == 0
    assert results.suggestion is None


def test_every_word_matched_ranks_above_most_words():
    plan = plan_query("digital evidence cyberspace")
    top = search_site("digital evidence cyberspace").recommendations[0]

    assert len(plan.clauses) == 2  # "digital evidence" is one thesaurus term
    assert "cyberspace" in top.text and "digital evidence" in top.text


def test_a_match_only_in_the_section_title_says_so():
    results = search_site("cyberspace")
    # 2020 Recommendation 8 says nothing of cyberspace; its section title does.
    eight = next(r for r in results.recommendations if (r.meeting.year, r.label) == (2020, "8"))

    assert eight.matched.matched_in == ["section_title"]
    assert "<mark>cyberspace</mark>" in eight.matched.section_title
    assert results.recommendations[0].matched.matched_in[0] == "text"


def test_quotes_or_and_minus_work_on_every_database():
    phrase = search_site('"mock investigations"').recommendations
    either = search_site("diaspora or academia").recommendations
    without = search_site("cyberspace -smugglers").recommendations

    assert [r.label for r in phrase] == ["1 (h)"]
    assert {r.label for r in either} == {"18", "20"}
    assert all("smugglers" not in r.text for r in without)


def test_facets_count_every_match_and_narrow_the_results():
    from recommendations.search import SearchFilters

    everything = search_site("crisis")
    statuses = {f.value: f.count for f in everything.facets["status"]}
    proposals = search_site("crisis", filters=SearchFilters(status="proposed"))

    assert statuses["adopted"] >= 7 and statuses["proposed"] >= 2
    assert {r.status for r in proposals.recommendations} == {"proposed"}
    assert len(proposals.recommendations) == statuses["proposed"]
    assert any(f.selected for f in proposals.facets["status"])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the cap uses the GIN index")
def test_past_the_candidate_cap_the_best_by_rank_are_ranked_counted_and_said_to_be(
    monkeypatch, client
):
    from recommendations import search

    every = search_site("crisis")
    monkeypatch.setattr(search, "SEARCH_CANDIDATES", 3)

    capped = search_site("crisis")

    assert not every.capped and capped.capped
    assert len(capped.recommendations) == 3
    assert {r.pk for r in capped.recommendations} <= {r.pk for r in every.recommendations}
    assert sum(f.count for f in capped.facets["status"]) == 3
    # The theme facet counts the candidates' themes (and the documents'), read by their ids.
    documents = {t.slug: 0 for t in Theme.objects.all()}
    for document in search_site("crisis").documents:
        for theme in document.themes.all():
            documents[theme.slug] += 1
    themes = Counter(t.slug for r in capped.recommendations for t in r.themes.all())
    assert {f.value: f.count for f in capped.facets["theme"]} == {
        slug: themes[slug] + documents[slug] for slug in documents if themes[slug] + documents[slug]
    }
    page = client.get("/search/", {"q": "crisis"}).content.decode()
    assert "only the best 3 are ranked and counted" in page


def test_a_saved_text_adds_its_words_to_the_lexicon_so_misspellings_of_them_are_corrected():
    RecommendationFactory(text="States parties should zanzibarize their procedures.")

    assert SearchWord.objects.filter(word="zanzibarize").exists()
    assert search_site("zanzibarise").suggestion == "zanzibarize"


def lexicon_writes(queries) -> int:
    return sum('"recommendations_searchword"' in q["sql"] for q in queries.captured_queries)


def test_texts_saved_together_add_their_words_in_one_query_when_the_batch_ends():
    with CaptureQueriesContext(connection) as queries, services.search_words_collected():
        RecommendationFactory(text="Zanzibarish quokkafication measures.")
        RecommendationFactory(text="Quokkafication of zanzibarish routes.")
        with services.search_words_collected():  # an inner batch leaves it to the outer
            RecommendationFactory(text="Brontosaurial cooperation.")
        assert lexicon_writes(queries) == 0

    assert lexicon_writes(queries) == 1
    assert set(
        SearchWord.objects.filter(
            word__in=["zanzibarish", "quokkafication", "brontosaurial"]
        ).values_list("word", flat=True)
    ) == {"zanzibarish", "quokkafication", "brontosaurial"}
    # Outside a batch, each save adds its own words at once.
    with CaptureQueriesContext(connection) as queries:
        RecommendationFactory(text="Pterodactylian exchanges.")
    assert lexicon_writes(queries) == 1


def test_a_batch_that_fails_adds_no_word():
    with pytest.raises(RuntimeError), services.search_words_collected():
        RecommendationFactory(text="Velociraptorial diligence.")
        raise RuntimeError

    assert not SearchWord.objects.filter(word="velociraptorial").exists()


def test_the_secretariat_extends_the_thesaurus_and_search_follows(staff):
    entry = services.thesaurus_entry_save(
        entry=ThesaurusEntry(terms="telehearings\n  videoconferences \n\nvideoconferences"),
        by=staff,
    )

    assert entry.term_list == ["telehearings", "videoconferences"]
    assert first("telehearings").label == "8"


def test_a_thesaurus_entry_needs_two_terms_and_the_secretariat(staff, focal_point):
    with pytest.raises(ValidationError) as error:
        services.thesaurus_entry_save(entry=ThesaurusEntry(terms="JIT\n"), by=staff)
    assert "terms" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.thesaurus_entry_save(entry=ThesaurusEntry(terms="a b\nc d"), by=focal_point)


def test_the_lexicon_is_rebuilt_from_every_searched_text():
    SearchWord.objects.create(word="obsoleteword", key="obsoleteword")

    count = services.search_words_rebuild()

    assert not SearchWord.objects.filter(word="obsoleteword").exists()
    assert SearchWord.objects.filter(word="videoconferences").exists()
    assert count == SearchWord.objects.count()


def test_postgresql_finds_close_words_from_the_trigram_index(postgresql):
    from django.db.models import Q

    words = SearchWord.objects.order_by().filter(Q(word__trigram_similar="extradtion"))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = words.explain()

    assert "recommendations_searchword_trgm" in plan
    assert "extradition" in set(words.values_list("word", flat=True))
