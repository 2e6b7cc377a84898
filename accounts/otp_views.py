"""The second factor of staff accounts: setting up an authenticator app, entering a code after
the password, and confirming one's identity before a sensitive step (accounts/reauth.py).

The staff middleware (accounts/otp_middleware.py) sends staff here until they have given a
code in this session.
"""

from __future__ import annotations

from base64 import b32encode
from typing import TYPE_CHECKING
from urllib.parse import quote

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login

from .otp_forms import CodeForm, ConfirmIdentityForm
from .reauth import (
    identity_confirmed,
    is_staff_account,
    recent_authentication_required,
    safe_next,
)
from .services import (
    client_ip,
    recovery_codes_create,
    recovery_codes_left,
    second_factor_device,
    second_factor_verify,
    totp_device_confirm,
    totp_device_for_setup,
)

if TYPE_CHECKING:
    from .roles import AuthenticatedHttpRequest


def _grouped(secret: str) -> str:
    # Groups of four are easier to type into an app by hand.
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@login_required
def two_factor_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Add an authenticator app: scan the QR code (or type the key), confirm with a code; the
    answer shows the recovery codes, once."""
    if not is_staff_account(request.user):
        raise PermissionDenied
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if second_factor_device(user=request.user) is not None:
        if request.user.is_verified():  # type: ignore[attr-defined]
            messages.info(request, _("Your authenticator app is already set up."))
            return redirect(next_url)
        return redirect(f"{reverse('two_factor_verify')}?next={_quote(next_url)}")
    device = totp_device_for_setup(user=request.user)
    form = CodeForm(
        request.POST or None,
        hint=_("The 6 digits your app shows for this site now."),
    )
    if form.is_valid():
        try:
            device, codes = totp_device_confirm(
                device=device, code=form.cleaned_data["code"], ip=client_ip(request)
            )
        except ValidationError as exc:
            form.add_error("code", exc.message_dict["code"])
        else:
            otp_login(request, device)
            identity_confirmed(request)
            # Answered with a page rather than a redirect: the codes never travel in a URL or
            # the session, and are not shown again.
            return render(
                request,
                "accounts/two_factor_recovery_codes.html",
                {"codes": codes, "next_url": next_url},
            )
    qr = segno.make(device.config_url, error="m")
    svg = qr.svg_inline(
        scale=5, dark="#000", light="#fff", title=_("QR code to add this site to your app")
    )
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            # segno writes the SVG from the device's URL only: nothing a user typed.
            "qr_svg": mark_safe(svg),
            "secret": _grouped(b32encode(device.bin_key).decode()),
            "next_url": next_url,
        },
    )


@never_cache
@login_required
def two_factor_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """After the password, a code of the authenticator app or a recovery code."""
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if not is_staff_account(request.user):
        raise PermissionDenied
    if second_factor_device(user=request.user) is None:
        return redirect(f"{reverse('two_factor_setup')}?next={_quote(next_url)}")
    form = CodeForm(
        request.POST or None,
        hint=_(
            "The 6 digits your authenticator app shows now, or one of your recovery codes "
            "if you do not have your app."
        ),
    )
    if form.is_valid():
        try:
            device = second_factor_verify(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc.message_dict["code"])
        else:
            otp_login(request, device)
            identity_confirmed(request)
            if not form.cleaned_data["code"].strip().isdigit():
                left = recovery_codes_left(user=request.user)
                messages.warning(
                    request,
                    ngettext(
                        "You used a recovery code. You have %(count)d left.",
                        "You used a recovery code. You have %(count)d left.",
                        left,
                    )
                    % {"count": left}
                    + " "
                    + _("If you lost your app, ask a colleague in the Secretariat to reset it."),
                )
            return redirect(next_url)
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next_url": next_url})


@never_cache
@login_required
def confirm_identity(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The password again (or a code) before a sensitive step, then back to `next`."""
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = ConfirmIdentityForm(request.POST or None, request=request, user=request.user)
    if form.is_valid():
        identity_confirmed(request)
        return redirect(next_url)
    return render(
        request,
        "accounts/confirm_identity.html",
        {"form": form, "next_url": next_url, "reauth_minutes": settings.REAUTH_MINUTES},
    )


def _quote(value: str) -> str:
    return quote(value, safe="/")


@never_cache
@login_required
@recent_authentication_required(then="two_factor_recovery_codes")
def recovery_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """How many recovery codes are left; a POST replaces them all with new ones, shown once.
    Behind a fresh password, since the codes open the account as the app does."""
    if not is_staff_account(request.user) or second_factor_device(user=request.user) is None:
        raise PermissionDenied
    if request.method == "POST":
        codes = recovery_codes_create(user=request.user)
        return render(
            request,
            "accounts/two_factor_recovery_codes.html",
            {"codes": codes, "next_url": reverse("profile"), "replaced": True},
        )
    return render(
        request,
        "accounts/two_factor_manage.html",
        {"left": recovery_codes_left(user=request.user)},
    )
