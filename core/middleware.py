"""Project middleware: `?lang=` on the API and downloads, and the Permissions-Policy header.

`?lang=<code>`: the language of the API's answers and of downloads, named in the address.

A script or a spreadsheet that fetches a CSV sends no Accept-Language a person chose, and a
link to "the French download" must stay French whoever opens it: the parameter overrides
what LocaleMiddleware read from the cookie or Accept-Language, for that request only. Pages
keep the language switcher; the parameter is read on the API and on downloads only.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _

PARAMETER = "lang"


def content_languages() -> list[str]:
    """The language codes content is kept in (English first), as `?lang=` accepts them."""
    languages: list[str] = list(getattr(settings, "MODELTRANSLATION_LANGUAGES", ()))
    for code, _name in settings.LANGUAGES:
        if code not in languages:
            languages.append(code)
    return languages


def _is_download(path: str) -> bool:
    # Downloads are the addresses ending in a file name: /recommendations/download.csv,
    # /states/FRA/profile.pdf.
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return "." in last and not path.endswith("/")


def _applies(path: str) -> bool:
    return path.startswith("/api/") or _is_download(path)


class LanguageParameterMiddleware:
    """Activates the language `?lang=` names on the API and downloads; refuses an unknown one
    (for the API in its JSON error shape, naming the parameter)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        wanted = request.GET.get(PARAMETER, "")
        if not wanted or not _applies(request.path_info):
            return self.get_response(request)
        languages = content_languages()
        code = next((lang for lang in languages if lang.lower() == wanted.lower()), None)
        if code is None:
            message = _("Ask for one of: %(languages)s.") % {"languages": ", ".join(languages)}
            if request.path_info.startswith("/api/"):
                return JsonResponse(
                    {
                        "detail": _("Invalid input."),
                        "code": "invalid",
                        "errors": {PARAMETER: [message]},
                    },
                    status=400,
                )
            return HttpResponseBadRequest(f"{PARAMETER}: {message}", content_type="text/plain")
        previous = translation.get_language()
        translation.activate(code)
        request.LANGUAGE_CODE = code
        try:
            response = self.get_response(request)
        finally:
            if previous:
                translation.activate(previous)
            else:
                translation.deactivate()
        response.headers.setdefault("Content-Language", code)
        return response


# Browser features the site never uses, denied to it and to anything it might embed, so that
# an injected script or frame cannot ask for them either. `interest-cohort` and
# `browsing-topics` opt the pages out of interest-based advertising.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "interest-cohort",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


class PermissionsPolicyMiddleware:
    """Adds the Permissions-Policy header to every response (Django has no setting for it);
    a view that sets its own keeps it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
