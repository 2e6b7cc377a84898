"""Moving an app's data version (the receivers call this; so may code that writes with
`QuerySet.update()` or `bulk_create`, which send no signal)."""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from .models import DataVersion


class _Bump:
    """Moves one app's version to now: run once the writing transaction commits (at once
    outside one), and left in the transaction's on-commit list until then, where it tells
    later writes of the same transaction that their bump is already due."""

    def __init__(self, name: str, using: str) -> None:
        self.name = name
        self.using = using

    def __call__(self) -> None:
        now = timezone.now()
        versions = DataVersion.objects.using(self.using)
        # Greatest: the version never goes back, even when this host's clock is behind.
        if not versions.filter(name=self.name).update(changed_at=Greatest(F("changed_at"), now)):
            # The app's first version (a database flushed since its migration): one INSERT
            # that another process's concurrent one cannot fail.
            versions.bulk_create(
                [DataVersion(name=self.name, changed_at=now)], ignore_conflicts=True
            )


_BUMPS: dict[tuple[str, str], _Bump] = {}


def data_version_bump(*, name: str, using: str = DEFAULT_DB_ALIAS) -> None:
    """Move the version of `name` (an app label) to now once the current transaction commits.

    After the commit, not inside the transaction: a version row written inside it would stay
    locked until it commits, and every other write to the app, a focal point's draft during a
    spreadsheet import of 20,000 rows in one transaction, would wait for it. The version is
    then the commit's time, so a transaction that ran long still moves it past every version
    a client was given meanwhile. Once per transaction: skipped while a bump of `name` queued
    in this savepoint or an enclosing one is pending (a rollback drops it with the writes).
    """
    connection = connections[using]
    bump = _BUMPS.setdefault((name, using), _Bump(name, using))
    if connection.in_atomic_block and _pending(connection, bump):
        return
    # robust: the write has committed; a version that could not be moved is logged, and the
    # next write moves it.
    transaction.on_commit(bump, using=using, robust=True)


def _pending(connection: Any, bump: _Bump) -> bool:
    scope = set(connection.savepoint_ids)
    return any(func is bump and sids <= scope for sids, func, _robust in connection.run_on_commit)
