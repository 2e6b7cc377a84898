"""Reads of States and regional groups."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet

from .models import ProtocolDepositaryCount, State, StateAlias


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

    def get(self, name: str) -> State:
        try:
            return self._by_name[name.strip().casefold()]
        except KeyError:
            raise UnknownStateName(name) from None

    def resolved_as(self, name: str) -> str | None:
        """The alias kind ("organization" or "skip") of a name resolved as no State's; else None."""
        return self._not_states.get(name.strip().casefold())


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
    """States for the public list: regional group joined, and `recommendations_reported`, how
    many recommendations the State has at least one validated report on. One query."""
    return State.objects.select_related("regional_group").annotate(
        recommendations_reported=Count(
            "implementation_reports__recommendation",
            filter=Q(implementation_reports__review_state="validated"),
            distinct=True,
        )
    )


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
