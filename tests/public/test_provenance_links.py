"""Where each thing comes from, one click away: a proposal links to what it became and an
adopted recommendation to the proposals behind it, the United States' opening statement of
2020 is among the 7th meeting's statements, and every document symbol opens the official
document."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from meetings.symbols import un_document_url
from recommendations.models import Recommendation

pytestmark = pytest.mark.usefixtures("wgsom")

MEETING_7 = reverse("meetings:detail", args=[7])


@pytest.fixture
def proposal_9():
    return Recommendation.objects.get(meeting__ordinal=7, status="proposed", label="9")


@pytest.fixture
def recommendation_13():
    return Recommendation.objects.get(meeting__ordinal=7, status="adopted", label="13")


def link(url: str, text: str) -> str:
    return f'<a class="tag tag-lineage" href="{url}">{text}</a>'


def detail(recommendation: Recommendation) -> str:
    return reverse("recommendations:detail", args=[recommendation.pk])


def test_on_the_meeting_page_became_recommendation_13_links_to_it(
    client, proposal_9, recommendation_13
):
    page = client.get(MEETING_7).content.decode()

    assert link(detail(recommendation_13), "Became Recommendation 13") in page


def test_on_the_meeting_page_recommendation_13_links_to_the_proposal_behind_it(client, proposal_9):
    page = client.get(MEETING_7).content.decode()

    assert link(detail(proposal_9), "Proposed as Proposal 9 (United States of America)") in page


def test_an_adopted_recommendation_page_links_to_the_proposal_it_came_from(
    client, proposal_9, recommendation_13
):
    page = client.get(detail(recommendation_13)).content.decode()

    assert "<dt>Proposed first</dt>" in page
    assert link(detail(proposal_9), "Proposed as Proposal 9 (United States of America)") in page


def test_a_proposal_page_links_to_what_it_became(client, proposal_9, recommendation_13):
    page = client.get(detail(proposal_9)).content.decode()

    assert f'<a href="{detail(recommendation_13)}">Recommendation 13 (2020)</a>' in page


def test_the_united_states_opening_statement_is_among_the_7th_meetings_statements(client):
    response = client.get(MEETING_7)

    (statement,) = [s for s in response.context["statements"] if s.state and s.state.code == "USA"]
    assert statement.kind == "national"
    assert [item.label for item in statement.agenda_items.all()] == ["2", "3"]
    # Recorded from the statement's own document, without words of ours.
    assert statement.summary == ""
    page = response.content.decode()
    statements = page[page.index('id="statements-heading"') :]
    assert "United States of America" in statements


def test_every_document_symbol_on_the_meeting_page_opens_the_official_document(client):
    page = client.get(MEETING_7).content.decode()

    assert (
        '<a class="un-symbol-link" href="https://undocs.org/en/CTOC/COP/WG.7/2020/1" '
        'rel="external noopener"'
    ) in page
    assert ">CTOC/COP/WG.7/2020/1</a>" in page


def test_the_document_opens_in_the_readers_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    page = client.get(MEETING_7).content.decode()

    assert 'href="https://undocs.org/fr/CTOC/COP/WG.7/2020/1"' in page


def test_the_theme_page_and_search_link_their_symbols_the_same_way(client):
    theme = client.get(reverse("recommendations:theme_detail", args=["impact-of-crises"]))
    assert 'href="https://undocs.org/en/CTOC/COP/WG.7/2020/2"' in theme.content.decode()

    search = client.get(reverse("recommendations:search"), {"q": "crises"})
    page = search.content.decode()
    if "CTOC/COP/WG.7/2020/2" in page:
        assert 'href="https://undocs.org/en/CTOC/COP/WG.7/2020/2"' in page


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "https://undocs.org/en/CTOC/COP/WG.7/2020/2"),
        ("zh-hans", "https://undocs.org/zh/CTOC/COP/WG.7/2020/2"),
        ("ar", "https://undocs.org/ar/CTOC/COP/WG.7/2020/2"),
        ("de", "https://undocs.org/en/CTOC/COP/WG.7/2020/2"),
    ],
)
def test_a_symbol_leads_to_the_document_in_a_un_language(language, expected):
    assert un_document_url("CTOC/COP/WG.7/2020/2", language) == expected


def test_a_symbol_with_a_space_is_escaped():
    assert un_document_url("E/CN.15/2020/1 Corr.1", "en") == (
        "https://undocs.org/en/E/CN.15/2020/1%20Corr.1"
    )
