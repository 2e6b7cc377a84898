"""Anonymous and signed-in rates, read from the settings at each request."""

from __future__ import annotations

import re

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

_RATE = re.compile(r"^\d+/(s|sec|second|m|min|minute|h|hour|d|day)$")


def valid_rate(rate: str | None) -> bool:
    """A DRF rate ("60/minute"), or None for no limit."""
    return rate is None or bool(_RATE.match(rate))


class _SettingsRate:
    """Read the rate at request time, so that a settings change (and a test) takes effect.

    DRF reads `DEFAULT_THROTTLE_RATES` once, when the throttle module is imported.
    """

    scope: str | None  # set by the DRF throttle this is mixed into ("anon", "user")

    def get_rate(self) -> str | None:
        # The stubs key the rates by str and type them as numbers; DRF looks them up by
        # scope (None for none) and they are strings such as "60/minute".
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)  # type: ignore[arg-type,return-value]


class AnonymousThrottle(_SettingsRate, AnonRateThrottle):
    """Anonymous clients, counted per IP address (`API_THROTTLE_ANON`)."""


class SignedInThrottle(_SettingsRate, UserRateThrottle):
    """Signed-in users and tokens, counted per user (`API_THROTTLE_USER`)."""


# --- Schema examples ----------------------------------------------------------------------
