"""Queueing a snapshot refresh after a validation, debounced so that a burst of validations
costs one run."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from .models import SnapshotTrigger
from .tasks import refresh_snapshot

logger = logging.getLogger(__name__)

REFRESH_QUEUED_KEY = "compliance:snapshot-refresh-queued"


def snapshot_refresh_soon() -> None:
    """Queue a debounced snapshot refresh once the current transaction commits.

    Called when staff validate a report (through the reporting app's `report_validated`
    signal, see receivers.py). Safe to call any number of times.

    The first call queues a run COMPLIANCE_REFRESH_DEBOUNCE_SECONDS later and marks it in the
    cache for as long; calls meanwhile queue nothing, since that run will see their reports
    too. A broker that cannot be reached is logged, never raised: the report is saved, and the
    nightly run (or the next validation) catches up. With tasks run in-process (no REDIS_URL)
    there is no later run to wait for, so every committed transaction refreshes at once.
    """
    # Many validations in one transaction (a bulk entry) register one callback each; the
    # cache mark below lets the first queue the run and the others return. In-process (no
    # broker) each runs the snapshot, which writes nothing when the figures are unchanged.
    transaction.on_commit(_queue_snapshot_refresh)


def _queue_snapshot_refresh() -> None:
    eager = refresh_snapshot.app.conf.task_always_eager
    delay = settings.COMPLIANCE_REFRESH_DEBOUNCE_SECONDS
    if not eager:
        try:
            # core.cache answers False, not an error, when Redis is down: then nothing says a
            # run is queued, and the publish below fails fast and is logged.
            if not cache.add(REFRESH_QUEUED_KEY, True, timeout=delay) and getattr(
                cache, "available", True
            ):
                return
        except Exception:
            # A cache that is down must not stop the refresh; the run is idempotent anyway.
            logger.warning("Cache unavailable; queueing the snapshot refresh undebounced.")
    try:
        refresh_snapshot.apply_async(
            kwargs={"trigger": SnapshotTrigger.VALIDATION.value},
            countdown=None if eager else delay,
        )
    except Exception:
        logger.exception(
            "Could not queue a compliance snapshot refresh (is the broker at REDIS_URL up?); "
            "the report is saved and the next scheduled run will include it."
        )
        try:
            cache.delete(REFRESH_QUEUED_KEY)  # so that the next validation tries again
        except Exception:
            logger.warning("Cache unavailable; could not clear the refresh mark.")
