"""Applying a signed-in user's interface language.

The language lives in a cookie (Django's LocaleMiddleware reads it); a user's profile keeps
the last choice so that signing in on another browser, or after the cookie is gone, brings
it back. `user_logged_in` has the request but not the response, so the handler activates the
language for this request and marks it; ProfileLanguageMiddleware then writes the cookie on
the response. Every sign-in path (the site's form, the admin's, a password reset) goes through
the signal, hence no change to any login view.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

# The request attribute by which the signal hands the language to the middleware.
PROFILE_LANGUAGE = "_wgsom_profile_language"


def apply_profile_language(sender: Any, request: HttpRequest | None, user: Any, **kwargs) -> None:
    """Activate the signed-in user's remembered language (a receiver of user_logged_in)."""
    language = getattr(user, "language", "")
    if request is None or language not in dict(settings.LANGUAGES):
        return
    translation.activate(language)
    request.LANGUAGE_CODE = translation.get_language()
    setattr(request, PROFILE_LANGUAGE, language)


class ProfileLanguageMiddleware:
    """Writes the language cookie that apply_profile_language asked for, with the same
    attributes as Django's set_language view, so the switcher can change it afterwards."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        language = getattr(request, PROFILE_LANGUAGE, None)
        if language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
