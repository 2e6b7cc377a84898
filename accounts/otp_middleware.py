"""Staff sessions: the second factor, and their shorter life.

For a signed-in staff account (accounts.reauth.is_staff_account), before any view:

1. A session idle for STAFF_SESSION_IDLE_MINUTES, or begun STAFF_SESSION_MAX_HOURS ago, ends:
   the user is signed out and asked to sign in again, with a message saying why.
2. Until the second factor is given in this session (django-otp's request.user.is_verified()),
   every page but the second-factor pages, signing out, the language switcher, static files
   and the health check sends them to enter a code, or to set up an app when they have none.
   The admin is one of those pages, so it too needs the second factor.

API requests with a token carry no session and are not concerned. Focal points and readers
keep Django's SESSION_COOKIE_AGE and need no second factor.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import ngettext

from .reauth import SEEN_AT, SIGNED_IN_AT, is_staff_account
from .services import second_factor_device

# SEEN_AT is written at most this often, so that not every request saves the session.
SEEN_AT_RESOLUTION_SECONDS = 60


class StaffSecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and is_staff_account(user):
            response = self._expired(request) or self._unverified(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _expired(self, request: HttpRequest) -> HttpResponse | None:
        session = request.session
        now = time.time()
        # A session from before these clocks existed starts them now.
        signed_in_at = session.setdefault(SIGNED_IN_AT, now)
        seen_at = session.get(SEEN_AT, now)
        idle_minutes = settings.STAFF_SESSION_IDLE_MINUTES
        max_hours = settings.STAFF_SESSION_MAX_HOURS
        if now - seen_at > idle_minutes * 60:
            message = ngettext(
                "You were signed out after %(count)d minute without activity. Sign in again.",
                "You were signed out after %(count)d minutes without activity. Sign in again.",
                idle_minutes,
            ) % {"count": idle_minutes}
        elif now - signed_in_at > max_hours * 3600:
            message = ngettext(
                "You were signed out %(count)d hour after signing in. Sign in again.",
                "You were signed out %(count)d hours after signing in. Sign in again.",
                max_hours,
            ) % {"count": max_hours}
        else:
            if now - seen_at >= SEEN_AT_RESOLUTION_SECONDS or SEEN_AT not in session:
                session[SEEN_AT] = now
            return None
        logout(request)
        # After logout: the message lives in the new, anonymous session.
        messages.info(request, message)
        back = request.get_full_path() if request.method in ("GET", "HEAD") else None
        return redirect_to_login(back) if back else HttpResponseRedirect(reverse("login"))

    def _unverified(self, request: HttpRequest) -> HttpResponse | None:
        if not settings.OTP_REQUIRED_FOR_STAFF or request.user.is_verified():  # type: ignore[union-attr]
            return None
        path = request.path_info
        if any(path.startswith(prefix) for prefix in _open_prefixes()):
            return None
        has_device = second_factor_device(user=request.user) is not None  # type: ignore[arg-type]
        target = "two_factor_verify" if has_device else "two_factor_setup"
        back = request.get_full_path() if request.method in ("GET", "HEAD") else ""
        query = f"?{urlencode({'next': back})}" if back else ""
        return HttpResponseRedirect(f"{reverse(target)}{query}")


def _open_prefixes() -> tuple[str, ...]:
    """The paths an unverified staff member may reach."""
    return (
        reverse("two_factor_verify"),
        reverse("two_factor_setup"),
        reverse("logout"),
        reverse("set_language"),
        reverse("healthz"),
        "/" + settings.STATIC_URL.lstrip("/"),
    )
