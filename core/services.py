"""Write helpers every app's services share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.template.defaultfilters import truncatechars
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname
from modeltranslation.utils import get_language as translated_fields_language

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.db.models.options import Options

ModelT = TypeVar("ModelT", bound=models.Model)


def model_update(
    *,
    instance: ModelT,
    fields: list[str],
    data: Mapping[str, Any],
    by: AbstractBaseUser | None = None,
    reason: str = "",
    validate: bool = True,
) -> tuple[ModelT, bool]:
    """Set `fields` of `instance` from `data` where the value differs, validate, and save only
    what changed (plus `updated_at` when the model has one).

    Returns the instance and whether anything changed. Fields missing from `data` are left as
    they are, so a partial update (a PATCH) names only what it changes; when nothing differs,
    nothing is written.

    - A many-to-many field takes a list of instances (or primary keys) and counts as changed
      when the set differs; it is written after the save, as Django requires.
    - A model with a `version` (optimistic concurrency, see `check_version`) gets one more on
      every write, so that a copy opened before it is refused as stale instead of putting the
      old values back.
    - `by` and `reason` are recorded in the history of a model that keeps one
      (django-simple-history), as `save_with_history` records them.
    - `validate=False` skips `full_clean`, for a writer whose values were checked before they
      got here (the reference-data upsert, whose data files are checked as they are read).
    """
    concrete, many = _changed_fields(instance, fields, data)
    if not concrete and not many:
        return instance, False
    for name in concrete:
        setattr(instance, name, data[name])
    update_fields = [*concrete, *_localized_columns(instance, concrete)]
    if _has_field(instance, "version"):
        instance.version += 1  # type: ignore[attr-defined]  # _has_field says it has one
        update_fields.append("version")
    if validate:
        instance.full_clean()
    if _has_field(instance, "updated_at"):
        update_fields.append("updated_at")
    _note_history(instance, by=by, reason=reason)
    instance.save(update_fields=update_fields)
    for name in many:
        getattr(instance, name).set(data[name])
    return instance, True


def _changed_fields(
    instance: models.Model, fields: list[str], data: Mapping[str, Any]
) -> tuple[list[str], list[str]]:
    """The names among `fields` whose value in `data` differs: (concrete, many-to-many)."""
    concrete: list[str] = []
    many: list[str] = []
    for name in fields:
        if name not in data:
            continue
        if instance._meta.get_field(name).many_to_many:
            current = getattr(instance, name).values_list("pk", flat=True)
            if _pks(current) != _pks(data[name]):
                many.append(name)
        elif getattr(instance, name) != data[name]:
            concrete.append(name)
    return concrete, many


def _pks(items: Iterable[Any]) -> set[Any]:
    return {getattr(item, "pk", item) for item in items}


def _has_field(instance: models.Model, name: str) -> bool:
    return any(field.name == name for field in instance._meta.concrete_fields)


def _localized_columns(instance: models.Model, names: Iterable[str]) -> list[str]:
    """The active language's columns of the translated fields (modeltranslation) among `names`.

    Setting a translated field writes its active language's column (`name` -> `name_en`):
    a save limited to `name` would write the original column only and lose the value.
    """
    language = translated_fields_language()
    localized = (build_localized_fieldname(name, language) for name in names)
    return [name for name in localized if _has_field(instance, name)]


def _note_history(instance: models.Model, *, by: AbstractBaseUser | None, reason: str) -> None:
    # Read by simple_history when the save (and each many-to-many change) writes a history row.
    if by is not None:
        instance._history_user = by  # type: ignore[attr-defined]
    if reason:
        instance._change_reason = reason  # type: ignore[attr-defined]


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
