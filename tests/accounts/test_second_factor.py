"""The second factor of staff accounts: Secretariat members and admin users give a code of an
authenticator app (or a single-use recovery code) after their password; focal points do not."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditAction, AuditEvent
from accounts.services import (
    RECOVERY_CODE_COUNT,
    second_factor_reset,
    totp_device_confirm,
    totp_device_for_setup,
)

PASSWORD = "a-long-test-password"


@pytest.fixture(autouse=True)
def second_factor_on(settings):
    """Off in the test settings for every other test, which sign staff in with force_login."""
    settings.OTP_REQUIRED_FOR_STAFF = True


def sign_in(client, user):
    response = client.post(
        reverse("login"), {"username": user.get_username(), "password": PASSWORD}
    )
    assert response.status_code == 302, "the password step should succeed"
    return response


def code_of(device: TOTPDevice, shift: int = 0) -> str:
    """The code an authenticator app holding the device's key shows now."""
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return str((value + shift) % 10**device.digits).zfill(device.digits)


def wrong_code_of(device: TOTPDevice) -> str:
    return code_of(device, shift=500_000)


def with_app(user) -> tuple[TOTPDevice, list[str]]:
    """`user` as after setting up an app: a confirmed device and recovery codes."""
    device = totp_device_for_setup(user=user)
    return totp_device_confirm(device=device, code=code_of(device))


# Setting up -------------------------------------------------------------------------------------


def test_staff_without_an_app_are_sent_to_set_one_up_after_the_password(client, secretariat):
    sign_in(client, secretariat)
    response = client.get(reverse("work"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))
    assert "next=%2Fwork%2F" in response["Location"]


def test_the_setup_page_shows_a_qr_code_drawn_here_and_the_key_to_type(client, secretariat):
    sign_in(client, secretariat)
    response = client.get(reverse("two_factor_setup"))
    html = response.content.decode()
    device = TOTPDevice.objects.get(user=secretariat)
    assert not device.confirmed
    # Inline SVG, nothing fetched from another service.
    assert "<svg" in html and "<img" not in html.split("<main", 1)[-1]
    secret = response.context["secret"].replace(" ", "")
    assert secret and secret in html.replace(" ", "")
    # Reloading shows the same key: an app that scanned it keeps giving matching codes.
    assert client.get(reverse("two_factor_setup")).context["secret"] == response.context["secret"]


def test_setting_up_with_a_code_of_the_app_confirms_it_and_shows_the_recovery_codes_once(
    client, secretariat
):
    sign_in(client, secretariat)
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=secretariat)

    response = client.post(
        reverse("two_factor_setup"), {"code": code_of(device), "next": reverse("work")}
    )

    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == RECOVERY_CODE_COUNT == len(set(codes))
    html = response.content.decode()
    assert all(code in html for code in codes)
    assert "will not be shown again" in html
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(
        action=AuditAction.SECOND_FACTOR_SET_UP, actor=secretariat
    ).exists()
    # Verified for this session: the work page opens, and the codes are never shown again.
    assert client.get(reverse("work")).status_code == 200
    again = client.get(reverse("two_factor_setup"))
    assert again.status_code == 302
    assert not any(code in client.get(reverse("work")).content.decode() for code in codes)


def test_a_wrong_code_at_setup_is_refused_with_an_error_beside_the_field(client, secretariat):
    sign_in(client, secretariat)
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=secretariat)

    response = client.post(reverse("two_factor_setup"), {"code": wrong_code_of(device)})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert "There is a problem" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(reverse("work")).status_code == 302


# Signing in with an app -------------------------------------------------------------------------


def test_staff_with_an_app_give_its_code_after_the_password(client, secretariat):
    device, _codes = with_app(secretariat)
    # The code used at setup cannot be used twice: the app's next one is wanted.
    device.last_t -= 1
    device.save()
    sign_in(client, secretariat)

    response = client.get(reverse("work"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_verify"))

    response = client.post(
        reverse("two_factor_verify"), {"code": code_of(device), "next": reverse("work")}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("work")
    assert client.get(reverse("work")).status_code == 200


def test_a_wrong_code_is_refused_and_the_pages_stay_closed(client, secretariat):
    device, _codes = with_app(secretariat)
    sign_in(client, secretariat)

    response = client.post(reverse("two_factor_verify"), {"code": wrong_code_of(device)})

    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [
        "This code is not right. Check it and try again."
    ]
    assert client.get(reverse("work")).status_code == 302


def test_after_a_wrong_code_even_the_right_one_waits_a_little(client, secretariat):
    device, _codes = with_app(secretariat)
    device.last_t -= 1
    device.save()
    sign_in(client, secretariat)
    client.post(reverse("two_factor_verify"), {"code": wrong_code_of(device)})

    response = client.post(reverse("two_factor_verify"), {"code": code_of(device)})

    assert "Wait a little" in response.context["form"].errors["code"][0]


def test_a_recovery_code_signs_in_once(client, secretariat):
    _device, codes = with_app(secretariat)
    sign_in(client, secretariat)

    response = client.post(reverse("two_factor_verify"), {"code": codes[0].upper()})
    assert response.status_code == 302
    assert client.get(reverse("work")).status_code == 200
    assert StaticToken.objects.filter(device__user=secretariat).count() == RECOVERY_CODE_COUNT - 1

    client.post(reverse("logout"))
    sign_in(client, secretariat)
    response = client.post(reverse("two_factor_verify"), {"code": codes[0]})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]


def test_unverified_staff_can_still_sign_out(client, secretariat):
    sign_in(client, secretariat)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_focal_points_are_not_asked_for_a_second_factor(client, focal_point_a):
    sign_in(client, focal_point_a)
    assert client.get(reverse("work")).status_code == 200
    assert client.get(reverse("two_factor_setup")).status_code == 403


def test_the_admin_needs_the_second_factor(client, superuser):
    device, _codes = with_app(superuser)
    device.last_t -= 1
    device.save()
    sign_in(client, superuser)

    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_verify"))

    client.post(reverse("two_factor_verify"), {"code": code_of(device)})
    assert client.get("/admin/").status_code == 200


def test_the_admin_sign_in_page_leads_to_the_second_factor_too(client, superuser):
    with_app(superuser)
    client.post(
        "/admin/login/?next=/admin/",
        {"username": superuser.get_username(), "password": PASSWORD},
    )
    response = client.get("/admin/")
    assert response["Location"].startswith(reverse("two_factor_verify"))


# Resetting a colleague's second factor ----------------------------------------------------------


def test_a_secretariat_colleague_resets_a_lost_second_factor_and_it_is_audited(
    client, secretariat, superuser
):
    with_app(secretariat)

    assert second_factor_reset(user=secretariat, by=superuser, ip="192.0.2.1")

    assert not TOTPDevice.objects.filter(user=secretariat).exists()
    assert not StaticToken.objects.filter(device__user=secretariat).exists()
    event = AuditEvent.objects.get(action=AuditAction.SECOND_FACTOR_RESET)
    assert (event.actor, event.target, event.ip) == (superuser, secretariat.username, "192.0.2.1")
    # At the next sign-in they set up a new app.
    sign_in(client, secretariat)
    assert client.get(reverse("work"))["Location"].startswith(reverse("two_factor_setup"))


def test_the_admin_action_resets_the_second_factor_of_the_chosen_users(
    client, secretariat, superuser
):
    _device, codes = with_app(superuser)
    sign_in(client, superuser)
    client.post(reverse("two_factor_verify"), {"code": codes[0]})
    with_app(secretariat)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [secretariat.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=secretariat).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.SECOND_FACTOR_RESET, actor=superuser
    ).exists()


def test_the_reset_command_names_the_colleague_who_did_it(secretariat, superuser, capsys):
    with_app(secretariat)
    call_command("reset_second_factor", secretariat.email, "--by", superuser.email)
    assert "Reset the second factor" in capsys.readouterr().out
    assert not TOTPDevice.objects.filter(user=secretariat).exists()
    event = AuditEvent.objects.get(action=AuditAction.SECOND_FACTOR_RESET)
    assert event.actor == superuser


def test_the_setup_page_has_one_primary_button_and_a_labelled_code_field(client, secretariat):
    sign_in(client, secretariat)
    html = client.get(reverse("two_factor_setup")).content.decode()
    assert len(re.findall(r'class="button"', html)) == 1
    assert 'autocomplete="one-time-code"' in html


# Recovery codes from the profile ----------------------------------------------------------------


def test_staff_replace_their_recovery_codes_from_the_profile(client, secretariat):
    _device, codes = with_app(secretariat)
    sign_in(client, secretariat)
    client.post(reverse("two_factor_verify"), {"code": codes[0]})
    assert reverse("two_factor_recovery_codes") in client.get(reverse("profile")).content.decode()

    page = client.get(reverse("two_factor_recovery_codes"))
    assert "You have 9 recovery codes left." in page.content.decode()

    response = client.post(reverse("two_factor_recovery_codes"))
    new_codes = response.context["codes"]
    assert len(new_codes) == RECOVERY_CODE_COUNT
    assert set(
        StaticToken.objects.filter(device__user=secretariat).values_list("token", flat=True)
    ) == set(new_codes)


def test_focal_points_have_no_second_factor_page(client, focal_point_a):
    client.force_login(focal_point_a)
    assert client.get(reverse("two_factor_recovery_codes")).status_code == 403
    assert (
        reverse("two_factor_recovery_codes") not in client.get(reverse("profile")).content.decode()
    )
