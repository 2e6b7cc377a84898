"""Queueing Celery tasks so that a broker that is down never fails a committed write.

Every write that asks for background work queues it through `enqueue_after_commit`: nothing is
published for a write that rolls back, and a publish that fails (Redis down, unreachable, or
the result store refusing) is logged and swallowed, because the write has committed and the
user must be told so. What then does the work is the caller's to document: e-mail waits in the
outbox (outbox/), which a scheduled sweep sends; the compliance snapshot waits for its next
scheduled run. Tasks are named, not imported, so that a lower layer can queue a higher one's.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import current_app, signature
from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue(
    task_name: str,
    *args: Any,
    kwargs: dict[str, Any] | None = None,
    countdown: float | None = None,
    if_lost: str = "",
) -> bool:
    """Publish `task_name` now; False (logged, never raised) when it could not be queued.

    `if_lost` says in the log what catches up with the work, for whoever reads it. With tasks
    run in-process (no REDIS_URL) the task runs here, and its failure is logged the same way:
    the caller's write stands either way.
    """
    try:
        if current_app.conf.task_always_eager and task_name not in current_app.tasks:
            # Run in-process, a task known only by name would be handed to the in-memory
            # broker and never run: import every app's tasks first, as a worker does.
            current_app.loader.import_default_modules()
        task = signature(task_name, args=args, kwargs=kwargs or {})
        if countdown is None:
            task.apply_async()
        else:
            task.apply_async(countdown=countdown)
    except Exception:
        logger.exception(
            "Could not queue %s%r (is the broker at REDIS_URL up?). %s",
            task_name,
            args,
            if_lost or "Nothing will retry it.",
        )
        return False
    return True


def enqueue_after_commit(
    task_name: str,
    *args: Any,
    kwargs: dict[str, Any] | None = None,
    countdown: float | None = None,
    if_lost: str = "",
) -> None:
    """Publish `task_name` once the current transaction commits (at once outside one), never
    raising: see `enqueue`."""
    transaction.on_commit(
        lambda: enqueue(task_name, *args, kwargs=kwargs, countdown=countdown, if_lost=if_lost)
    )
