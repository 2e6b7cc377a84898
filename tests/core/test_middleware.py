"""Headers every response carries, whatever answered it."""

from __future__ import annotations

import pytest

from core.middleware import PERMISSIONS_POLICY

pytestmark = pytest.mark.django_db

DENIED = ("camera", "microphone", "geolocation", "payment", "usb", "interest-cohort")


@pytest.mark.parametrize("path", ["/", "/api/v1/", "/no-such-page/", "/accounts/login/"])
def test_every_response_denies_the_browser_features_the_site_never_uses(client, path):
    response = client.get(path)

    policy = response.headers["Permissions-Policy"]
    assert policy == PERMISSIONS_POLICY
    for feature in DENIED:
        assert f"{feature}=()" in policy
