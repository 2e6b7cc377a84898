"""The public pages every page-wide check walks (axe-core, phone widths, each language), named
once so that a page added here is checked everywhere."""

from __future__ import annotations

from recommendations.models import Recommendation

PUBLIC_PAGES = [
    "/",
    "/recommendations/",
    "/recommendations/?theme=technology&state=AUT",
    "/recommendations/{rec13}/",
    "/recommendations/{proposal9}/",
    "/themes/",
    "/themes/technology/",
    "/meetings/",
    "/meetings/7/",
    "/states/",
    "/states/AUT/",
    "/search/",
    "/search/?q=joint+investigative+teams",
    # Facets, a match only in a section title, a "did you mean", nothing found.
    "/search/?q=cyberspace",
    "/search/?q=cyberspace&status=adopted",
    "/search/?q=extradtion",
    "/search/?q=qxzvb+wrtpk",
    "/recommendations/?q=JIT",
    "/implementation/",
]


def public_urls() -> list[str]:
    """PUBLIC_PAGES with the ids of the WGSOM data filled in (the data must be loaded)."""
    ids = {
        "rec13": Recommendation.objects.get(meeting__ordinal=7, label="13", status="adopted").pk,
        "proposal9": Recommendation.objects.get(
            meeting__ordinal=7, label="9", status="proposed"
        ).pk,
    }
    return [path.format(**ids) for path in PUBLIC_PAGES]
