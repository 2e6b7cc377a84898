import pytest

from tests.factories import StateFactory


@pytest.fixture
def state(db):
    return StateFactory(name="Republic of Accountland")
