"""API tokens: a user makes and revokes their own from the profile page."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _api_as(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_user_creates_a_token_and_sees_it_in_full_once(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(reverse("api_token_create"))

    token = Token.objects.get(user=user)
    page = response.content.decode()
    assert response.status_code == 200
    assert token.key in page
    assert "no-store" in response["Cache-Control"]
    assert _api_as(token.key).get("/api/v1/themes/").status_code == 200


def test_the_profile_section_shows_only_the_end_of_an_existing_token():
    user = UserFactory()
    token = Token.objects.create(user=user)

    html = render_to_string("accounts/api_tokens.html", {"account": user})

    assert token.key not in html
    assert token.key[-4:] in html
    assert reverse("api_token_revoke") in html


def test_the_profile_section_offers_a_token_to_a_user_without_one():
    html = render_to_string("accounts/api_tokens.html", {"account": UserFactory()})

    assert reverse("api_token_create") in html
    assert reverse("api_token_revoke") not in html


def test_a_new_token_replaces_the_old_one(client):
    user = UserFactory()
    old = Token.objects.create(user=user).key
    client.force_login(user)

    client.post(reverse("api_token_create"))

    new = Token.objects.get(user=user).key
    assert new != old
    assert _api_as(old).get("/api/v1/themes/").status_code == 401
    assert _api_as(new).get("/api/v1/themes/").status_code == 200


def test_a_revoked_token_is_refused(client):
    user = UserFactory()
    key = Token.objects.create(user=user).key
    client.force_login(user)

    response = client.post(reverse("api_token_revoke"))

    assert response.status_code == 302
    assert response["Location"] == reverse("profile")
    assert not Token.objects.filter(user=user).exists()
    assert _api_as(key).get("/api/v1/themes/").status_code == 401


def test_tokens_are_made_and_revoked_only_by_a_signed_in_post(client):
    assert client.post(reverse("api_token_create")).status_code == 302  # to the sign-in page
    assert client.post(reverse("api_token_revoke")).status_code == 302
    client.force_login(UserFactory())
    assert client.get(reverse("api_token_create")).status_code == 405
    assert not Token.objects.exists()


def test_a_user_revokes_only_their_own_token(client):
    mine, theirs = UserFactory(), UserFactory()
    Token.objects.create(user=mine)
    their_key = Token.objects.create(user=theirs).key
    client.force_login(mine)

    client.post(reverse("api_token_revoke"))

    assert Token.objects.filter(key=their_key).exists()
