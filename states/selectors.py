"""Reads of States and regional groups."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet

from core.translation import content_language

from .models import ProtocolDepositaryCount, State, StateAlias
from .names import fold, name_sort_key


class UnknownStateName(LookupError):
    pass


class StatesByName:
    """Finds a State by its UN name, its code, another name the data files give it, or a name
    the Secretariat resolved (StateAlias); and says which names were resolved as an
    organization's or as names to ignore. Case is ignored. Two queries."""

    def __init__(self) -> None:
        self._by_name: dict[str, State] = {}
        # Names resolved as something other than a State: casefolded name -> alias kind.
        self._not_states: dict[str, str] = {}
        states = {state.pk: state for state in State.objects.select_related("regional_group")}
        for alias in StateAlias.objects.all():
            key = alias.name.strip().casefold()
            if alias.state_id is not None and alias.state_id in states:
                self._by_name[key] = states[alias.state_id]
            elif alias.kind != StateAlias.Kind.STATE:
                self._not_states[key] = alias.kind
        # The data files' names last, so that they win over an alias of the same name.
        for state in states.values():
            for name in (state.name, state.code, *state.other_names):
                self._by_name[name.casefold()] = state
                self._not_states.pop(name.casefold(), None)
        # ISO codes apart: a report's two-letter word must never be read as a State.
        self._by_iso = {
            code.casefold(): state
            for state in states.values()
            for code in (state.code, state.iso3, state.iso2)
            if code
        }

    def get(self, name: str) -> State:
        try:
            return self._by_name[name.strip().casefold()]
        except KeyError:
            raise UnknownStateName(name) from None

    def resolved_as(self, name: str) -> str | None:
        """The alias kind ("organization" or "skip") of a name resolved as no State's; else None."""
        return self._not_states.get(name.strip().casefold())

    def get_name_or_iso_code(self, text: str) -> State:
        """`get`, and also a State's ISO 3166-1 alpha-2 or alpha-3 code: for lists typed by
        people, where "AT" means Austria."""
        key = text.strip().casefold()
        found = self._by_iso.get(key) or self._by_name.get(key)
        if found is None:
            raise UnknownStateName(text)
        return found


@dataclass(frozen=True)
class PastedStates:
    """What a pasted list of States names: the States in the order given (each once), and
    each entry that names no State, as typed."""

    states: list[State]
    unknown: list[str]


def states_from_pasted_list(text: str) -> PastedStates:
    """Read a list of States typed or pasted by a person: one a line or separated by commas
    or semicolons, each a name StatesByName knows (UN name, another name, a name the
    Secretariat resolved) or an ISO code, any case. A whole line is tried first, so that a
    name with a comma in it ("Korea, Republic of") is found. Blank entries and repeats are
    ignored. Two queries whatever the length (StatesByName's)."""
    lines = [line.strip() for line in text.splitlines() if line.strip(" \t,;")]
    if not lines:
        return PastedStates(states=[], unknown=[])
    names = StatesByName()
    states: dict[int, State] = {}
    unknown: list[str] = []
    for line in lines:
        try:
            found = [names.get_name_or_iso_code(line)]
        except UnknownStateName:
            found = []
            for part in (p.strip() for p in line.replace(";", ",").split(",")):
                if not part:
                    continue
                try:
                    found.append(names.get_name_or_iso_code(part))
                except UnknownStateName:
                    if part not in unknown:
                        unknown.append(part)
        for state in found:
            states.setdefault(state.pk, state)
    return PastedStates(states=list(states.values()), unknown=unknown)


def state_for_code(code: str) -> State | None:
    """The State with this code or ISO 3166-1 alpha-3 code, any case; None if there is none."""
    code = code.strip().upper()
    return State.objects.filter(Q(code=code) | Q(iso3=code)).first()


def state_choices() -> list[tuple[str, str]]:
    """Every State as (code, UN name), by name, for a select. One query."""
    return list(State.objects.order_by("name").values_list("code", "name"))


def state_aliases() -> QuerySet[StateAlias]:
    """The names the Secretariat resolved, with their States and who resolved them."""
    return StateAlias.objects.select_related("state", "created_by")


# --- Public site: the States list, in one query -------------------------------------------


def states_for_list() -> QuerySet[State]:
    """States for the public list and the API's, with their regional group joined. One query
    over the States only: how many recommendations each has reported on is read apart
    (public/selectors.py, from the current statuses), never by joining the reports."""
    return State.objects.select_related("regional_group")


def states_by_display_name(states: Iterable[State], *, query: str = "") -> list[State]:
    """`states` in alphabetical order of their names in the reader's language (not of their
    codes or English names: "Allemagne" comes first in French), keeping those whose name
    there, UN name, other name or code contains `query`, ignoring case and accents. The names
    are not in the database, so this runs on the fetched rows: no query."""
    wanted = fold(query.strip())
    if wanted:
        states = [
            state
            for state in states
            if any(
                wanted in fold(name)
                for name in (state.display_name, state.name, state.code, *state.other_names)
            )
        ]
    key = name_sort_key(content_language())
    return sorted(states, key=lambda state: key(state.display_name))


# --- Participation in the Protocol: the counts pages and the API show ---------------------


@dataclass(frozen=True)
class ProtocolParticipation:
    """How many States are parties, as the records say and as the depositary counts.

    `by_status` counts the States on record in each status (every status, zero included);
    `latest_consent` is the newest date of consent on record. `depositary` is the depositary's
    latest published count (None before any is loaded), and `identified_by_depositary_date`
    how many of the parties on record had consented by its date (a party whose date no source
    gives is counted: it is known to have been one by then). The records identify fewer
    parties than the depositary counts, which is why both are shown.
    """

    by_status: dict[str, int]
    latest_consent: datetime.date | None
    depositary: ProtocolDepositaryCount | None
    identified_by_depositary_date: int | None
    # The newest change to any State or to the depositary's count: the figures' Last-Modified.
    updated_at: datetime.datetime | None = None

    @property
    def parties(self) -> int:
        return self.by_status[State.ProtocolStatus.PARTY]

    @property
    def unknown(self) -> int:
        return self.by_status[State.ProtocolStatus.UNKNOWN]


def protocol_participation() -> ProtocolParticipation:
    """The Protocol's participation in two queries: the depositary's count, then one
    aggregate over the States."""
    depositary = ProtocolDepositaryCount.objects.order_by("-as_of").first()
    party = Q(protocol_status=State.ProtocolStatus.PARTY)
    by_then = (
        party
        & (Q(protocol_consent_date__isnull=True) | Q(protocol_consent_date__lte=depositary.as_of))
        if depositary
        else party
    )
    figures = State.objects.aggregate(
        **{
            status: Count("pk", filter=Q(protocol_status=status))
            for status in State.ProtocolStatus.values
        },
        identified=Count("pk", filter=by_then),
        latest_consent=Max("protocol_consent_date", filter=party),
        updated_at=Max("updated_at"),
    )
    stamps = [figures["updated_at"], depositary.updated_at if depositary else None]
    return ProtocolParticipation(
        by_status={status: figures[status] for status in State.ProtocolStatus.values},
        latest_consent=figures["latest_consent"],
        depositary=depositary,
        identified_by_depositary_date=figures["identified"] if depositary else None,
        updated_at=max((stamp for stamp in stamps if stamp is not None), default=None),
    )
