"""Fixtures of the API tests: an API client, token clients, and a clean throttle count per test
(the people are in tests/personas.py)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.services import api_token_create


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    # Throttles count in the cache, which outlives a test: without this, the API tests run
    # late in the suite would be answered 429 for the requests of the tests before them.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


def token_client(user) -> APIClient:
    client = APIClient()
    _token, key = api_token_create(user=user, name="Test client")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client
