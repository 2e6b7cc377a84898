"""core.locks.advisory_lock: one run at a time across processes, on PostgreSQL."""

from __future__ import annotations

import psycopg2
import pytest
from django.db import connection, transaction

from core.locks import advisory_lock

pytestmark = pytest.mark.django_db(transaction=True)

LOCK_ID = 0x57_67_54_73  # "WgTs"


def _taken_elsewhere() -> bool:
    """Whether another session finds the lock taken (it asks without waiting)."""
    settings = connection.settings_dict
    other = psycopg2.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        password=settings["PASSWORD"] or None,
    )
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_ID])
            got = cursor.fetchone()[0]
            if got:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_ID])
            return not got
    finally:
        other.close()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers itself")
def test_the_lock_is_held_for_the_block_and_released_after_it():
    with advisory_lock(LOCK_ID, name="test"):
        assert _taken_elsewhere()
    assert not _taken_elsewhere()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers itself")
def test_inside_a_transaction_the_lock_goes_with_the_transaction():
    with transaction.atomic():
        with advisory_lock(LOCK_ID, name="test"):
            pass
        assert _taken_elsewhere()
    assert not _taken_elsewhere()


def test_on_another_database_the_block_just_runs():
    ran = []
    with advisory_lock(LOCK_ID, name="test"):
        ran.append(True)
    assert ran == [True]
