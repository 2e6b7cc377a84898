"""Writes of States: the Secretariat's corrections of a State's participation in the Protocol.

`load_wgsom` gives every State the status, dates and kind of consent its sources give
(data/sources/smuggling_protocol_participants.csv); where a newer document says otherwise (a
deposit the sources predate), the Secretariat corrects the record here, from the admin. A
correction names the document it rests on, and the next `load_wgsom` keeps it: the loader keeps
a record whose values were changed since it wrote them (core/reference_data.py).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from core.services import model_update

from .models import State, StateAlias
from .selectors import state_for_code

if TYPE_CHECKING:
    from accounts.models import User

PROTOCOL_FIELDS = (
    "protocol_status",
    "protocol_signature_date",
    "protocol_consent_date",
    "protocol_consent_kind",
    "protocol_status_source",
    "protocol_status_note",
)
# What the sources are cited for: changing any of them needs a source that says so.
_FACTS = PROTOCOL_FIELDS[:4]


def state_protocol_status_check(*, state: State | None, data: Mapping[str, Any]) -> None:
    """Raise ValidationError, by field, unless `data` is a status the record may hold.

    `state` is the record as it is (None for a new one); `data` the Protocol fields it would
    get (missing ones stay as they are). A change of status, dates or kind of consent must
    come with a source other than the one the record had: that source spoke for the old
    values. Only a party has consented to be bound (the database refuses it too), a date of
    consent needs its kind, and neither date may be in the future or the signature follow
    the consent.
    """
    if state is None:
        # A new record starts as the model does: status unknown, nothing else.
        current: dict[str, Any] = dict.fromkeys(PROTOCOL_FIELDS)
        current["protocol_status"] = State.ProtocolStatus.UNKNOWN
    else:
        current = {name: getattr(state, name) for name in PROTOCOL_FIELDS}
    wanted = {name: data.get(name, current[name]) for name in PROTOCOL_FIELDS}
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    changed = [name for name in _FACTS if (wanted[name] or None) != (current[name] or None)]
    source = (wanted["protocol_status_source"] or "").strip()
    if changed and (not source or source == (current["protocol_status_source"] or "").strip()):
        refuse(
            "protocol_status_source",
            _(
                "Say which document the corrected status or dates come from (its address, "
                "symbol or title and date): the source given before speaks for the old values."
            ),
        )
    is_party = wanted["protocol_status"] == State.ProtocolStatus.PARTY
    for field in ("protocol_consent_date", "protocol_consent_kind"):
        if wanted[field] and not is_party:
            refuse(
                field,
                _("Only a party has consented to be bound: clear this, or make the State a party."),
            )
    if wanted["protocol_consent_date"] and not wanted["protocol_consent_kind"]:
        refuse(
            "protocol_consent_kind",
            _("Say how the State consented on that date (ratification, accession, ...)."),
        )
    today = timezone.localdate()
    for field in ("protocol_signature_date", "protocol_consent_date"):
        day = wanted[field]
        if isinstance(day, datetime.date) and day > today:
            refuse(field, _("This date is in the future."))
    signed, consented = wanted["protocol_signature_date"], wanted["protocol_consent_date"]
    if (
        isinstance(signed, datetime.date)
        and isinstance(consented, datetime.date)
        and signed > consented
    ):
        refuse(
            "protocol_signature_date",
            _("The signature comes after the consent to be bound: check both dates."),
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def state_protocol_status_correct(*, state: State, by: User, **data: Any) -> State:
    """Correct a State's participation in the Protocol (the fields in PROTOCOL_FIELDS).

    Secretariat staff only; checked by `state_protocol_status_check`. Fields not given stay.
    """
    roles.ensure(
        roles.is_secretariat(by),
        _("Only the Secretariat corrects a State's status towards the Protocol."),
    )
    fields = {name: value for name, value in data.items() if name in PROTOCOL_FIELDS}
    state_protocol_status_check(state=state, data=fields)
    state, _changed = model_update(instance=state, fields=list(PROTOCOL_FIELDS), data=fields)
    return state


# --- Names resolved by the Secretariat ----------------------------------------------------

ALIAS_CHOICES = (StateAlias.Kind.ORGANIZATION.value, StateAlias.Kind.SKIP.value)


@transaction.atomic
def state_alias_record(*, name: str, choice: str, by: User | None) -> StateAlias:
    """Record what a name a report uses stands for, and who said so and when.

    `choice` is a State's code or ISO 3166-1 alpha-3 code (any case), "organization" or
    "skip" (the name is left out of imports). A name already resolved, in any case, is
    resolved again with the new choice. `by` is the Secretariat member deciding, or None on
    the command line (whoever runs it has the server). ValidationError by field ("name",
    "choice") for an empty name or a code no State has.
    """
    if by is not None:
        roles.ensure(
            roles.is_secretariat(by), _("Only the Secretariat resolves the names reports use.")
        )
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Give the name the report uses.")})
    wanted = choice.strip().lower()
    state: State | None = None
    if wanted in ALIAS_CHOICES:
        kind = wanted
    else:
        state = state_for_code(choice)
        if state is None:
            raise ValidationError(
                {
                    "choice": _(
                        "%(name)r: no State has the code %(code)r; give a State's ISO 3166-1 "
                        "alpha-3 code (ITA), organization or skip."
                    )
                    % {"name": name, "code": choice.strip()}
                }
            )
        kind = StateAlias.Kind.STATE
    values = {"kind": kind, "state": state, "created_by": by, "created_at": timezone.now()}
    alias = StateAlias.objects.filter(name__iexact=name).first()
    if alias is None:
        alias = StateAlias(name=name, **values)
    else:
        for field, value in values.items():
            setattr(alias, field, value)
    alias.full_clean()
    alias.save()
    return alias
