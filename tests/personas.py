"""The people every test module speaks of, defined once (as healthchecks' BaseTestCase does
with alice, bob and charlie).

- `anonymous`: a visitor who has not signed in (a test client).
- `state_a`, `state_b`: two States; `focal_point_a` and `focal_point_b` are their focal points.
- `secretariat`: a Secretariat member (in the Secretariat group, `is_staff=True`, not a
  superuser).
- `superuser`: a Django superuser (also Secretariat staff in the roles' sense).
- `reader`: signed in, but neither Secretariat staff nor a focal point.
- `secretariat_client`, `superuser_client`: test clients signed in as those users.

The older names stay as aliases of the same objects: `state` / `other_state`, `focal_point`
/ `other_focal_point`, and `staff` (the Secretariat member).

Registered from tests/conftest.py with `pytest_plugins`.
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import (
    FocalPointFactory,
    SecretariatUserFactory,
    StateFactory,
    SuperuserFactory,
    UserFactory,
)


@pytest.fixture
def anonymous():
    return Client()


@pytest.fixture
def state_a(db):
    return StateFactory(name="Republic of Reportland")


@pytest.fixture
def state_b(db):
    return StateFactory(name="Kingdom of Elsewhere")


@pytest.fixture
def focal_point_a(state_a):
    return FocalPointFactory(
        username="focal-reportland", email="focal@reportland.example", state=state_a
    )


@pytest.fixture
def focal_point_b(state_b):
    return FocalPointFactory(
        username="focal-elsewhere", email="focal@elsewhere.example", state=state_b
    )


@pytest.fixture
def secretariat(db):
    return SecretariatUserFactory(username="staff", email="staff@unodc.example")


@pytest.fixture
def superuser(db):
    return SuperuserFactory(username="superuser", email="superuser@unodc.example")


@pytest.fixture
def reader(db):
    """Signed in, but neither Secretariat staff nor a focal point."""
    return UserFactory(username="reader", email="reader@example.org")


@pytest.fixture
def secretariat_client(secretariat):
    client = Client()
    client.force_login(secretariat)
    return client


@pytest.fixture
def superuser_client(superuser):
    client = Client()
    client.force_login(superuser)
    return client


# The names most tests use: the same objects as the personas above. ------------------------


@pytest.fixture
def state(state_a):
    return state_a


@pytest.fixture
def other_state(state_b):
    return state_b


@pytest.fixture
def focal_point(focal_point_a):
    return focal_point_a


@pytest.fixture
def other_focal_point(focal_point_b):
    return focal_point_b


@pytest.fixture
def staff(secretariat):
    return secretariat
