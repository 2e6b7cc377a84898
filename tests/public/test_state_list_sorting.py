"""The States list: in alphabetical order of the names the reader sees, and filtered by what
they type ("Find a State"), in the browser and, without scripts, by the server (`?q=`)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from states.names import fold

pytestmark = pytest.mark.usefixtures("wgsom")


def names_listed(client, language: str = "en", **params) -> list[str]:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("states:list"), params)
    assert response.status_code == 200
    return [state.display_name for state in response.context["states"]]


def test_the_states_are_in_alphabetical_order_of_their_english_names_not_of_their_codes(client):
    names = names_listed(client)

    assert names[:3] == ["Afghanistan", "Albania", "Algeria"]
    assert names.index("Angola") > names.index("Andorra")
    assert names == sorted(names, key=lambda name: (fold(name), name))


def test_in_french_the_states_are_in_the_order_of_their_french_names(client):
    names = names_listed(client, "fr")

    # Germany is "Allemagne" in French: it comes before "Andorre", not among the G's.
    assert names.index("Allemagne") < names.index("Andorre")
    # Accents do not send a name to the end: "Égypte" is among the E's, before "Espagne".
    assert names.index("Égypte") < names.index("Espagne") < names.index("Éthiopie")
    assert names[-1] == "Zimbabwe"


def test_in_russian_the_states_are_in_cyrillic_alphabetical_order(client):
    names = names_listed(client, "ru")

    assert names[:2] == ["Австралия", "Австрия"]
    assert names[-1] == "Япония"


def test_typing_part_of_a_name_without_scripts_lists_only_the_states_that_hold_it(client):
    names = names_listed(client, q="guinea")

    assert names == ["Equatorial Guinea", "Guinea", "Guinea-Bissau", "Papua New Guinea"]


def test_the_search_ignores_accents_and_finds_codes_and_english_names(client):
    assert names_listed(client, q="cote") == ["Côte d'Ivoire"]
    assert names_listed(client, q="AUT") == ["Austria"]
    # The UN English name finds a State whatever language the page is in.
    assert names_listed(client, "fr", q="Germany") == ["Allemagne"]


def test_a_search_that_finds_nothing_says_so_and_offers_the_whole_list(client):
    response = client.get(reverse("states:list"), {"q": "Atlantis"})

    page = response.content.decode()
    assert list(response.context["states"]) == []
    assert "No State’s name or code contains “Atlantis”." in page  # noqa: RUF001
    assert f'href="{reverse("states:list")}"' in page


def test_the_list_offers_a_labelled_search_box_that_filters_as_one_types(client):
    page = client.get(reverse("states:list")).content.decode()

    assert '<label for="find-state">Find a State</label>' in page
    assert 'type="search" id="find-state" name="q"' in page
    assert 'data-filter-rows="#states-table tbody tr"' in page
    assert 'data-filter-text="Austria Austria AUT"' in page


def test_sorting_and_searching_cost_no_query(client, django_assert_num_queries):
    # 1 regional groups (filter choices), 1 States, 1 their counts of recommendations reported
    # on, 1 demonstration data
    with django_assert_num_queries(4):
        client.get(reverse("states:list"), {"q": "ia"})
