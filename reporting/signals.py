"""The seam through which reporting tells the layers above it that published data changed.

`report_validated` is sent inside the transaction that validates a report (`report=`): a
receiver that queues work must do it with `transaction.on_commit`, so nothing is queued for a
validation that rolls back. The compliance app connects its snapshot refresh here
(compliance/apps.py), so reporting never imports compliance.

Many validations in one go (a spreadsheet import, a bulk entry) are announced once, when the
batch ends (`validations_announced_once`): receivers react to "published data changed", and
thousands of announcements would each queue the same work (in-process, each would recompute
the snapshot).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.dispatch import Signal

report_validated = Signal()

_held: ContextVar[list[Any] | None] = ContextVar("validations held for one announcement")


def announce_validated(report: Any) -> None:
    """Tell the layers above that `report` was validated (now, or when the batch ends)."""
    held = _held.get(None)
    if held is not None:
        held.append(report)
        return
    report_validated.send(sender=type(report), report=report)


@contextmanager
def validations_announced_once() -> Iterator[None]:
    """Within the block, validations are announced once, at its end, with the last report
    (`report=`) and all of them (`reports=`); nothing is announced if the block raises."""
    token = _held.set([])
    try:
        yield
        held = _held.get(None) or []
    finally:
        _held.reset(token)
    if held:
        report_validated.send(sender=type(held[-1]), report=held[-1], reports=held)
