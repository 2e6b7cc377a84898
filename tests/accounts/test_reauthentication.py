"""Validating a report, changing a user in the admin and making or revoking an API token ask
staff for their password (or a code) again when they last gave one more than REAUTH_MINUTES
ago; then they come back to where they were."""

from __future__ import annotations

import datetime
import time

import pytest
from django.urls import reverse
from django.utils.http import urlencode

from accounts.reauth import VERIFIED_AT
from accounts.services import totp_device_confirm, totp_device_for_setup
from reporting import services
from reporting.models import ImplementationReport
from tests.accounts.test_second_factor import code_of
from tests.factories import DraftReportFactory, RecommendationFactory

PASSWORD = "a-long-test-password"


@pytest.fixture(autouse=True)
def reauth_after_fifteen_minutes(settings, tmp_path):
    settings.REAUTH_MINUTES = 15
    settings.REPORT_ATTACHMENTS_ROOT = tmp_path / "private-media"


@pytest.fixture
def submitted(focal_point_a, state_a):
    draft = DraftReportFactory(
        state=state_a,
        recommendation=RecommendationFactory(),
        status="implemented",
        as_of=datetime.date(2024, 6, 1),
        description="A national action plan was adopted in 2024.",
    )
    return services.implementation_report_submit(report=draft, by=focal_point_a)


def stale(client) -> None:
    session = client.session
    session[VERIFIED_AT] = time.time() - 16 * 60
    session.save()


def confirm_identity_url(next_url: str) -> str:
    return f"{reverse('confirm_identity')}?{urlencode({'next': next_url})}"


def validate(client, report: ImplementationReport):
    return client.post(
        reverse("reporting:report_review_confirm", args=[report.pk]),
        {"decision": "validate", "version": report.version},
    )


def test_validating_with_a_fresh_sign_in_goes_through(secretariat_client, submitted):
    response = validate(secretariat_client, submitted)
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.review_state == ImplementationReport.ReviewState.VALIDATED


def test_validating_long_after_the_password_asks_to_confirm_identity_first(
    secretariat_client, submitted
):
    stale(secretariat_client)
    detail = reverse("reporting:report_detail", args=[submitted.pk])

    response = validate(secretariat_client, submitted)

    assert response.status_code == 302
    assert response["Location"] == confirm_identity_url(detail)
    submitted.refresh_from_db()
    assert submitted.review_state == ImplementationReport.ReviewState.SUBMITTED

    page = secretariat_client.get(response["Location"])
    assert page.status_code == 200
    assert "Confirm it is you" in page.content.decode()

    response = secretariat_client.post(
        reverse("confirm_identity"), {"password": PASSWORD, "next": detail}
    )
    assert response.status_code == 302
    assert response["Location"] == detail
    assert validate(secretariat_client, submitted).status_code == 302
    submitted.refresh_from_db()
    assert submitted.review_state == ImplementationReport.ReviewState.VALIDATED


def test_the_old_validate_action_asks_too(secretariat_client, submitted):
    stale(secretariat_client)
    response = secretariat_client.post(
        reverse("reporting:report_validate", args=[submitted.pk]), {"version": submitted.version}
    )
    assert response["Location"].startswith(reverse("confirm_identity"))


def test_a_wrong_password_does_not_confirm(secretariat_client):
    stale(secretariat_client)
    response = secretariat_client.post(
        reverse("confirm_identity"), {"password": "not-it", "next": "/work/"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert time.time() - secretariat_client.session[VERIFIED_AT] > 15 * 60


def test_an_empty_form_says_what_to_enter(secretariat_client):
    response = secretariat_client.post(reverse("confirm_identity"), {"next": "/work/"})
    assert "Enter your password" in response.content.decode()


def test_the_way_back_stays_on_this_site(secretariat_client):
    response = secretariat_client.post(
        reverse("confirm_identity"), {"password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("work")


def test_making_an_api_token_long_after_the_password_asks_first(secretariat_client):
    stale(secretariat_client)
    response = secretariat_client.post(reverse("api_token_create"), {"name": "laptop"})
    assert response["Location"] == confirm_identity_url(reverse("profile"))


def test_changing_a_user_in_the_admin_long_after_the_password_asks_first(
    superuser_client, focal_point_a
):
    change = reverse("admin:accounts_user_change", args=[focal_point_a.pk])
    assert superuser_client.get(change).status_code == 200
    stale(superuser_client)
    response = superuser_client.get(change)
    assert response["Location"] == confirm_identity_url(change)


def test_focal_points_are_not_asked(client, focal_point_a):
    client.force_login(focal_point_a)
    stale(client)
    response = client.post(reverse("api_token_create"), {"name": "laptop"})
    assert not response.get("Location", "").startswith(reverse("confirm_identity"))


def test_staff_with_an_app_may_confirm_with_a_code_instead(secretariat_client, secretariat):
    device = totp_device_for_setup(user=secretariat)
    _device, codes = totp_device_confirm(device=device, code=code_of(device))
    stale(secretariat_client)
    response = secretariat_client.post(
        reverse("confirm_identity"), {"code": codes[0], "next": "/work/"}
    )
    assert response["Location"] == "/work/"
