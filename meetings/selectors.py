"""Reads of meetings for the public pages: each returns a queryset (or rows built from one
query) with its joins in place, so a page costs the same number of queries however many agenda
items, documents, participants and statements a meeting has."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet

from .models import AgendaItem, Document, Meeting, Participation, Statement

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from states.models import State


def meeting_for_page() -> QuerySet[Meeting]:
    return Meeting.objects.select_related("chair_state")


def meeting_agenda(*, meeting: Meeting) -> list[AgendaItem]:
    """The agenda as top-level items, each with `children` (its lettered sub-items), in order.

    One query; the tree is assembled in Python from the flat, ordered list.
    """
    items = list(meeting.agenda_items.order_by("number", "sub_letter"))
    top: list[AgendaItem] = []
    by_number: dict[int, AgendaItem] = {}
    for item in items:
        item.children = []
        if item.sub_letter and item.number in by_number:
            by_number[item.number].children.append(item)
        else:
            by_number.setdefault(item.number, item)
            top.append(item)
    return top


def meeting_documents(*, meeting: Meeting) -> QuerySet[Document]:
    return meeting.documents.prefetch_related("themes").order_by("symbol")


def meeting_attendance(*, meeting: Meeting) -> list[tuple[StrOrPromise, list[Participation]]]:
    """Participants grouped by capacity, in the order of the report's attendance section
    (parties, signatories, non-party States, organizations, other entities). One query."""
    rows = meeting.participations.select_related("state", "organization")
    groups: dict[str, list[Participation]] = {c: [] for c in Participation.Capacity.values}
    for row in rows:
        groups.setdefault(row.capacity, []).append(row)
    labels = dict(Participation.Capacity.choices)
    return [
        (labels.get(capacity, capacity), sorted(members, key=lambda p: str(p.participant)))
        for capacity, members in groups.items()
        if members
    ]


def meeting_statements(*, meeting: Meeting) -> QuerySet[Statement]:
    """Statements in the order they were made, with speaker's State or organization, the
    group spoken for and the agenda items (2 queries)."""
    return (
        meeting.statements.select_related("state", "organization", "on_behalf_of")
        .prefetch_related(Prefetch("agenda_items", queryset=AgendaItem.objects.order_by()))
        .order_by("kind", "order")
    )


def state_participations(*, state: State) -> QuerySet[Participation]:
    """The meetings a State attended, newest first (one query)."""
    return state.participations.select_related("meeting").order_by("-meeting__ordinal")


def state_statements(*, state: State) -> QuerySet[Statement]:
    """Statements a State made, newest meeting first, with their agenda items (2 queries)."""
    return (
        state.statements.select_related("meeting", "on_behalf_of")
        .prefetch_related(Prefetch("agenda_items", queryset=AgendaItem.objects.order_by()))
        .order_by("-meeting__ordinal", "order")
    )
