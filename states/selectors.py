"""Reads of States and regional groups."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from .models import State


class UnknownStateName(LookupError):
    pass


class StatesByName:
    """Finds a State by its UN name, its code, or another name a document uses for it."""

    def __init__(self) -> None:
        self._by_name: dict[str, State] = {}
        for state in State.objects.select_related("regional_group"):
            for name in (state.name, state.code, *state.other_names):
                self._by_name[name.casefold()] = state

    def get(self, name: str) -> State:
        try:
            return self._by_name[name.strip().casefold()]
        except KeyError:
            raise UnknownStateName(name) from None


# --- Public site: the States list, in one query -------------------------------------------


def states_for_list() -> QuerySet[State]:
    """States for the public list: regional group joined, and `recommendations_reported`, how
    many recommendations the State has at least one validated report on. One query."""
    return State.objects.select_related("regional_group").annotate(
        recommendations_reported=Count(
            "implementation_reports__recommendation",
            filter=Q(implementation_reports__review_state="validated"),
            distinct=True,
        )
    )
