"""Staff sessions end after STAFF_SESSION_IDLE_MINUTES without a request and
STAFF_SESSION_MAX_HOURS after signing in; other users keep Django's SESSION_COOKIE_AGE."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse

from accounts.reauth import SEEN_AT, SIGNED_IN_AT


@pytest.fixture(autouse=True)
def staff_session_limits(settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 30
    settings.STAFF_SESSION_MAX_HOURS = 10


def set_session(client: Client, **values: float) -> None:
    session = client.session
    for key, value in values.items():
        session[key] = value
    session.save()


def test_signing_in_starts_the_staff_session_clocks(secretariat_client):
    session = secretariat_client.session
    assert abs(session[SIGNED_IN_AT] - time.time()) < 60
    assert abs(session[SEEN_AT] - time.time()) < 60


def test_a_staff_session_idle_for_too_long_is_signed_out_with_a_message(secretariat_client):
    set_session(secretariat_client, **{SEEN_AT: time.time() - 31 * 60})

    response = secretariat_client.get(reverse("work"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/work/"
    assert "_auth_user_id" not in secretariat_client.session
    page = secretariat_client.get(response["Location"])
    assert (
        "You were signed out after 30 minutes without activity. Sign in again."
        in page.content.decode()
    )


def test_a_staff_session_in_use_stays_open_and_notes_the_request(secretariat_client):
    earlier = time.time() - 20 * 60
    set_session(secretariat_client, **{SEEN_AT: earlier})

    assert secretariat_client.get(reverse("work")).status_code == 200

    assert secretariat_client.session[SEEN_AT] > earlier + 19 * 60


def test_a_staff_session_ends_hours_after_signing_in_even_when_active(secretariat_client):
    set_session(
        secretariat_client, **{SIGNED_IN_AT: time.time() - 10 * 3600 - 60, SEEN_AT: time.time()}
    )

    response = secretariat_client.get(reverse("work"))

    assert response.status_code == 302
    assert "_auth_user_id" not in secretariat_client.session
    page = secretariat_client.get(response["Location"])
    assert "You were signed out 10 hours after signing in" in page.content.decode()


def test_the_idle_limit_is_a_setting(secretariat_client, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 5
    set_session(secretariat_client, **{SEEN_AT: time.time() - 6 * 60})
    assert secretariat_client.get(reverse("work")).status_code == 302


def test_focal_points_sessions_are_not_shortened(client, focal_point_a):
    client.force_login(focal_point_a)
    set_session(client, **{SIGNED_IN_AT: time.time() - 24 * 3600, SEEN_AT: time.time() - 5 * 3600})

    assert client.get(reverse("work")).status_code == 200
    assert "_auth_user_id" in client.session
