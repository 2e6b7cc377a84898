"""Which address a request comes from: REMOTE_ADDR alone, rewritten only behind trusted proxies.

The API throttles, the sign-in lockout and the audit log all count by it, so a header that a
client writes must never choose it.
"""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.services import client_ip

pytestmark = pytest.mark.django_db

XFF_MIDDLEWARE = "xff.middleware.XForwardedForMiddleware"


@pytest.fixture
def two_per_minute(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "1000/minute"},
    }


@pytest.fixture
def behind_one_proxy(settings):
    """The production stack: nginx in front, writing the client's address last."""
    settings.XFF_TRUSTED_PROXY_DEPTH = 1
    settings.MIDDLEWARE = [XFF_MIDDLEWARE, *settings.MIDDLEWARE]


def test_without_a_proxy_a_forged_x_forwarded_for_does_not_escape_the_anonymous_limit(
    two_per_minute,
):
    client = Client()

    statuses = [
        client.get("/api/v1/themes/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(4)
    ]

    assert statuses == [200, 200, 429, 429]


def test_without_a_proxy_the_header_is_not_read_at_all(rf):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="198.51.100.7", REMOTE_ADDR="192.0.2.1")

    assert client_ip(request) == "192.0.2.1"


def test_behind_the_proxy_each_client_is_counted_by_the_address_the_proxy_wrote(
    two_per_minute, behind_one_proxy
):
    client = Client(REMOTE_ADDR="172.18.0.5")  # the proxy's address on the stack's network

    first = [
        client.get("/api/v1/themes/", HTTP_X_FORWARDED_FOR="203.0.113.1").status_code
        for _ in range(3)
    ]
    other = client.get("/api/v1/themes/", HTTP_X_FORWARDED_FOR="203.0.113.2").status_code

    assert first == [200, 200, 429]
    assert other == 200


def test_behind_the_proxy_what_a_client_puts_before_its_own_address_is_ignored(
    two_per_minute, behind_one_proxy
):
    client = Client(REMOTE_ADDR="172.18.0.5")

    statuses = [
        client.get(
            "/api/v1/themes/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.1"
        ).status_code
        for n in range(3)
    ]

    assert statuses == [200, 200, 429]


def test_a_depth_of_zero_installs_no_rewrite(settings):
    assert settings.XFF_TRUSTED_PROXY_DEPTH == 0
    assert XFF_MIDDLEWARE not in settings.MIDDLEWARE
