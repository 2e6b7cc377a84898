"""The writes that move a data version: saves, deletions and many-to-many changes of the
published models of the apps in DATA_VERSION_APPS, whoever makes them."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

from .services import data_version_bump

_M2M_ACTIONS = frozenset({"post_add", "post_remove", "post_clear"})


def connect() -> None:
    """For the models that carry `updated_at`, the ones the API's lists publish with a
    Last-Modified; not for derived tables rebuilt in bulk (current statuses, compliance
    figures, search words), nor for all senders: a post_delete receiver makes Django fetch
    every row it deletes rather than delete them in one statement."""
    for label in settings.DATA_VERSION_APPS:
        for model in apps.get_app_config(label).get_models():
            if not any(field.name == "updated_at" for field in model._meta.get_fields()):
                continue
            uid = f"data_version:{model._meta.label}"
            post_save.connect(_written, sender=model, dispatch_uid=uid)
            post_delete.connect(_written, sender=model, dispatch_uid=uid)
            for field in model._meta.local_many_to_many:
                through = field.remote_field.through
                m2m_changed.connect(_related, sender=through, dispatch_uid=f"{uid}:{field.name}")


def _written(sender: type[Model], using: str, **kwargs: Any) -> None:
    data_version_bump(name=sender._meta.app_label, using=using)


def _related(sender: type[Model], action: str, using: str, **kwargs: Any) -> None:
    # `sender` is the relation's table, in the app of the model that declares it.
    if action in _M2M_ACTIONS:
        data_version_bump(name=sender._meta.app_label, using=using)
