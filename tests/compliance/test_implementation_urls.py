"""The implementation pages live under /implementation/ (the app and its URL namespace keep the
name compliance); every old /compliance/ address answers with a permanent redirect to the same
page, query string and all."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_the_pages_are_under_implementation_with_the_namespace_unchanged():
    assert reverse("compliance:summary") == "/implementation/"
    assert reverse("compliance:csv") == "/implementation/implementation.csv"
    assert reverse("compliance:reports") == "/implementation/reports/"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/compliance/", "/implementation/"),
        ("/compliance/reports/", "/implementation/reports/"),
        ("/compliance/reports/7/", "/implementation/reports/7/"),
        ("/compliance/compliance.csv", "/implementation/implementation.csv"),
        (
            "/compliance/compliance.csv?dimension=theme",
            "/implementation/implementation.csv?dimension=theme",
        ),
        ("/compliance/?lang=fr&page=2", "/implementation/?lang=fr&page=2"),
    ],
)
def test_an_old_compliance_address_redirects_permanently_to_the_same_page(client, old, new):
    response = client.get(old)

    assert response.status_code == 301
    assert response["Location"] == new


def test_the_old_address_without_its_slash_redirects_too(client):
    response = client.get("/compliance", follow=True)

    assert response.redirect_chain[-1] == ("/implementation/", 301)
    assert response.status_code == 200


def test_the_navigation_and_the_page_say_implementation_not_compliance(client):
    with translation.override("en"):
        page = client.get(reverse("compliance:summary"), HTTP_ACCEPT_LANGUAGE="en").content
    text = page.decode()

    assert '<a href="/implementation/" aria-current="page">Implementation</a>' in text
    assert "<title>Implementation summary" in text
    assert "<h1>Implementation summary</h1>" in text
    assert "Compliance" not in text


def test_the_csv_is_named_implementation(client):
    response = client.get(reverse("compliance:csv"))

    assert 'filename="wgsom-implementation-' in response["Content-Disposition"]
