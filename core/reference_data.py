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
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Self, TypeVar, cast

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
            # Through .all(), so that related records prefetched with the record (as
            # `KnownRecords` can) cost no query.
            current[name] = sorted(item.pk for item in getattr(obj, name).all())
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


class KnownRecords(Generic[M]):
    """The records of `model` a loader is about to upsert, read in one query, so that
    `upsert_reference(..., known=...)` finds each one without a query of its own.

    Records are found by the values of `key` (the natural key the loader's lookups name; a
    name missing from a lookup stands for None, as a participation names either a State or
    an organization). `filters` narrows what is read. A versioned model's records are locked
    as `upsert_reference` locks each one it reads. Records the upsert creates are added.
    `prefetch` names many-to-many fields the upsert compares, read here in one query too.
    """

    def __init__(
        self, model: type[M], *key: str, prefetch: tuple[str, ...] = (), **filters: Any
    ) -> None:
        self.key = key
        self._attnames = [model._meta.get_field(name).attname for name in key]  # type: ignore[union-attr]  # concrete fields
        found = model.objects.filter(**filters).prefetch_related(*prefetch)
        if _versioned(model):
            found = found.select_for_update(of=("self",))
        self._records = {self._record_key(obj): obj for obj in found}

    def _record_key(self, obj: M) -> tuple[Any, ...]:
        return tuple(getattr(obj, attname) for attname in self._attnames)

    def _lookup_key(self, lookup: Mapping[str, Any]) -> tuple[Any, ...]:
        unknown = set(lookup) - set(self.key)
        if unknown:
            raise ValueError(f"lookup names {sorted(unknown)}, not part of the key {self.key}")
        return tuple(_plain(lookup.get(name)) for name in self.key)

    def get(self, lookup: Mapping[str, Any]) -> M | None:
        return self._records.get(self._lookup_key(lookup))

    def add(self, obj: M) -> None:
        self._records[self._record_key(obj)] = obj


def _versioned(model: type[models.Model]) -> bool:
    return any(field.name == "version" for field in model._meta.concrete_fields)


def upsert_reference(
    model: type[M],
    *,
    lookup: Mapping[str, Any],
    values: Mapping[str, Any],
    stats: LoadStats,
    overwrite_edits: bool = False,
    known: KnownRecords[M] | None = None,
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

    `known` (records read beforehand, see `KnownRecords`) saves the look-up of the record.
    """
    with translation.override(original_language()):
        return _upsert_reference(
            model,
            lookup=lookup,
            values=values,
            stats=stats,
            overwrite_edits=overwrite_edits,
            known=known,
        )


# A transaction when called alone (the lock below needs one), but no savepoint inside the
# caller's: a loader writes hundreds of records in one transaction and rolls all of them back
# on any error, so a savepoint per record would only add two queries each.
@transaction.atomic(savepoint=False)
def _upsert_reference(
    model: type[M],
    *,
    lookup: Mapping[str, Any],
    values: Mapping[str, Any],
    stats: LoadStats,
    overwrite_edits: bool = False,
    known: KnownRecords[M] | None = None,
) -> M:
    wanted = {name: _plain(value) for name, value in values.items()}
    checksum = _checksum(wanted)
    concrete, many = _split(model, values)
    if known is not None:
        obj = known.get(lookup)
    else:
        found = model.objects.filter(**lookup)
        if _versioned(model):
            # Locked as the editing services lock it, so that an editor's save and this one
            # take turns and neither loses the other's version.
            found = found.select_for_update(of=("self",))
        obj = found.first()
    if obj is None:
        obj = model.objects.create(**lookup, **concrete, loaded_checksum=checksum)
        for name, related in many.items():
            getattr(obj, name).set(related)
        if known is not None:
            known.add(obj)
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

    Raises `model.DoesNotExist` when no record matches `lookup`. One read of the record's
    columns, then at most one write of the empty ones (none on a reload).
    """
    columns = {
        language: build_localized_fieldname(field, language)
        for language in values
        if language != original_language()
    }
    current = model.objects.filter(**lookup).values(*columns.values()).first()
    if current is None:
        raise model.DoesNotExist(f"no {model._meta.verbose_name} matches {dict(lookup)}")
    empty = {language for language, column in columns.items() if not current[column]}
    for language in columns:
        stats.record(
            model, "translation added" if language in empty else "translation already present"
        )
    if empty:
        # Only where still empty, as read: a column filled meanwhile is not overwritten.
        unchanged = models.Q(
            *(
                models.Q(**{f"{columns[language]}__isnull": True})
                | models.Q(**{columns[language]: ""})
                for language in empty
            )
        )
        model.objects.filter(unchanged, **lookup).update(
            **{columns[language]: values[language] for language in empty}
        )
