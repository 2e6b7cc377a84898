"""Reads of subscriptions: what is new for a subscriber, who gets a digest, and the counts the
Secretariat sees (never the addresses)."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from meetings.models import Meeting
from recommendations.models import Recommendation, Theme
from recommendations.selectors import recently_adopted
from reporting.models import ImplementationReport
from reporting.selectors import recently_validated_reports
from states.models import State

from . import tokens
from .models import Frequency, SignUp, Subscriber

# At most this many of each kind in one e-mail; a digest that would hold more says how many
# there are and links to the site, which lists them all.
DIGEST_MAX_ITEMS = 100


@dataclass
class DigestNews:
    """What a digest lists: adopted recommendations and validated reports new in the window
    (`since`, `until`], with how many of each there are in all."""

    since: datetime.datetime
    until: datetime.datetime
    recommendations: list[Any] = field(default_factory=list)
    reports: list[ImplementationReport] = field(default_factory=list)
    recommendation_count: int = 0
    report_count: int = 0

    @property
    def is_empty(self) -> bool:
        return not self.recommendations and not self.reports


def subscriber_for_digest(*, subscriber_id: int) -> Subscriber | None:
    """A subscriber with what it follows prefetched (4 queries), or None once unsubscribed."""
    return (
        Subscriber.objects.prefetch_related("themes", "states", "meetings")
        .filter(pk=subscriber_id)
        .first()
    )


def digest_news(
    *, subscriber: Subscriber, since: datetime.datetime, until: datetime.datetime
) -> DigestNews:
    """What is new for `subscriber` between `since` (excluded) and `until` (included).

    - Recommendations newly adopted in a theme or at a meeting it follows.
    - Reports newly validated of a State it follows, or on a recommendation of a theme it
      follows: each is a State's status changing, or confirmed as of a newer date.

    Only adopted recommendations and validated reports: nothing unpublished. At most 4
    queries (2 per kind: the rows, then the themes of the recommendations), whatever the
    number of things followed.
    """
    theme_ids = [theme.pk for theme in subscriber.themes.all()]
    state_ids = [state.pk for state in subscriber.states.all()]
    meeting_ids = [meeting.pk for meeting in subscriber.meetings.all()]
    in_themes = Recommendation.themes.through.objects.filter(theme_id__in=theme_ids).values(
        "recommendation_id"
    )
    news = DigestNews(since=since, until=until)
    if theme_ids or meeting_ids:
        recommendations = list(
            recently_adopted()
            .filter(adopted_recorded_at__gt=since, adopted_recorded_at__lte=until)
            .filter(Q(pk__in=in_themes) | Q(meeting_id__in=meeting_ids))[: DIGEST_MAX_ITEMS + 1]
        )
        news.recommendation_count = len(recommendations)
        news.recommendations = recommendations[:DIGEST_MAX_ITEMS]
    if theme_ids or state_ids:
        reports = list(
            recently_validated_reports()
            .filter(validated_at__gt=since, validated_at__lte=until)
            .filter(Q(state_id__in=state_ids) | Q(recommendation_id__in=in_themes))[
                : DIGEST_MAX_ITEMS + 1
            ]
        )
        news.report_count = len(reports)
        news.reports = reports[:DIGEST_MAX_ITEMS]
    return news


def digest_recipients(*, frequency: str) -> list[int]:
    """The ids of the subscribers who get a digest at `frequency` (1 query). Only confirmed
    addresses are subscribers: sign-ups waiting for confirmation are never among them."""
    return list(
        Subscriber.objects.filter(frequency=frequency).order_by("pk").values_list("pk", flat=True)
    )


def signup_from_token(*, token: str) -> SignUp:
    """The sign-up a confirmation link names, with what it asks to follow; LinkExpired or
    LinkInvalid (already confirmed, or deleted) otherwise."""
    key = tokens.confirmation_key(token)
    signup = SignUp.objects.prefetch_related("themes", "states", "meetings").filter(key=key).first()
    if signup is None:
        raise tokens.LinkInvalid
    return signup


def address_holder(*, key: uuid.UUID) -> Subscriber | SignUp | None:
    """The subscriber or the sign-up an unsubscribe link names (at most 2 queries)."""
    return Subscriber.objects.filter(key=key).first() or SignUp.objects.filter(key=key).first()


@dataclass
class SubscriberCounts:
    """How many confirmed subscribers follow what, for the Secretariat. No address."""

    total: int
    waiting: int
    by_frequency: list[tuple[str, int]]
    themes: QuerySet[Theme]
    states: QuerySet[State]
    meetings: QuerySet[Meeting]


def subscriber_counts() -> SubscriberCounts:
    """Subscriber counts by frequency, theme, State and meeting, and the sign-ups waiting for
    confirmation: every theme (there are nine), and the States and meetings followed by at
    least one subscriber. 6 queries when the querysets are read."""
    by_frequency = dict(
        Subscriber.objects.values_list("frequency")
        .annotate(n=Count("pk"))
        .values_list("frequency", "n")
    )
    followed = Count("subscribers", distinct=True)
    return SubscriberCounts(
        total=sum(by_frequency.values()),
        waiting=SignUp.objects.count(),
        by_frequency=[
            (str(label), by_frequency.get(value, 0)) for value, label in Frequency.choices
        ],
        themes=Theme.objects.annotate(subscriber_count=followed).order_by("order", "name"),
        states=State.objects.annotate(subscriber_count=followed)
        .filter(subscriber_count__gt=0)
        .order_by("name"),
        meetings=Meeting.objects.annotate(subscriber_count=followed)
        .filter(subscriber_count__gt=0)
        .order_by("-ordinal"),
    )
