from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from .forms import ApiTokenForm, ThrottledPasswordChangeForm
from .selectors import api_tokens_active
from .services import user_language_set


def profile_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    """What the profile page shows: the account and its API tokens (accounts/token_views.py
    renders the same page after making a token)."""
    return {
        "account": request.user,
        "api_tokens": api_tokens_active(user=request.user),  # type: ignore[arg-type]
        "token_form": ApiTokenForm(),
        **extra,
    }


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The signed-in user's account: role, State, password, API tokens."""
    return render(request, "accounts/profile.html", profile_context(request))


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, throttled (ThrottledPasswordChangeForm). The user's API
    tokens are revoked by the password validators (accounts/password_validation.py), as on
    every other way a password changes."""

    form_class = ThrottledPasswordChangeForm


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language switcher: Django's set_language (the cookie, then back to `next`), and,
    for a signed-in user, the choice kept in their profile so it follows them to any browser.

    POST only: a language change is a write for a signed-in user, and the switcher is a form.
    """
    response = django_set_language(request)
    language = request.POST.get("language", "")
    # Only a language the site offers: Django's view accepts any language it has a catalogue
    # for (German, say), which LocaleMiddleware then ignores; a profile must not keep one.
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        user_language_set(user=request.user, language=language)
    return response
