"""Names a report uses for a State, resolved by the Secretariat: recorded with who and when,
matched without regard to case, and the ones that are no State's (an organization, a name to
ignore)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from states.models import StateAlias
from states.selectors import StatesByName, UnknownStateName
from states.services import state_alias_record


def test_an_alias_is_stored_with_who_resolved_it_and_when(state_a, secretariat):
    before = timezone.now()

    alias = state_alias_record(name="  Reportland ", choice=state_a.code.lower(), by=secretariat)

    alias.refresh_from_db()
    assert (alias.name, alias.kind, alias.state) == ("Reportland", "state", state_a)
    assert alias.created_by == secretariat
    assert before <= alias.created_at <= timezone.now() + datetime.timedelta(seconds=1)


def test_a_states_name_lookup_uses_aliases_in_any_case(state_a, secretariat):
    state_alias_record(name="Reportland", choice=state_a.code, by=secretariat)

    names = StatesByName()

    assert names.get("REPORTLAND") == state_a
    assert names.get("reportland ") == state_a
    with pytest.raises(UnknownStateName):
        names.get("Elsewhere")


@pytest.mark.parametrize("choice", ["organization", "skip", "SKIP"])
def test_a_name_can_stand_for_an_organization_or_be_skipped(db, secretariat, choice):
    alias = state_alias_record(name="Friends of the Chair", choice=choice, by=secretariat)

    assert alias.state is None
    names = StatesByName()
    assert names.resolved_as("friends of the chair") == choice.lower()
    with pytest.raises(UnknownStateName):
        names.get("Friends of the Chair")


def test_resolving_a_name_again_replaces_the_choice_whatever_its_case(state_a, secretariat):
    state_alias_record(name="Reportland", choice="skip", by=None)

    state_alias_record(name="REPORTLAND", choice=state_a.code, by=secretariat)

    alias = StateAlias.objects.get()
    assert (alias.name, alias.state, alias.created_by) == ("Reportland", state_a, secretariat)


def test_an_unknown_code_is_refused_under_choice(db, secretariat):
    with pytest.raises(ValidationError) as refused:
        state_alias_record(name="Atlantis", choice="XQZ", by=secretariat)
    assert "no State has the code 'XQZ'" in refused.value.message_dict["choice"][0]
    assert not StateAlias.objects.exists()


def test_an_empty_name_is_refused(db, secretariat):
    with pytest.raises(ValidationError) as refused:
        state_alias_record(name="  ", choice="skip", by=secretariat)
    assert "name" in refused.value.message_dict


def test_only_the_secretariat_resolves_names(focal_point_a):
    with pytest.raises(PermissionDenied):
        state_alias_record(name="Atlantis", choice="skip", by=focal_point_a)
    assert not StateAlias.objects.exists()


def test_the_database_refuses_a_state_alias_without_its_state(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        StateAlias.objects.create(name="Atlantis", kind="state")
