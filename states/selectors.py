"""Reads of States and regional groups."""

from __future__ import annotations

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
