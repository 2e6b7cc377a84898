"""When a staff member last proved who they are, and asking again before sensitive steps.

Staff accounts (Secretariat members and whoever may use the admin) sign in with a password
and a second factor. The session keeps three times, in seconds since the epoch:

- SIGNED_IN_AT: the sign-in, for STAFF_SESSION_MAX_HOURS;
- SEEN_AT: the latest request, for STAFF_SESSION_IDLE_MINUTES (accounts/otp_middleware.py);
- VERIFIED_AT: the latest password or code, for REAUTH_MINUTES (this module's decorator).

Validating a report publishes it for good; roles and API tokens hand out power. A session
left open on an unlocked computer must not be enough for those: the decorator asks for the
password (or a code) again when the last proof is older than REAUTH_MINUTES.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast, overload

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

ViewT = TypeVar("ViewT", bound=Callable[..., HttpResponse])

SIGNED_IN_AT = "_staff_signed_in_at"
SEEN_AT = "_staff_seen_at"
VERIFIED_AT = "_staff_verified_at"


def is_staff_account(user: Any) -> bool:
    """Accounts that must use a second factor: Secretariat staff and anyone who may use the
    admin. Focal points and readers need not."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_staff or user.is_superuser or getattr(user, "is_secretariat", False))


def identity_confirmed(request: HttpRequest) -> None:
    """Note that the user just gave their password or a code."""
    request.session[VERIFIED_AT] = time.time()


def record_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """A receiver of user_logged_in: every way of signing in (the site's form, the admin's, a
    password reset) starts the session's clocks."""
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[SEEN_AT] = now
    request.session[VERIFIED_AT] = now


def identity_recent(request: HttpRequest) -> bool:
    verified_at = request.session.get(VERIFIED_AT)
    if not isinstance(verified_at, int | float):
        return False
    return time.time() - verified_at <= settings.REAUTH_MINUTES * 60


def safe_next(request: HttpRequest, candidate: str | None, default: str | None = None) -> str:
    """`candidate` if it is a path on this site, else `default` (or where sign-in lands)."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(default or settings.LOGIN_REDIRECT_URL)


def redirect_to_confirm_identity(back: str) -> HttpResponseRedirect:
    """To the page that asks for the password again, coming back to `back` after it."""
    return HttpResponseRedirect(f"{reverse('confirm_identity')}?{urlencode({'next': back})}")


@overload
def recent_authentication_required(view: ViewT) -> ViewT: ...
@overload
def recent_authentication_required(
    view: None = None, *, then: str | None = None
) -> Callable[[ViewT], ViewT]: ...
def recent_authentication_required(
    view: ViewT | None = None, *, then: str | None = None
) -> ViewT | Callable[[ViewT], ViewT]:
    """Ask staff for their password or a code first (accounts:confirm_identity) when they last
    gave one more than REAUTH_MINUTES ago; others pass, as the view's own checks decide.

    After confirming they come back to the page they asked for; a POST cannot be repeated, so
    they come back to `then` (a URL name, reversed with the view's keyword arguments), else to
    the page the form was on.
    """

    def decorator(view: ViewT) -> ViewT:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not is_staff_account(request.user) or identity_recent(request):
                return view(request, *args, **kwargs)
            if request.method in ("GET", "HEAD"):
                back = request.get_full_path()
            elif then:
                try:
                    back = reverse(then, kwargs=kwargs)
                except NoReverseMatch:  # `then` takes none of the view's arguments
                    back = reverse(then)
            else:
                back = safe_next(request, request.headers.get("referer"))
            return redirect_to_confirm_identity(back)

        return cast(ViewT, wrapped)

    if view is not None:
        return decorator(view)
    return decorator
