"""Atom feeds for followers of the Working Group: newly adopted recommendations (all, by theme,
by meeting) and each State's validated implementation reports.

Every feed holds the newest FEEDS_MAX_ENTRIES entries and costs a fixed number of queries
whatever the data: the object the feed is about (theme, meeting or State) when there is one,
the entries with their joins, and the themes of recommendations prefetched. Entry ids are tag
URIs built from SITE_URL's host and the record's primary key, so they stay the same when the
entry's text is corrected or the site is reached under another host name.

A State's feed announces validated reports only: drafts, submitted and returned reports are
work in progress, and the Secretariat's return comments are never published.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.statuses import STATUS_LABELS
from meetings.models import Meeting
from recommendations.models import Recommendation, Theme
from recommendations.selectors import newest_adopted, recently_adopted
from reporting.models import ImplementationReport
from reporting.selectors import recently_validated_reports
from states.models import State

# Tag URIs (RFC 4151) need a date the authority owned its name: the Working Group's first
# recommendations date from 2012.
_TAG_DATE = "2012"


def _tag(*path: str | int) -> str:
    authority = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"tag:{authority},{_TAG_DATE}:" + "/".join(str(part) for part in path)


class _AtomFeed(Feed):
    feed_type = Atom1Feed
    # Entry ids are tag URIs, not addresses to open.
    item_guid_is_permalink = False

    def author_name(self) -> str:
        # Atom asks every feed to name its author; the entries are the tracker's records.
        return _("WGSOM Recommendations Tracker")


class _RecommendationFeed(_AtomFeed):
    """Adopted recommendations, newest to the tracker first."""

    def recommendations(self, obj: Any) -> QuerySet[Any]:
        return recently_adopted()

    def items(self, obj: Any) -> list[Recommendation]:
        return list(self.recommendations(obj)[: settings.FEEDS_MAX_ENTRIES])

    def item_title(self, item: Recommendation) -> str:
        return _("%(label)s, %(meeting)s") % {
            "label": item.display_label,
            "meeting": item.meeting,
        }

    def item_description(self, item: Recommendation) -> str:
        return f"{item.chapeau} {item.text}".strip()

    def item_link(self, item: Recommendation) -> str:
        return reverse("recommendations:detail", args=[item.pk])

    def item_guid(self, item: Recommendation) -> str:
        return _tag("recommendations", item.pk)

    # Rows of recently_adopted(), annotated with `adopted_recorded_at`.
    def item_pubdate(self, item: Any) -> datetime.datetime:
        return item.adopted_recorded_at

    def item_updateddate(self, item: Any) -> datetime.datetime:
        # A corrected text is an update of the same entry, under the same id.
        return max(item.updated_at, item.adopted_recorded_at)

    def item_categories(self, item: Recommendation) -> list[str]:
        return [theme.name for theme in item.themes.all()]  # prefetched


class AdoptedRecommendationsFeed(_RecommendationFeed):
    def title(self) -> str:
        return _("WGSOM Tracker: newly adopted recommendations")

    def subtitle(self) -> str:
        return _(
            "Recommendations of the Working Group on the Smuggling of Migrants, as the tracker "
            "records their adoption."
        )

    def link(self) -> str:
        return reverse("recommendations:list") + "?status=adopted"

    def feed_guid(self) -> str:
        return _tag("feeds", "recommendations")

    def items(self, obj: Any) -> list[Recommendation]:
        # Every adopted recommendation: the newest are found by index walks rather than by
        # ordering them all (a theme's or a meeting's are few enough to order).
        return newest_adopted(limit=settings.FEEDS_MAX_ENTRIES)


class ThemeRecommendationsFeed(_RecommendationFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Theme:
        return get_object_or_404(Theme, slug=slug)

    def recommendations(self, obj: Theme) -> QuerySet[Any]:
        return recently_adopted().filter(themes=obj)

    def title(self, obj: Theme) -> str:
        return _("WGSOM Tracker: adopted recommendations on %(theme)s") % {"theme": obj.name}

    def subtitle(self, obj: Theme) -> str:
        return _("Recommendations of the theme “%(theme)s”, newest to the tracker first.") % {
            "theme": obj.name
        }

    def link(self, obj: Theme) -> str:
        return reverse("recommendations:theme_detail", args=[obj.slug])

    def feed_guid(self, obj: Theme) -> str:
        return _tag("feeds", "themes", obj.pk)


class MeetingRecommendationsFeed(_RecommendationFeed):
    def get_object(self, request: HttpRequest, ordinal: int) -> Meeting:
        return get_object_or_404(Meeting, ordinal=ordinal)

    def recommendations(self, obj: Meeting) -> QuerySet[Any]:
        return recently_adopted().filter(meeting=obj)

    def title(self, obj: Meeting) -> str:
        return _("WGSOM Tracker: recommendations adopted at the %(meeting)s") % {"meeting": obj}

    def subtitle(self, obj: Meeting) -> str:
        return _("The adopted recommendations of the %(meeting)s.") % {"meeting": obj}

    def link(self, obj: Meeting) -> str:
        return reverse("meetings:detail", args=[obj.ordinal])

    def feed_guid(self, obj: Meeting) -> str:
        return _tag("feeds", "meetings", obj.pk)


class StateReportsFeed(_AtomFeed):
    """A State's validated implementation reports, the most recently validated first."""

    def get_object(self, request: HttpRequest, code: str) -> State:
        return get_object_or_404(State, code=code.upper())

    def items(self, obj: State) -> list[ImplementationReport]:
        return list(recently_validated_reports().filter(state=obj)[: settings.FEEDS_MAX_ENTRIES])

    def title(self, obj: State) -> str:
        return _("WGSOM Tracker: implementation reported by %(state)s") % {"state": obj.name}

    def subtitle(self, obj: State) -> str:
        return _("Validated implementation reports of %(state)s, newest first.") % {
            "state": obj.name
        }

    def link(self, obj: State) -> str:
        return reverse("states:detail", args=[obj.code])

    def feed_guid(self, obj: State) -> str:
        return _tag("feeds", "states", obj.pk)

    def item_title(self, item: ImplementationReport) -> str:
        return _("%(state)s: %(status)s on %(recommendation)s") % {
            "state": item.state.name,
            "status": STATUS_LABELS.get(item.status, item.status),
            "recommendation": item.recommendation,
        }

    def item_description(self, item: ImplementationReport) -> str:
        # Status, date and recommendation only: what the public State page shows of a report.
        return _("%(state)s reports “%(status)s” on %(recommendation)s, as of %(as_of)s.") % {
            "state": item.state.name,
            "status": STATUS_LABELS.get(item.status, item.status),
            "recommendation": item.recommendation,
            "as_of": date_format(item.as_of, "DATE_FORMAT"),
        }

    def item_link(self, item: ImplementationReport) -> str:
        return reverse("recommendations:detail", args=[item.recommendation_id])

    def item_guid(self, item: ImplementationReport) -> str:
        return _tag("implementation-reports", item.pk)

    def item_pubdate(self, item: ImplementationReport) -> datetime.datetime | None:
        return item.validated_at

    def item_updateddate(self, item: ImplementationReport) -> datetime.datetime | None:
        # Validated reports never change: a correction is a newer report, a new entry.
        return item.validated_at
