"""The API in the six UN languages: `?lang=` (or Accept-Language) chooses the language of
names and texts; codes, field names and CSV headers never change; a text says which language
it is in and where it comes from, so English is never taken for an official translation."""

from __future__ import annotations

import pytest

from recommendations.models import Recommendation
from recommendations.services import recommendation_text_record

pytestmark = pytest.mark.usefixtures("wgsom")

FRENCH = "Dans le contexte d'une pandémie, les États parties devraient coopérer."


@pytest.fixture
def recommendation_13(secretariat) -> Recommendation:
    recommendation = Recommendation.objects.get(meeting__ordinal=7, label="13")
    recommendation_text_record(
        recommendation=recommendation,
        language="fr",
        text=FRENCH,
        source="CTOC/COP/WG.7/2020/4",
        by=secretariat,
    )
    return recommendation


def test_an_unknown_lang_is_a_400_naming_the_parameter(api):
    response = api.get("/api/v1/themes/", {"lang": "de"})

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["errors"]) == ["lang"]
    assert "zh-hans" in body["errors"]["lang"][0]


def test_lang_is_a_known_parameter_of_every_filtered_list(api):
    response = api.get("/api/v1/recommendations/", {"lang": "es", "meeting": 7})

    assert response.status_code == 200


def test_lang_overrides_accept_language(api):
    response = api.get("/api/v1/themes/prevention/", {"lang": "ru"}, HTTP_ACCEPT_LANGUAGE="fr")

    assert response.json()["name"] == "Предупреждение"
    assert response["Content-Language"] == "ru"


def test_the_recorded_text_is_given_with_its_language_and_source(api, recommendation_13):
    body = api.get(f"/api/v1/recommendations/{recommendation_13.pk}/", {"lang": "fr"}).json()

    assert (body["text"], body["text_language"], body["text_source"]) == (
        FRENCH,
        "fr",
        "CTOC/COP/WG.7/2020/4",
    )


def test_a_text_not_recorded_in_the_language_is_the_english_one_and_says_so(api, recommendation_13):
    body = api.get(f"/api/v1/recommendations/{recommendation_13.pk}/", {"lang": "zh-hans"}).json()

    assert body["text"] == recommendation_13.text
    assert body["text_language"] == "en"
    assert body["text_source"] == recommendation_13.source


def test_english_answers_are_unchanged(api, recommendation_13):
    body = api.get(f"/api/v1/recommendations/{recommendation_13.pk}/").json()

    assert (body["text"], body["text_language"]) == (recommendation_13.text, "en")


def test_state_names_follow_the_language_and_codes_do_not(api):
    french = api.get("/api/v1/states/TUR/", {"lang": "fr"}).json()
    chinese = api.get("/api/v1/states/TUR/", {"lang": "zh-hans"}).json()

    assert (french["code"], french["name"]) == ("TUR", "Türkiye")
    assert (chinese["code"], chinese["name"]) == ("TUR", "土耳其")


def test_the_csv_header_is_the_same_in_every_language_and_the_names_are_translated(api):
    def lines(language: str) -> list[str]:
        response = api.get("/api/v1/regional-groups/", {"format": "csv", "lang": language})
        assert response.status_code == 200
        content = b"".join(response.streaming_content) if response.streaming else response.content
        return content.decode("utf-8-sig").splitlines()

    english, spanish = lines("en"), lines("es")

    assert english[0] == spanish[0]
    assert any(line.startswith("african-states,Estados de África,") for line in spanish)
    assert any(line.startswith("african-states,African States,") for line in english)


def test_a_list_in_another_language_costs_the_queries_of_the_english_one(
    api, recommendation_13, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as english:
        api.get("/api/v1/recommendations/", {"meeting": 7})
    # The texts in the language asked for come in the list's own query (a subquery).
    with django_assert_max_num_queries(len(english.captured_queries)):
        api.get("/api/v1/recommendations/", {"meeting": 7, "lang": "fr"})
