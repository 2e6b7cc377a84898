"""How the search lexicon hears of saved texts (connected in apps.py).

Every way a searched text is written (the importers' reference-data upsert, the admin, the
services, the factories of the tests) saves the model, so `post_save` is the one place that
sees them all. The receiver only hands the texts to the service, in the saving transaction.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from . import services


def record_search_words(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    fields = services.SEARCHED_FIELDS.get(sender)
    if fields and not kwargs.get("raw"):
        services.search_words_record(texts=[getattr(instance, name) or "" for name in fields])
