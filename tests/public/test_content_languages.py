"""Content in the reader's language: what the Secretariat translates in the admin, and the
official texts of recommendations, reach the public pages, the API and the downloads in that
language; where a text is not recorded, the English one is shown and said to be English."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.urls import reverse

from recommendations.models import Recommendation, Theme
from recommendations.services import recommendation_text_record

pytestmark = pytest.mark.usefixtures("wgsom")

FRENCH_NAME = "Technologies et trafic illicite de migrants"


def admin_form_data(theme: Theme, **changes: str) -> dict[str, str]:
    """The theme's change form as the admin shows it, every language's tab filled in."""
    data = {"slug": theme.slug, "order": str(theme.order)}
    for language in settings.MODELTRANSLATION_LANGUAGES:
        suffix = language.replace("-", "_")
        data[f"name_{suffix}"] = getattr(theme, f"name_{suffix}") or ""
        topics = getattr(theme, f"key_topics_{suffix}")
        data[f"key_topics_{suffix}"] = json.dumps(topics) if topics is not None else ""
    return {**data, **changes}


@pytest.fixture
def translated_theme(superuser_client) -> Theme:
    """The Technology theme, its French name changed by the Secretariat in the admin."""
    theme = Theme.objects.get(slug="technology")
    response = superuser_client.post(
        reverse("admin:recommendations_theme_change", args=[theme.pk]),
        admin_form_data(theme, name_fr=FRENCH_NAME),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return theme


def test_a_theme_name_translated_in_the_admin_keeps_its_english_name(translated_theme):
    translated_theme.refresh_from_db()
    assert translated_theme.name_fr == FRENCH_NAME
    assert translated_theme.name_en == "Technology"


def test_the_translated_theme_name_heads_its_page_in_french(translated_theme, client):
    response = client.get("/themes/technology/", HTTP_ACCEPT_LANGUAGE="fr")

    page = response.content.decode()
    assert f'<h1 lang="fr">{FRENCH_NAME}</h1>' in page


def test_an_untranslated_name_is_shown_in_english_and_marked_so(client):
    Theme.objects.filter(slug="technology").update(name_ru=None)

    page = client.get("/themes/technology/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert '<h1 lang="en">Technology</h1>' in page


def test_the_api_gives_the_translated_theme_name_with_lang(translated_theme, client):
    response = client.get("/api/v1/themes/technology/", {"lang": "fr"})

    assert response.status_code == 200
    assert response.json()["name"] == FRENCH_NAME


def test_the_api_gives_the_translated_theme_name_for_accept_language(translated_theme, client):
    response = client.get("/api/v1/themes/technology/", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.json()["name"] == FRENCH_NAME
    assert response["Content-Language"] == "fr"


def test_the_csv_download_names_the_theme_in_french_under_the_same_header(translated_theme, client):
    def rows(language: str) -> list[str]:
        response = client.get("/api/v1/themes/", {"format": "csv", "lang": language})
        assert response.status_code == 200
        content = b"".join(response.streaming_content) if response.streaming else response.content
        return content.decode("utf-8-sig").splitlines()

    english, french, arabic = rows("en"), rows("fr"), rows("ar")

    assert english[0] == french[0] == arabic[0]
    name_column = english[0].split(",").index("name")
    technology = next(line for line in french[1:] if line.startswith("technology,"))
    assert technology.split(",")[name_column] == FRENCH_NAME
    assert any("التكنولوجيا" in line for line in arabic[1:])


@pytest.fixture
def recommendation_13(secretariat) -> Recommendation:
    """2020 Recommendation 13 with its official French and Arabic texts recorded."""
    recommendation = Recommendation.objects.get(meeting__ordinal=7, label="13")
    recommendation_text_record(
        recommendation=recommendation,
        language="fr",
        text="Dans le contexte d'une pandémie, les États parties devraient coopérer.",
        source="CTOC/COP/WG.7/2020/4",
        by=secretariat,
    )
    recommendation_text_record(
        recommendation=recommendation,
        language="ar",
        text="في سياق الجائحة، ينبغي للدول الأطراف أن تتعاون.",
        source="https://undocs.org/ar/CTOC/COP/WG.7/2020/4",
        by=secretariat,
    )
    return recommendation


@pytest.mark.parametrize(
    ("language", "text", "source"),
    [
        (
            "fr",
            "Dans le contexte d&#x27;une pandémie, les États parties devraient coopérer.",
            "CTOC/COP/WG.7/2020/4",
        ),
        (
            "ar",
            "في سياق الجائحة، ينبغي للدول الأطراف أن تتعاون.",
            "https://undocs.org/ar/CTOC/COP/WG.7/2020/4",
        ),
    ],
)
def test_a_recorded_text_shows_on_that_languages_page_with_its_source(
    recommendation_13, client, language, text, source
):
    page = client.get(
        f"/recommendations/{recommendation_13.pk}/", HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()

    assert f'lang="{language}"' in page
    assert text in page
    assert source in page
    assert "Official text in this language not yet recorded" not in page
    assert recommendation_13.text[:40] not in page


def test_a_missing_text_shows_the_english_one_with_the_note(recommendation_13, client):
    page = client.get(
        f"/recommendations/{recommendation_13.pk}/", HTTP_ACCEPT_LANGUAGE="es"
    ).content.decode()

    assert 'data-testid="text-not-recorded"' in page
    assert (
        f'<blockquote class="rec-fulltext" lang="en" dir="ltr"><p>{recommendation_13.text[:30]}'
        in (page)
    )


def test_lists_show_the_recorded_text_in_the_readers_language(recommendation_13, client):
    page = client.get("/recommendations/?meeting=7", HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "les États parties devraient coopérer." in page
    # The others have no French text yet: English, said to be.
    assert 'data-testid="text-not-recorded"' in page


def test_a_page_in_another_language_costs_the_queries_of_the_english_one(
    recommendation_13, client, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as english:
        client.get("/recommendations/?meeting=7", HTTP_ACCEPT_LANGUAGE="en")
    # The texts in the reader's language come in the list's own query (a subquery).
    with django_assert_num_queries(len(english.captured_queries)):
        client.get("/recommendations/?meeting=7", HTTP_ACCEPT_LANGUAGE="ar")


def change_form_data(response) -> dict:
    """What the admin change page would post back unchanged: its form and inline formsets."""
    data: dict = {}

    def add(form, prefix: str = "") -> None:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[f"{prefix}{name}"] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form, f"{formset.prefix}-")
        for form in formset.forms:
            add(form, f"{form.prefix}-")
    return data


def test_the_secretariat_enters_an_arabic_text_in_the_admin_and_readers_see_it(
    superuser_client, client
):
    recommendation = Recommendation.objects.get(meeting__ordinal=7, label="14")
    url = reverse("admin:recommendations_recommendation_change", args=[recommendation.pk])
    data = change_form_data(superuser_client.get(url))
    data.update(
        {
            "language_versions-TOTAL_FORMS": "1",
            "language_versions-0-language": "ar",
            "language_versions-0-source": "https://undocs.org/ar/CTOC/COP/WG.7/2020/4",
            "language_versions-0-text": "ينبغي للدول الأطراف أن تتبادل المعلومات.",
        }
    )

    response = superuser_client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    page = client.get(
        f"/recommendations/{recommendation.pk}/", HTTP_ACCEPT_LANGUAGE="ar"
    ).content.decode()
    assert 'lang="ar" dir="rtl"><p>ينبغي للدول الأطراف أن تتبادل المعلومات.</p>' in page
    assert "https://undocs.org/ar/CTOC/COP/WG.7/2020/4" in page
