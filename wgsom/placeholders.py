"""A stand-in view for URL names whose pages are still being built (removed when they land)."""

from django.http import HttpRequest, HttpResponse


def not_built_yet(request: HttpRequest, **kwargs) -> HttpResponse:
    return HttpResponse("This page is not built yet.", status=501, content_type="text/plain")
