"""Every test runs on top of the real WGSOM reference data, loaded once per test database.

pytest-django's documented way to populate the test database: the data is committed when the
database is created, and each test's own writes roll back. Tests that count rows of their own
factories therefore filter to what they made.
"""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

pytest_plugins = ["tests.personas"]


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


@pytest.fixture(autouse=True)
def fresh_language():
    """Every test starts in English. LocaleMiddleware leaves the language of a test client's
    request active in the thread, and translated names and texts read in it."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


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
def postgresql(db):
    """Use in tests of what only PostgreSQL has (its full-text and trigram indexes).

    Skipped with the reason on SQLite, the newcomer's database; FAILED in CI (CI=true), which
    runs on PostgreSQL, so a misconfigured CI cannot pass by skipping them.
    """
    if connection.vendor != "postgresql":
        message = "needs PostgreSQL (set DATABASE_URL=postgres://...)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message}; CI runs on PostgreSQL.", pytrace=False)
        pytest.skip(message)


@pytest.fixture
def committed_write(django_capture_on_commit_callbacks):
    """`committed_write(make)`: run `make()` as a service writes, in a transaction of its own
    that then commits (the test's own never does), its on-commit work included (the data
    versions move); what `make` returns."""
    from django.db import transaction

    def write(make):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            return make()

    return write


@pytest.fixture
def data_dir():
    return settings.WGSOM_DATA_DIR


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the slow tests `slow`, so `make test-fast` (`-m "not slow"`) leaves them out.

    Slow are the browser tests, the real worker tests, and the schemathesis fuzzing. The fuzz
    tests are known by their item, which schemathesis' own plugin makes (`schema.parametrize()`),
    not by their file name: tests/api/test_schema.py also holds quick checks of the schema's
    documentation, which belong in the edit loop, and the tests may move. Runs first so the
    marks are there before pytest's `-m` deselects.
    """
    for item in items:
        made_by_schemathesis = type(item).__module__.partition(".")[0] == "schemathesis"
        in_schemathesis_path = "schemathesis" in item.nodeid.partition("::")[0]
        if (
            item.get_closest_marker("browser")
            or item.get_closest_marker("celery_worker")
            or made_by_schemathesis
            or in_schemathesis_path
        ):
            item.add_marker(pytest.mark.slow)
