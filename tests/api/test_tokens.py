"""API tokens at the API: `Authorization: Token <key>` works while the token does, and is
a 401 naming why once it is revoked or expired (the page and storage: tests/accounts/)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services import api_token_create, api_token_revoke
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _api_as(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_working_token_signs_the_request_in_as_its_user():
    user = UserFactory()
    _token, key = api_token_create(user=user, name="Script")

    response = _api_as(key).get("/api/v1/themes/")

    assert response.status_code == 200
    assert response.wsgi_request.user == user


def test_a_revoked_token_is_a_401_saying_so():
    user = UserFactory()
    token, key = api_token_create(user=user, name="Script")
    api_token_revoke(user=user, token_id=token.pk)

    response = _api_as(key).get("/api/v1/themes/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "authentication_failed"
    assert "revoked" in response.json()["detail"]


def test_an_expired_token_is_a_401_saying_so():
    token, key = api_token_create(user=UserFactory(), name="Script")
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    response = _api_as(key).get("/api/v1/themes/")

    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_the_token_of_a_deactivated_user_is_refused():
    user = UserFactory()
    _token, key = api_token_create(user=user, name="Script")
    user.is_active = False
    user.save()

    assert _api_as(key).get("/api/v1/themes/").status_code == 401


def test_a_key_that_is_only_the_prefix_or_the_hash_of_a_token_is_refused():
    token, key = api_token_create(user=UserFactory(), name="Script")

    assert _api_as(token.key_prefix).get("/api/v1/themes/").status_code == 401
    assert _api_as(token.key_hash).get("/api/v1/themes/").status_code == 401
    assert _api_as(key).get("/api/v1/themes/").status_code == 200
