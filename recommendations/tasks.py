"""Celery tasks of the recommendations: keeping the stored similar recommendations current."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .similarity import recommendation_neighbours_refresh


@shared_task(
    name="recommendations.tasks.refresh_neighbours",
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
    acks_late=True,
    reject_on_worker_lost=True,
)
def refresh_neighbours(*, pks: list[int], holders: list[int] | None = None) -> int:
    """Recompute the similar recommendations after the texts of `pks` changed (queued by
    receivers.py once the change commits); `holders` had a deleted one in their lists.
    Returns the rows written. Safe to run twice: it recomputes from the texts on record."""
    return recommendation_neighbours_refresh(pks, holders=holders or ())
