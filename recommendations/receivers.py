"""How the search lexicon and the stored neighbours hear of saved texts.

Every way a searched text is written (the importers' reference-data upsert, the admin, the
services, the factories of the tests) saves the model, so `post_save` is the one place that
sees them all. `record_search_words` (connected in apps.py) only hands the texts to the
service, in the saving transaction.

The neighbours' receivers (connected below, when apps.py imports this module) gather the
recommendations whose text changed, was added or was deleted in a transaction, and queue one
`recommendations.tasks.refresh_neighbours` for all of them once it commits: a bulk load of
thousands of texts queues one task, and a transaction that rolls back (the import preview
runs the import and rolls it back) queues nothing. A save whose `update_fields` leave out
the text (the loader's updates of other fields) changes no neighbour and queues nothing. The
task is named, not imported, as core.tasks asks.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from django.db import models, transaction
from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver

from core.tasks import enqueue_after_commit

from . import services
from .models import Recommendation, RecommendationNeighbour
from .similarity_signals import texts_changed

REFRESH_NEIGHBOURS_TASK = "recommendations.tasks.refresh_neighbours"


def record_search_words(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    fields = services.SEARCHED_FIELDS.get(sender)
    if fields and not kwargs.get("raw"):
        services.search_words_record(texts=[getattr(instance, name) or "" for name in fields])


class _ChangedTexts:
    """The recommendations whose texts one transaction changed, sent as one task's arguments
    when it commits. Registered as an on-commit callback itself (marking the texts changed
    for `similar_to_texts`), so that a receiver can tell whether the current transaction
    already has one waiting."""

    def __init__(self) -> None:
        self.done = False
        # Filled until the transaction commits; the queued task reads them then.
        self.arguments: dict[str, list[int]] = {"pks": [], "holders": []}
        self._seen: dict[str, set[int]] = {"pks": set(), "holders": set()}

    def add(self, name: str, pks: list[int]) -> None:
        seen = self._seen[name]
        for pk in pks:
            if pk not in seen:
                seen.add(pk)
                self.arguments[name].append(pk)

    def __call__(self) -> None:
        self.done = True
        texts_changed()


_waiting = threading.local()


def _texts_changed(pks: list[int], holders: Sequence[int] = ()) -> None:
    """Add to the current transaction's gathering, registering one with it on first use
    (outside a transaction the task is queued at once)."""
    connection = transaction.get_connection()
    current: _ChangedTexts | None = getattr(_waiting, "current", None)
    # A rolled-back transaction drops its callbacks: a gathering not among the current ones
    # belongs to no live transaction, and a new one starts.
    if (
        current is not None
        and not current.done
        and connection.in_atomic_block
        and any(func is current for _sids, func, _robust in reversed(connection.run_on_commit))
    ):
        current.add("pks", pks)
        current.add("holders", list(holders))
        return
    current = _ChangedTexts()
    current.add("pks", pks)
    current.add("holders", list(holders))
    _waiting.current = current
    transaction.on_commit(current)
    enqueue_after_commit(
        REFRESH_NEIGHBOURS_TASK,
        kwargs=current.arguments,
        if_lost="The similar recommendations of the changed texts stay as they were until the "
        "next change or `manage.py rebuild_recommendation_neighbours`.",
    )


@receiver(post_save, sender=Recommendation, dispatch_uid="recommendation-neighbours-saved")
def refresh_neighbours_after_save(
    sender: type[Recommendation], instance: Recommendation, **kwargs: Any
) -> None:
    update_fields = kwargs.get("update_fields")
    if kwargs.get("raw") or (update_fields is not None and "text" not in update_fields):
        return
    _texts_changed([instance.pk])


@receiver(pre_delete, sender=Recommendation, dispatch_uid="recommendation-neighbours-deleted")
def refresh_neighbours_before_delete(
    sender: type[Recommendation], instance: Recommendation, **kwargs: Any
) -> None:
    # The rows naming it go with it: the lists that held it are to be recomputed.
    holders = list(
        RecommendationNeighbour.objects.filter(neighbour_id=instance.pk).values_list(
            "recommendation_id", flat=True
        )
    )
    _texts_changed([instance.pk], holders)
