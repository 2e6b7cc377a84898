"""Search in the reader's language: the site's search in language L reads the English texts
and the official texts in L, each in its own language's terms (French stemming for French,
substrings for Chinese), on PostgreSQL and, more simply, on SQLite."""

from __future__ import annotations

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.utils import translation

from recommendations.models import Recommendation, RecommendationText
from recommendations.search import filter_recommendations, search_site
from recommendations.services import recommendation_text_record

pytestmark = pytest.mark.usefixtures("wgsom")

FRENCH = (
    "Les États parties devraient renforcer la coopération consulaire afin de démanteler les "
    "réseaux de passeurs."
)
CHINESE = "各缔约国应加强领事合作\uff0c以瓦解偷运移民者网络。"


@pytest.fixture
def recommendation(secretariat) -> Recommendation:
    recommendation = Recommendation.objects.get(meeting__ordinal=7, label="13")
    recommendation_text_record(
        recommendation=recommendation,
        language="fr",
        text=FRENCH,
        source="CTOC/COP/WG.7/2020/4",
        by=secretariat,
    )
    recommendation_text_record(
        recommendation=recommendation,
        language="zh-hans",
        text=CHINESE,
        source="CTOC/COP/WG.7/2020/4",
        by=secretariat,
    )
    return recommendation


def found(query: str, language: str) -> list[int]:
    with translation.override(language):
        return list(
            filter_recommendations(Recommendation.objects.all(), query)
            .order_by("-search_rank")
            .values_list("pk", flat=True)
        )


def test_a_french_word_finds_the_french_text_on_the_french_site(recommendation):
    assert found("consulaire", "fr")[0] == recommendation.pk


def test_the_english_site_does_not_search_the_french_texts(recommendation):
    assert recommendation.pk not in found("consulaire", "en")


def test_a_chinese_phrase_finds_the_chinese_text_inside_a_sentence(recommendation):
    assert found("领事合作", "zh-hans") == [recommendation.pk]


def test_the_search_page_shows_the_text_found_in_the_readers_language(recommendation):
    with translation.override("fr"):
        results = search_site("consulaire")

    first = results.recommendations[0]
    assert first.pk == recommendation.pk
    with translation.override("fr"):
        assert first.displayed.text == FRENCH


def test_french_stemming_finds_another_form_of_the_word(postgresql, recommendation):
    # "passeur" is not in the text, "passeurs" is: the French configuration stems both.
    assert found("passeur", "fr")[0] == recommendation.pk


def test_the_french_vector_is_stored_in_french_and_indexed(postgresql, recommendation):
    version = RecommendationText.objects.filter(recommendation=recommendation, language="fr")
    assert version.filter(search_document=SearchQuery("passeur", config="french")).exists()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = (
        RecommendationText.objects.filter(search_document=SearchQuery("passeur", config="french"))
        .order_by()
        .explain()
    )
    assert "recommendation_text_search_document" in plan


def test_the_arabic_and_chinese_texts_have_a_trigram_index(postgresql):
    # On a table this small the planner prefers a scan of the unique index; what matters is
    # that the index substring matches can use exists, on the rows that need it.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'recommendation_text_trigram'"
        )
        (definition,) = cursor.fetchone()
    assert "gin (text gin_trgm_ops)" in definition
    assert "'ar'" in definition and "'zh-hans'" in definition
