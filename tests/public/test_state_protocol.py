"""A State's page shows its participation in the Protocol as the sources give it; the home page
shows the count of parties with the depositary's date and page."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from states.models import State

pytestmark = pytest.mark.usefixtures("wgsom")


def facts(page: str, testid: str) -> str:
    """The text of the fact marked `data-testid`, or "" where the page has none."""
    match = re.search(rf'data-testid="{testid}">(.*?)</dd>', page, re.DOTALL)
    return html.unescape(match.group(1)) if match else ""


def test_every_partys_page_shows_its_consent_kind_date_and_sources(client):
    for state in State.objects.parties():
        page = client.get(reverse("states:detail", args=[state.code])).content.decode()

        consent = facts(page, "protocol-consent")
        assert consent.startswith(str(state.get_protocol_consent_kind_display())), state.code
        if state.protocol_consent_date:
            assert date_format(state.protocol_consent_date, "DATE_FORMAT") in consent
        else:
            assert "date not given by the sources" in consent, state.code
        sources = facts(page, "protocol-source")
        for address in state.protocol_status_source.split(" ; "):
            assert f'href="{address}"' in sources, (state.code, address)


def test_a_state_whose_status_is_unknown_is_not_shown_as_a_non_party(client):
    # Ireland signed in 2000; no source says whether it became a party since.
    page = client.get(reverse("states:detail", args=["IRL"])).content.decode()

    assert facts(page, "protocol-status").startswith("Unknown (the sources do not settle it")
    assert facts(page, "protocol-signature") == "Dec. 13, 2000"
    assert facts(page, "protocol-consent") == ""
    assert "may be one of them" in facts(page, "protocol-note")


def test_the_home_page_shows_the_depositarys_count_with_its_date_and_page(client):
    page = client.get(reverse("home")).content.decode()

    assert "States parties to the Protocol on April 26, 2024, as the depositary counts them" in (
        page
    )
    assert re.search(r'href="https://treaties\.un\.org/[^"]+" rel="noopener">152</a>', page)
    assert re.search(r'href="/states/\?protocol_status=party">148</a>', page)
    note = re.search(r'data-testid="protocol-participation">(.*?)</p>', page, re.DOTALL)
    assert note is not None
    text = " ".join(note.group(1).split())
    assert "The records name 148 parties, 146 of which had consented by April 26, 2024." in text
    assert "do not settle the status of 48 States" in text
    assert "United Nations Treaty Collection" in text
