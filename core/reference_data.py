"""Loading reference data without overwriting what staff edited.

Each record that `load_wgsom` writes remembers a checksum of the values it wrote. On the next
load, a record whose current values still match that checksum is brought up to date with the
data files; a record whose values differ was edited since (in the admin, say) and is kept as
it is. Loading the same data twice therefore changes nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeVar, cast

from django.conf import settings
from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from .services import model_update

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

M = TypeVar("M", bound="ReferenceDataModel")


class ReferenceDataModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)
    loaded_checksum = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="Checksum of the values load_wgsom last wrote (see core/reference_data.py).",
    )

    # Abstract models get no manager from django-stubs; every concrete subclass has one.
    objects: ClassVar[models.Manager[Self]]

    class Meta:
        abstract = True


class LoadStats(Counter["tuple[StrOrPromise | None, str]"]):
    """Counts of what a load did, keyed by (model label, outcome)."""

    def record(self, model: type[models.Model], outcome: str) -> None:
        self[(model._meta.verbose_name_plural, outcome)] += 1

    def summary(self) -> str:
        by_model: dict[str, dict[str, int]] = {}
        for (label, outcome), count in sorted(self.items()):
            by_model.setdefault(str(label), {})[outcome] = count
        return "\n".join(
            f"{label}: " + ", ".join(f"{n} {outcome}" for outcome, n in outcomes.items())
            for label, outcomes in by_model.items()
        )


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if (
        isinstance(value, list | tuple | set)
        and value
        and isinstance(next(iter(value)), models.Model)
    ):
        return sorted(item.pk for item in value)
    return value


def _checksum(values: Mapping[str, Any]) -> str:
    payload = json.dumps(values, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def _split(
    model: type[models.Model], values: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    concrete: dict[str, Any]
    many: dict[str, Any]
    concrete, many = {}, {}
    for name, value in values.items():
        field = model._meta.get_field(name)
        (many if field.many_to_many else concrete)[name] = value
    return concrete, many


def _current_values(obj: models.Model, names: list[str]) -> dict[str, Any]:
    current: dict[str, Any] = {}
    for name in names:
        field = cast("models.Field[Any, Any]", obj._meta.get_field(name))
        if field.many_to_many:
            current[name] = sorted(getattr(obj, name).values_list("pk", flat=True))
        else:
            current[name] = getattr(obj, field.attname)
    return current


def original_language() -> str:
    """The language reference data is written in: the data files and reports are English,
    and a translated field's other languages are the Secretariat's (docs/languages-content.md)."""
    return str(getattr(settings, "MODELTRANSLATION_DEFAULT_LANGUAGE", settings.LANGUAGE_CODE))


def differing_fields(obj: models.Model, values: Mapping[str, Any]) -> list[str]:
    """The names in `values` whose value differs from what `obj` holds now."""
    with translation.override(original_language()):
        current = _current_values(obj, list(values))
    return [name for name in values if current[name] != _plain(values[name])]


def upsert_reference(
    model: type[M],
    *,
    lookup: Mapping[str, Any],
    values: Mapping[str, Any],
    stats: LoadStats,
    overwrite_edits: bool = False,
) -> M:
    """Create or update one reference record, keeping it as it is if staff edited it.

    `lookup` names the record (its natural key); `values` are the fields the data files own,
    many-to-many fields included (as lists of instances). `overwrite_edits` takes the files'
    values even over a staff edit (the report importer's --update).

    An existing record is written through `model_update`, so a record with a `version`
    (optimistic concurrency, see core/services.py) gets one more whenever its values change
    here, as with any other edit: a copy opened in the admin before the load is then refused
    as stale, instead of putting the old values back.

    A translated field (`Theme.name`) is read and written in the original language, English,
    whatever language the caller runs in: its other languages are not the data files' and
    are neither compared nor touched, so a reload keeps every translation.
    """
    with translation.override(original_language()):
        return _upsert_reference(
            model, lookup=lookup, values=values, stats=stats, overwrite_edits=overwrite_edits
        )


@transaction.atomic
def _upsert_reference(
    model: type[M],
    *,
    lookup: Mapping[str, Any],
    values: Mapping[str, Any],
    stats: LoadStats,
    overwrite_edits: bool = False,
) -> M:
    wanted = {name: _plain(value) for name, value in values.items()}
    checksum = _checksum(wanted)
    concrete, many = _split(model, values)
    versioned = any(field.name == "version" for field in model._meta.concrete_fields)
    found = model.objects.filter(**lookup)
    if versioned:
        # Locked as the editing services lock it, so that an editor's save and this one
        # take turns and neither loses the other's version.
        found = found.select_for_update(of=("self",))
    obj = found.first()
    if obj is None:
        obj = model.objects.create(**lookup, **concrete, loaded_checksum=checksum)
        for name, related in many.items():
            getattr(obj, name).set(related)
        stats.record(model, "created")
        return obj

    current = _checksum(_current_values(obj, list(values)))
    if current == checksum:
        if obj.loaded_checksum != checksum:
            model.objects.filter(pk=obj.pk).update(loaded_checksum=checksum)
        stats.record(model, "unchanged")
        return obj
    if current == obj.loaded_checksum:
        outcome = "updated"
    elif overwrite_edits:
        outcome = "overwritten"
    else:
        stats.record(model, "kept (edited by staff)")
        return obj
    # Not validated, as a created record is not: the loaders check the data files as they
    # read them, and a reload must not refuse what the first load wrote.
    model_update(
        instance=obj,
        fields=[*values, "loaded_checksum"],
        data={**values, "loaded_checksum": checksum},
        validate=False,
    )
    stats.record(model, outcome)
    return obj


def translations_fill(
    model: type[M],
    *,
    lookup: Mapping[str, Any],
    field: str,
    values: Mapping[str, Any],
    stats: LoadStats,
) -> None:
    """Give a translated field (modeltranslation) its value in each language of `values`
    (language code -> value) where that language's column is still empty.

    Translations are the Secretariat's to edit in the admin: a data file only supplies a
    first value, and a reload never overwrites one, so no checksum is kept for them. The
    original language is the data files' own and is written by `upsert_reference`.
    """
    for language, value in values.items():
        if language == original_language():
            continue
        column = build_localized_fieldname(field, language)
        empty = models.Q(**{f"{column}__isnull": True}) | models.Q(**{column: ""})
        written = model.objects.filter(empty, **lookup).update(**{column: value})
        stats.record(model, "translation added" if written else "translation already present")
