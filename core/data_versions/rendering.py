"""Public page content rendered once per change of the published data and kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from .selectors import cached_under_versions


def rendered_under_versions(
    request: HttpRequest, *, key: str, template: str, context: Callable[[], dict[str, Any]]
) -> SafeString:
    """`template` rendered with `context()`, kept under the data versions of every app that
    publishes data (DATA_VERSION_APPS) and the interface language, for a page's content that
    is the same for every reader in a language (no form, no account's name): a reader
    between two writes costs one read of the versions. `key` names the page and its record;
    with the cache off (VERSIONED_CACHE_SECONDS = 0) it is rendered each time."""
    return cached_under_versions(
        f"page:{key}:{get_language()}",
        settings.DATA_VERSION_APPS,
        lambda: render_to_string(template, context(), request=request),
    )
