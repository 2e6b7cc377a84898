"""A State loaded before load_wgsom owned `protocol_status_note` is still brought up to date by
the next load, unless staff edited it (states/migrations/0004)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from core.reference_data import LoadStats, upsert_reference
from states.models import State
from tests.factories import StateFactory

upgrade = importlib.import_module("states.migrations.0004_restamp_loaded_checksums")


def loaded_before_the_new_field(**fields) -> State:
    """A State as the loader left it when it owned only the fields it owned before."""
    state = StateFactory(**fields)
    before = upgrade._values(state, upgrade.FIELDS_BEFORE)
    State.objects.filter(pk=state.pk).update(loaded_checksum=upgrade._checksum(before))
    state.refresh_from_db()
    return state


def reload(state: State, **changes) -> str:
    values = {name: getattr(state, name) for name in (*upgrade.FIELDS_BEFORE, upgrade.NEW_FIELD)}
    values.update(changes)
    stats = LoadStats()
    upsert_reference(State, lookup={"code": state.code}, values=values, stats=stats)
    ((_label, outcome),) = stats
    return outcome


@pytest.mark.django_db
def test_without_the_upgrade_every_state_loaded_before_would_look_edited_by_staff():
    state = loaded_before_the_new_field()
    assert reload(state, protocol_status_note="Signed in Palermo.") == "kept (edited by staff)"


@pytest.mark.django_db
def test_after_the_upgrade_a_state_loaded_before_is_updated_by_the_next_load():
    state = loaded_before_the_new_field()
    upgrade.restamp(apps, None)

    assert reload(state, protocol_status_note="Signed in Palermo.") == "updated"
    state.refresh_from_db()
    assert state.protocol_status_note == "Signed in Palermo."


@pytest.mark.django_db
def test_a_state_staff_edited_before_the_upgrade_is_still_kept():
    state = loaded_before_the_new_field()
    State.objects.filter(pk=state.pk).update(name="Edited by the Secretariat")
    state.refresh_from_db()
    upgrade.restamp(apps, None)

    assert reload(state, name="Republic of Testland", protocol_status_note="x") == (
        "kept (edited by staff)"
    )
    state.refresh_from_db()
    assert state.name == "Edited by the Secretariat"
