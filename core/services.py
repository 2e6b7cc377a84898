"""Write helpers every app's services share."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.template.defaultfilters import truncatechars
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.db.models.options import Options

ModelT = TypeVar("ModelT", bound=models.Model)


def model_update(
    *, instance: ModelT, fields: list[str], data: dict[str, Any]
) -> tuple[ModelT, bool]:
    """Set `fields` of `instance` from `data` where the value differs, validate, and save only
    what changed (plus `updated_at` when the model has one).

    Returns the instance and whether anything changed. Fields missing from `data` are left as
    they are, so a partial update (a PATCH) names only what it changes.
    """
    changed: list[str] = []
    for field in fields:
        if field not in data:
            continue
        if getattr(instance, field) != data[field]:
            setattr(instance, field, data[field])
            changed.append(field)
    if changed:
        instance.full_clean()
        if any(f.name == "updated_at" for f in instance._meta.get_fields()):
            changed.append("updated_at")
        instance.save(update_fields=changed)
    return instance, bool(changed)


# --- Optimistic concurrency and history ----------------------------------------------------

# Fields a "what changed" message never lists: bookkeeping, not content.
_BOOKKEEPING = {"version", "updated_at", "created_at", "loaded_checksum", "id"}


class Versioned(Protocol):
    """A model with an optimistic-lock `version` and simple_history's `history` manager."""

    @property
    def version(self) -> int: ...

    @property
    def history(self) -> Any: ...  # simple_history's HistoryManager (the package is untyped)

    @property
    def _meta(self) -> Options[Any]: ...


class StaleVersion(ValidationError):
    """A save based on an older version of a record. The message says what changed since."""


def changes_since(obj: Versioned, *, version: int) -> list[str]:
    """Human-readable lines saying how `obj` differs from its `version` (from its history)."""
    history = obj.history.all()
    old = history.filter(version=version).order_by("-history_id").first()
    new = history.order_by("-history_id").first()
    if old is None or new is None:
        return [_("The record has been changed since you opened it.")]
    delta = new.diff_against(old, foreign_keys_are_objs=False)
    lines: list[str] = []
    for change in delta.changes:
        if change.field in _BOOKKEEPING:
            continue
        # A concrete field, a many-to-many or a relation: _display tells them apart.
        model_field: Any = obj._meta.get_field(change.field)
        lines.append(
            _("%(field)s: “%(old)s” → “%(new)s”")
            % {
                "field": str(model_field.verbose_name).capitalize(),
                "old": _display(model_field, change.old),
                "new": _display(model_field, change.new),
            }
        )
    who = getattr(new.history_user, "email", "") or _("someone")
    when = date_format(timezone.localtime(new.history_date), "DATETIME_FORMAT")
    header = _("Changed by %(who)s on %(when)s.") % {"who": who, "when": when}
    return [header, *(lines or [_("(No change to the content: its review state moved on.)")])]


def _display(model_field: Any, value: Any) -> str:
    if value in (None, ""):
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.many_to_many:
        related = model_field.related_model.objects.filter(
            pk__in=[row[model_field.m2m_reverse_name()] for row in value]
        )
        return ", ".join(str(item) for item in related) or "—"
    if model_field.is_relation:
        related = model_field.related_model.objects.filter(pk=value).first()
        return str(related) if related else str(value)
    return truncatechars(str(value), 120)


def check_version(current: Versioned, version: int | None) -> None:
    if version is None:
        return
    if int(version) != current.version:
        raise StaleVersion(
            {
                "version": [
                    _(
                        "Someone else saved this record after you opened it; your changes "
                        "were not saved. Reload the page to see the current version, then "
                        "make your changes again."
                    ),
                    *changes_since(current, version=int(version)),
                ]
            }
        )


def save_with_history(obj: models.Model, *, by: AbstractBaseUser, reason: str) -> None:
    """Validate and save, recording who and why in the history.

    The reason is stored in English (marked with gettext_noop) and translated when shown.
    """
    obj.full_clean()
    obj._history_user = by  # type: ignore[attr-defined]  # read by simple_history
    obj._change_reason = reason  # type: ignore[attr-defined]  # read by simple_history
    obj.save()
