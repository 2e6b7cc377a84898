"""One run at a time across processes: a PostgreSQL advisory lock around a block.

Workers on several machines may start the same job at once (a nightly snapshot and one queued
by a validation, two refreshes of the similarity rows); the lock makes the second wait for the
first, which then usually finds nothing left to do.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DatabaseError, connection

logger = logging.getLogger(__name__)


@contextmanager
def advisory_lock(lock_id: int, *, name: str) -> Iterator[None]:
    """Hold PostgreSQL's advisory lock `lock_id` for the block (elsewhere, SQLite, which
    serialises its writers itself, nothing is locked).

    Inside a transaction the lock is the transaction's and goes with it: a session lock could
    not be released once an error had aborted that transaction. Outside one it is the
    session's, released at the end of the block; `name` says which lock in the warning
    logged if the connection is gone by then.
    """
    if connection.vendor != "postgresql":
        yield
        return
    if connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id])
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [lock_id])
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [lock_id])
        except DatabaseError:
            # The connection is gone, and the session's lock with it; the error that broke
            # it is the one to report (and retry on).
            logger.warning("Could not release the %s lock; the connection was lost.", name)
