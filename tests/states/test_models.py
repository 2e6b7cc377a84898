"""States: codes, Protocol status vocabulary and dates are guarded by the database."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from states.models import State
from tests.factories import StateFactory

pytestmark = pytest.mark.django_db


def refused(**changes) -> bool:
    state = StateFactory()
    try:
        with transaction.atomic():
            State.objects.filter(pk=state.pk).update(**changes)
    except IntegrityError:
        return True
    return False


def test_protocol_status_outside_the_vocabulary_is_refused():
    assert refused(protocol_status="maybe")


def test_a_code_must_be_upper_case_letters():
    assert refused(code="x1")


def test_only_a_party_has_a_date_of_consent():
    assert refused(protocol_status="signatory", protocol_consent_date="2004-01-01")


def test_codes_are_unique():
    StateFactory(code="XZZ")
    with pytest.raises(IntegrityError), transaction.atomic():
        StateFactory(code="XZZ")
