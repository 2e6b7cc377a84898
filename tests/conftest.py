"""Every test runs on top of the real WGSOM reference data, loaded once per test database.

pytest-django's documented way to populate the test database: the data is committed when the
database is created, and each test's own writes roll back. Tests that count rows of their own
factories therefore filter to what they made.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_wgsom", verbosity=0)


@pytest.fixture(autouse=True)
def fresh_cache():
    """No test inherits another's cached values (API throttle counts, similarity matrices)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def wgsom(db):
    """Use in tests that read the loaded WGSOM data.

    A transactional test (one that commits, as the Celery worker tests must) flushes the
    database when it ends; the data is then loaded again, inside this test's transaction.
    """
    from meetings.models import Meeting

    if not Meeting.objects.filter(ordinal=7).exists():
        call_command("load_wgsom", verbosity=0)


@pytest.fixture
def data_dir():
    return settings.WGSOM_DATA_DIR
