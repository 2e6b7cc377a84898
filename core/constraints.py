"""Check constraints validated once per distinct set of values, not once per save.

Django validates a CheckConstraint in `full_clean` by asking the database
(`SELECT 1 WHERE <condition>`): one query per constraint per call. Its answer depends only on
the values of the fields the condition names, so a model whose rows share a handful of values
(statuses, sources) can remember the answers: importing 4,000 reports asks a few times, not
20,000. Only passing answers are kept (a failure is asked again, and raises as before), and
the memory is bounded.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, router

_MAX_REMEMBERED = 4096
_passed: set[tuple[Any, ...]] = set()


class RememberedCheckConstraintsMixin:
    """Put before models.Model in a model's bases."""

    _meta: Any

    def validate_constraints(self, exclude: Collection[str] | None = None) -> None:
        using = router.db_for_write(self.__class__, instance=self)  # type: ignore[arg-type]
        errors: dict[str, Any] = {}
        for model_class, constraints in self.get_constraints():  # type: ignore[attr-defined]
            for constraint in constraints:
                key = self._constraint_key(constraint, exclude)
                if key is not None and key in _passed:
                    continue
                try:
                    constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as exc:
                    errors = exc.update_error_dict(errors)
                    continue
                if key is not None:
                    if len(_passed) >= _MAX_REMEMBERED:
                        _passed.clear()
                    _passed.add(key)
        if errors:
            raise ValidationError(errors)

    def _constraint_key(
        self, constraint: models.BaseConstraint, exclude: Collection[str] | None
    ) -> tuple[Any, ...] | None:
        """What the constraint's answer depends on, or None for one not to remember (a
        unique constraint depends on the other rows, not this one's values)."""
        if not isinstance(constraint, models.CheckConstraint):
            return None
        names = sorted(models.Q(constraint.condition).referenced_base_fields)
        if exclude and set(names) & set(exclude):
            return None
        try:
            values = tuple(
                (name, repr(getattr(self, self._meta.get_field(name).attname))) for name in names
            )
        except (FieldDoesNotExist, AttributeError):
            return None
        return (self._meta.label, constraint.name, values)
