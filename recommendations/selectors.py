"""Reads of recommendations and themes shared by pages and the API."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, JSONObject

from core.data_versions.selectors import cached_under_versions
from core.translation import content_language
from meetings.models import Document, Meeting, Participation

from .models import Recommendation, RecommendationText, Theme


def with_text_in(
    queryset: QuerySet[Recommendation], language: str | None = None
) -> QuerySet[Recommendation]:
    """`queryset` with each recommendation's official text in `language` (the active one by
    default) as `language_version` ({text, chapeau, section_title, source}, or None), which
    `Recommendation.displayed` reads.

    A subquery in the same SELECT, not a prefetch: pages and the API show the text in the
    reader's language without one more query. Nothing is added for English, the
    recommendation's own text.
    """
    language = language or content_language()
    if language not in RecommendationText.Language.values:
        return queryset
    version = RecommendationText.objects.filter(
        recommendation=OuterRef("pk"), language=language
    ).values(
        json=JSONObject(
            text="text", chapeau="chapeau", section_title="section_title", source="source"
        )
    )[:1]
    return queryset.annotate(language_version=Subquery(version))


def themes_as_tags() -> Prefetch[Any]:
    """A recommendation's themes as lists show them (name and address): without their key
    topics, a JSON list in six languages that is most of a theme's row, decoded for every
    theme of every row (half the time of an API page of 50 recommendations)."""
    key_topics = [f.name for f in Theme._meta.concrete_fields if f.name.startswith("key_topics")]
    return Prefetch("themes", queryset=Theme.objects.defer(*key_topics))


def recommendation_list() -> QuerySet[Recommendation]:
    """The recommendations of the public list, before its filters, and of its downloads.

    One plan for the page and the CSV/XLSX files, so a download holds exactly the rows the page
    shows: meeting, agenda item, proposer and what a proposal became are joined, themes
    prefetched (2 queries for any number of rows).
    """
    return with_text_in(
        Recommendation.objects.select_related(
            "meeting", "agenda_item", "proposer", "adopted_as__meeting"
        ).prefetch_related(themes_as_tags())
    )


def recommendation_for_page() -> QuerySet[Recommendation]:
    """Recommendations with what their own page shows beside the text: the agenda item and its
    parent, the proposer, what a proposal became, themes and the proposals that led to it."""
    return with_text_in(
        Recommendation.objects.select_related(
            "meeting", "agenda_item__parent", "proposer", "adopted_as__meeting"
        ).prefetch_related(
            themes_as_tags(),
            Prefetch(
                "proposals",
                queryset=Recommendation.objects.select_related("proposer", "meeting").order_by(
                    "order"
                ),
            ),
        )
    )


def recommendation_change_history(*, recommendation: Recommendation, limit: int = 20) -> list[Any]:
    """The newest audit records of a recommendation (django-simple-history, at most `limit`),
    each with `changed_fields`: the verbose names of the fields that differ from the record
    before it; saves that changed none of them are left out.

    One query. The diff is computed here, not with `diff_against`, which would query the
    themes' history once per record: theme tagging is therefore not part of this list.
    The user who made a change is not read: the public page does not name staff.

    The history may be empty or incomplete (rows written in bulk or by raw SQL have none, and
    old records may be pruned): the list is then empty, or its oldest change lists no fields
    because there is nothing to compare it with.
    """
    tracked = [
        f
        for f in Recommendation._meta.concrete_fields
        if f.name not in {"id", "created_at", "updated_at", "loaded_checksum", "version"}
    ]
    # One record more than shown, so the oldest shown has its predecessor to be compared with.
    records = list(recommendation.history.order_by("-history_date", "-history_id")[: limit + 1])
    shown = []
    for position, newer in enumerate(records[:limit]):
        older = records[position + 1] if position + 1 < len(records) else None
        newer.changed_fields = []
        if older is not None:
            newer.changed_fields = [
                str(f.verbose_name)
                for f in tracked
                if getattr(newer, f.attname, None) != getattr(older, f.attname, None)
            ]
        # A save that changed nothing a reader sees (a reload's checksum) is not a change.
        if newer.history_type == "~" and older is not None and not newer.changed_fields:
            continue
        shown.append(newer)
    return shown


def _count_per_theme(link_model: Any) -> Coalesce:
    """How many rows of a link table (`link_model`, with a `theme` foreign key) name the outer
    query's theme: a count on the link table's theme index alone (index-only), evaluated for
    the themes a query fetches only."""
    return Coalesce(
        Subquery(
            link_model.objects.filter(theme=OuterRef("pk"))
            .order_by()
            .values("theme")
            .annotate(n=Count("*"))
            .values("n")
        ),
        0,
    )


def themes_with_link_counts() -> QuerySet[Theme]:
    """Themes with `recommendation_link_count` (recommendations carrying the theme, whatever
    their status) and `document_count`, both read from the link tables without joining the
    recommendations or documents: one query, the counts computed for the rows fetched only.
    add_status_counts() splits the first by status."""
    return Theme.objects.annotate(
        recommendation_link_count=_count_per_theme(Recommendation.themes.through),
        document_count=_count_per_theme(Document.themes.through),
    )


def add_status_counts(themes: list[Theme]) -> list[Theme]:
    """`themes` (rows of themes_with_link_counts()) with `adopted_count`, `draft_count` and
    `proposed_count` set: one query, whatever the number of themes.

    Only the links of recommendations that are not adopted (a small share) are joined to
    their recommendations, by the (status, id) index; the adopted are the rest of the
    theme's links (a recommendation carries a theme once), so the whole table of
    recommendations is never read.
    """
    if not themes:
        return themes
    others: dict[int, Counter[str]] = defaultdict(Counter)
    for row in (
        Recommendation.themes.through.objects.filter(theme_id__in=[t.pk for t in themes])
        .exclude(recommendation__status=Recommendation.Status.ADOPTED)
        .order_by()
        .values("theme_id", "recommendation__status")
        .annotate(n=Count("*"))
    ):
        others[row["theme_id"]][row["recommendation__status"]] = row["n"]
    for theme in themes:
        counts = others[theme.pk]
        theme.adopted_count = theme.recommendation_link_count - sum(counts.values())  # type: ignore[attr-defined]
        theme.draft_count = counts[Recommendation.Status.DRAFT]  # type: ignore[attr-defined]
        theme.proposed_count = counts[Recommendation.Status.PROPOSED]  # type: ignore[attr-defined]
    return themes


# What with_counts() gives each theme.
THEME_COUNT_FIELDS = ("adopted_count", "draft_count", "proposed_count", "document_count")


def theme_counts() -> dict[int, tuple[int, ...]]:
    """Every theme's THEME_COUNT_FIELDS by theme id: two queries over every link (95 ms at
    250,000 recommendations), so kept under the data versions of the recommendations and
    documents they count (core.data_versions: one read of the versions while they hold)."""

    def count() -> dict[int, tuple[int, ...]]:
        themes = add_status_counts(list(themes_with_link_counts().order_by()))
        return {t.pk: tuple(getattr(t, name) for name in THEME_COUNT_FIELDS) for t in themes}

    return cached_under_versions(
        "themes:counts", [Recommendation._meta.app_label, Document._meta.app_label], count
    )


def with_counts(themes: list[Theme]) -> list[Theme]:
    """`themes` with how many recommendations (by status) and documents each holds
    (THEME_COUNT_FIELDS), from theme_counts()."""
    counts = theme_counts()
    for theme in themes:
        for name, n in zip(THEME_COUNT_FIELDS, counts.get(theme.pk, (0, 0, 0, 0)), strict=True):
            setattr(theme, name, n)
    return themes


def themes_with_counts() -> list[Theme]:
    """Every theme in the compendium's order with how many recommendations (by status) and
    documents it holds (with_counts)."""
    return with_counts(list(Theme.objects.order_by("order", "name")))


def theme_recommendations(*, theme: Theme) -> QuerySet[Recommendation]:
    """A theme's recommendations across meetings, oldest meeting first, in report order."""
    return with_text_in(
        theme.recommendations.select_related("meeting", "agenda_item", "proposer")
        .prefetch_related(themes_as_tags())
        .order_by("meeting__ordinal", "status", "order")
    )


def _count_per_meeting(queryset: QuerySet[Any], **filters: Any) -> Coalesce:
    """How many rows of `queryset` (filtered) belong to the outer query's meeting: a subquery
    on the meeting's foreign key, evaluated only for the meetings a page shows."""
    return Coalesce(
        Subquery(
            queryset.filter(meeting=OuterRef("pk"), **filters)
            .order_by()
            .values("meeting")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )


def meetings_with_counts() -> QuerySet[Meeting]:
    """Meetings, newest first, with how many recommendations (by status), documents and
    participants each has. One query, whose counts are computed for the rows fetched only:
    a page of meetings costs the same with ten meetings on record or thousands."""
    return Meeting.objects.annotate(
        **{
            f"{status}_count": _count_per_meeting(Recommendation.objects.all(), status=status)
            for status in (
                Recommendation.Status.ADOPTED,
                Recommendation.Status.DRAFT,
                Recommendation.Status.PROPOSED,
            )
        },
        document_count=_count_per_meeting(Document.objects.all()),
        participant_count=_count_per_meeting(Participation.objects.all()),
    ).order_by("-ordinal")


def meeting_recommendations(*, meeting: Meeting) -> QuerySet[Recommendation]:
    """A meeting's recommendations in agenda order (adopted or draft, then proposals), with
    agenda item, proposer and what a proposal became joined, themes and the proposals that
    led to each prefetched (3 queries)."""
    return with_text_in(
        meeting.recommendations.select_related("agenda_item", "proposer", "adopted_as__meeting")
        .prefetch_related(
            themes_as_tags(),
            Prefetch(
                "proposals",
                queryset=Recommendation.objects.select_related("proposer", "meeting").order_by(
                    "order"
                ),
            ),
        )
        .order_by("status", "agenda_item__number", "agenda_item__sub_letter", "order")
    )


def newest_adopted(*, limit: int) -> list[Any]:  # Recommendation rows, as recently_adopted()
    """The first `limit` rows of recently_adopted(), in its order and with its
    `adopted_recorded_at`, meeting joined and themes prefetched (without their key topics):
    four queries whose cost follows `limit` and how much was recorded lately, not the number
    of recommendations.

    Ordering recently_adopted() itself computes the moment of every adopted recommendation
    before it can keep the newest. Two walks by index instead, each stopped at `limit`:
    the history records that first recorded a recommendation (still adopted) as adopted,
    newest first; then the adopted recommendations that have no such record (rows written
    in bulk), whose moment is their creation, newest first and no older than the last moment
    of the first walk when it was full. A recommendation in neither walk is older than
    `limit` recommendations of one of them, so the newest `limit` of both are the newest of
    all.
    """
    adopted = Recommendation.Status.ADOPTED
    history = Recommendation.history
    earlier_adoption = history.filter(id=OuterRef("id"), status=adopted).filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
    )
    still_adopted = Recommendation.objects.filter(pk=OuterRef("id"), status=adopted)
    moments: dict[int, Any] = dict(
        history.filter(status=adopted)
        .filter(Exists(still_adopted), ~Exists(earlier_adoption))
        .order_by("-history_date", "-id")
        .values_list("id", "history_date")[:limit]
    )
    never_recorded = Recommendation.objects.filter(status=adopted).exclude(
        Exists(history.filter(id=OuterRef("pk"), status=adopted))
    )
    if len(moments) == limit:
        never_recorded = never_recorded.filter(created_at__gte=min(moments.values()))
    moments.update(
        never_recorded.order_by("-created_at", "-pk").values_list("pk", "created_at")[:limit]
    )
    newest = sorted(moments.items(), key=lambda item: (item[1], item[0]), reverse=True)[:limit]
    rows = (
        Recommendation.objects.filter(pk__in=[pk for pk, _ in newest])
        .select_related("meeting")
        .prefetch_related(themes_as_tags())
        .in_bulk()
    )
    for pk, moment in newest:
        rows[pk].adopted_recorded_at = moment  # type: ignore[attr-defined]
    return [rows[pk] for pk, _ in newest]


def recently_adopted() -> QuerySet[Any]:  # Recommendation rows with the annotation below
    """Adopted recommendations, the most recently recorded first, for feeds and digests.

    Each is annotated with `adopted_recorded_at`: when the tracker first recorded it as
    adopted (its first history record in that status; its creation when it has no history,
    as with rows written in bulk). That moment, not the meeting's date, is what "new" means to
    a follower: a meeting's recommendations reach the tracker after the meeting, and a draft
    adopted later is new when it is adopted. Meeting joined, themes prefetched (2 queries).
    """
    first_adopted = (
        Recommendation.history.filter(id=OuterRef("pk"), status=Recommendation.Status.ADOPTED)
        .order_by("history_date")
        .values("history_date")[:1]
    )
    return (
        Recommendation.objects.filter(status=Recommendation.Status.ADOPTED)
        .annotate(adopted_recorded_at=Coalesce(Subquery(first_adopted), F("created_at")))
        .select_related("meeting")
        .prefetch_related(themes_as_tags())
        .order_by("-adopted_recorded_at", "-pk")
    )
