"""Reads from a streaming replica of the database, writes to the primary.

Installed only when `DATABASE_REPLICA_URL` is set (wgsom/settings/base.py); without it there is
no router and everything uses `default`. The rules, as django-multidb-router's
PinningReplicaRouter has them, decided by the request and never by the model (core knows no app):

- only reads made while `ReplicaRoutingMiddleware` handles a public, read-only request go to
  the replica: a GET or HEAD with no session cookie (signed-in users, staff above all, read
  their own work from the primary) and no pin cookie (below);
- a write goes to the primary and pins the rest of its request there, so that a request reads
  what it wrote; the answer then carries a pin cookie that keeps that browser on the primary
  for `REPLICA_PIN_SECONDS`, longer than replication ever lags, so the page it is redirected
  to shows the change;
- a read inside a transaction goes to the primary, where the transaction is;
- models of `REPLICA_PRIMARY_ONLY_APPS` (sign-in, sessions, tokens) are always read from the
  primary: a revoked token or a new session must count at once;
- outside a request (Celery tasks, management commands, the shell) everything uses the
  primary: a task that reads to compute and write (a compliance snapshot) must not compute
  from a lagging copy;
- migrations run on the primary only; the replica copies them;
- a replica that cannot be reached is left alone for `REPLICA_RETRY_SECONDS` (each process
  decides for itself) and its reads go to the primary meanwhile: a replica down costs
  speed, not pages. Only a replica lost in the middle of a request fails that request.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponseBase

REPLICA = "replica"
PRIMARY = DEFAULT_DB_ALIAS
# Set on an answer to a request that wrote; its value means nothing.
PIN_COOKIE = "wgsom_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# After the replica could not be reached, its reads go to the primary for this long before it
# is tried again: one failed connection every half minute, not one per request.
REPLICA_RETRY_SECONDS = 30.0

logger = logging.getLogger(__name__)
# time.monotonic() before which this process does not try the replica.
_replica_down_until = 0.0


def replica_reachable() -> bool:
    """Whether the replica can be read now: connected (a kept connection costs nothing to
    check), or connected to just now. A failure is logged and remembered for
    REPLICA_RETRY_SECONDS."""
    global _replica_down_until
    if time.monotonic() < _replica_down_until:
        return False
    try:
        connections[REPLICA].ensure_connection()
    except DatabaseError as exc:
        _replica_down_until = time.monotonic() + REPLICA_RETRY_SECONDS
        logger.warning(
            "The read replica cannot be reached (%s): reading from the primary for %.0f s.",
            exc.__class__.__name__,
            REPLICA_RETRY_SECONDS,
        )
        return False
    return True


@dataclass
class _Reads:
    """Where the reads of the current request go; changed by its first write."""

    replica: bool
    wrote: bool = False
    # Transactions open on the primary when the request began (none in production; a test's
    # own), so that the request's own transactions are told apart.
    outer_transactions: int = 0


# None outside a request handled by the middleware: then every read uses the primary.
_reads: ContextVar[_Reads | None] = ContextVar("wgsom_replica_reads", default=None)


def reads_use_replica() -> bool:
    """Whether a read now may use the replica: in a public request that has not written, and
    outside any transaction it opened."""
    state = _reads.get()
    return (
        state is not None
        and state.replica
        and len(connections[PRIMARY].atomic_blocks) <= state.outer_transactions
    )


class PrimaryReplicaRouter:
    """Django database router (DATABASE_ROUTERS) for one primary and one replica."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        if not reads_use_replica() or model._meta.app_label in settings.REPLICA_PRIMARY_ONLY_APPS:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        state = _reads.get()
        if state is not None:
            state.replica = False
            state.wrote = True
        return PRIMARY

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        # The same rows whichever copy they were read from.
        return {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA, None}

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY


class ReplicaRoutingMiddleware:
    """Decides, per request, whether its reads may use the replica; pins a browser that wrote
    to the primary for REPLICA_PIN_SECONDS. First in MIDDLEWARE but for the request id, so the
    session and user look-ups of later middleware are routed too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        state = _Reads(
            replica=self.may_use_replica(request),
            outer_transactions=len(connections[PRIMARY].atomic_blocks),
        )
        previous = _reads.set(state)
        try:
            response = self.get_response(request)
        finally:
            _reads.reset(previous)
        if state.wrote or request.method not in SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        if response.streaming and state.replica and not getattr(response, "is_async", False):
            # A streamed CSV reads its rows as the server sends them, after this returns.
            response.streaming_content = _reading_from(state, response.streaming_content)  # type: ignore[attr-defined]
        return response

    @staticmethod
    def may_use_replica(request: HttpRequest) -> bool:
        return (
            request.method in SAFE_METHODS
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and PIN_COOKIE not in request.COOKIES
            and replica_reachable()
        )


def _reading_from(state: _Reads, content: Iterable[Any]) -> Iterator[Any]:
    previous = _reads.get()
    _reads.set(state)
    try:
        yield from content
    finally:
        # set, not reset: a server may close the iterator from another context.
        _reads.set(previous)
