"""The API's settings from the environment: throttle rates and the largest page."""

from __future__ import annotations

import pytest

from tests.test_settings import SETUP, start

RATES = (
    SETUP + "; from django.conf import settings as s; "
    "print(s.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'], s.API_MAX_PAGE_SIZE)"
)


def test_the_defaults_throttle_anonymous_clients_harder_than_signed_in_users():
    result = start(RATES)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "{'anon': '120/minute', 'user': '1200/minute'} 500"


def test_rates_and_page_size_come_from_the_environment_and_off_means_no_limit():
    result = start(
        RATES, API_THROTTLE_ANON="30/hour", API_THROTTLE_USER="off", API_MAX_PAGE_SIZE="100"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "{'anon': '30/hour', 'user': None} 100"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("API_THROTTLE_ANON", "fast"),
        ("API_THROTTLE_USER", "100/fortnight"),
        ("API_MAX_PAGE_SIZE", "0"),
        ("API_MAX_PAGE_SIZE", "many"),
    ],
)
def test_an_unusable_value_stops_start_up_with_one_line_naming_it(name, value):
    result = start(SETUP, **{name: value})

    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert name in lines[0]
