"""Strict query parameters: an unknown or empty parameter is a 400 naming it."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import django_filters as filters
from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions
from rest_framework.filters import OrderingFilter
from rest_framework.negotiation import DefaultContentNegotiation

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django_stubs_ext import StrOrPromise
    from rest_framework.renderers import BaseRenderer
    from rest_framework.request import Request
    from rest_framework.views import APIView


class StrictContentNegotiation(DefaultContentNegotiation):
    """`?format=` must name one of the formats (json, csv, api): otherwise a 400 naming it.

    DRF answers an unknown format with a bare 404. An empty one means the default, as an
    empty value of any parameter means "not given".
    """

    def select_renderer(
        self,
        request: Request,
        renderers: Iterable[BaseRenderer],
        format_suffix: str | None = None,
    ) -> tuple[BaseRenderer, str]:
        name = self.settings.URL_FORMAT_OVERRIDE
        if name and request.query_params.get(name):
            wanted = request.query_params.get(name)
            formats = [renderer.format for renderer in renderers]
            if wanted not in formats:
                raise exceptions.ValidationError(
                    {name: [_("Ask for one of: %(formats)s.") % {"formats": ", ".join(formats)}]}
                )
        return super().select_renderer(request, renderers, format_suffix)


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter, refusing query parameters it does not know with a 400 naming them.

    A misspelt filter (`?thme=prevention`) would otherwise be ignored and answer the whole
    list with a 200, which a client cannot tell from a filter that matched everything.
    """

    always_allowed = frozenset({"page", "page_size", "format", "ordering", "bom", "lang"})

    def filter_queryset(
        self, request: Request, queryset: QuerySet[Any], view: APIView
    ) -> QuerySet[Any]:
        filterset_class = self.get_filterset_class(view, queryset)
        known = set(self.always_allowed)
        if filterset_class is not None:
            known.update(filterset_class.base_filters)
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            raise exceptions.ValidationError(
                {name: [_("Unknown query parameter.")] for name in unknown}
            )
        return super().filter_queryset(request, queryset, view)


class StrictOrderingFilter(OrderingFilter):
    """`?ordering=` over the view's `ordering_fields` only; anything else is a 400 naming it
    (DRF would drop it silently and answer in another order than asked).

    `ordering_fields` may be a mapping from the public name to the model path
    (`{"meeting": "meeting__ordinal"}`), so that no `__` path of the models becomes part of
    the API's contract.
    """

    def _paths(self, view: APIView) -> dict[str, str]:
        fields = getattr(view, "ordering_fields", None) or []
        if isinstance(fields, dict):
            return dict(fields)
        return {name: name for name in fields}

    def get_ordering(
        self, request: Request, queryset: QuerySet[Any], view: APIView
    ) -> Sequence[str] | None:
        raw = request.query_params.get(self.ordering_param)
        if not raw:
            return self.get_default_ordering(view)
        paths = self._paths(view)
        asked = [term.strip() for term in raw.split(",") if term.strip()]
        wrong = [term for term in asked if term.lstrip("-") not in paths]
        if not asked or wrong:
            raise exceptions.ValidationError(
                {
                    self.ordering_param: [
                        _("Order by one or more of: %(fields)s (a leading - reverses).")
                        % {"fields": ", ".join(sorted(paths))}
                    ]
                }
            )
        return [("-" if term.startswith("-") else "") + paths[term.lstrip("-")] for term in asked]

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        names = list(self._paths(view))
        if not names:
            return []
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": str(
                    _("Sort by a field; a leading - sorts descending. Comma-separate several.")
                ),
                "schema": {
                    "type": "string",
                    "enum": [variant for name in names for variant in (name, f"-{name}")],
                    # The names a generated client gives the values (`-date` is `date_desc`).
                    "x-enum-varnames": [
                        variant for name in names for variant in (name, f"{name}_desc")
                    ],
                },
                "example": f"-{names[0]}",
            }
        ]


# --- Throttling ----------------------------------------------------------------------------


# --- Fields and filters every FilterSet shares -----------------------------------------------


class ISODateOrDateTimeField(forms.Field):
    """An ISO 8601 date (`2025-01-31`, midnight in the site's time zone) or date-time
    (`2025-01-31T12:00:00Z`; without an offset, the site's time zone)."""

    default_error_messages = {
        "invalid": _("Enter an ISO 8601 date or date-time, e.g. 2025-01-31T12:00:00Z."),
    }

    def to_python(self, value: Any) -> datetime.datetime | None:
        if value in self.empty_values:
            return None
        text = str(value).strip()
        try:
            moment = parse_datetime(text)
            if moment is None:
                day = parse_date(text)
                if day is None:
                    raise ValueError(text)
                moment = datetime.datetime.combine(day, datetime.time.min)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        try:
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            # In UTC: PostgreSQL refuses offsets beyond ±15:59, which ISO 8601 parsers allow.
            return moment.astimezone(datetime.UTC)
        except (OverflowError, ValueError):  # beyond year 1 or 9999 once in UTC
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


@extend_schema_field(
    {
        "anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}],
        "example": "2025-01-31",
    }
)
class UpdatedSinceFilter(filters.Filter):
    field_class = ISODateOrDateTimeField

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("field_name", "updated_at")
        kwargs.setdefault("lookup_expr", "gte")
        kwargs.setdefault(
            "help_text",
            _(
                "Only what was created or changed at or after this ISO 8601 date or date-time "
                "(e.g. 2025-01-31T12:00:00Z; encode a + offset as %2B). For an incremental "
                "pull, send the newest updated_at of your previous pull."
            ),
        )
        super().__init__(**kwargs)


_WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")
_NOT_A_WHOLE_NUMBER = _("Enter a whole number, such as 7.")


class WholeNumberField(forms.IntegerField):
    """Digits only: `7`, never `7.0`, `0.5` or `1e3` (Django's IntegerField takes `7.0`).

    Every number in the API's query parameters (ordinals, ids, years) is a whole number,
    and each parameter refuses anything else in the same words.
    """

    default_error_messages = {"invalid": _NOT_A_WHOLE_NUMBER}

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        if not _WHOLE_NUMBER.fullmatch(str(value).strip()):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return int(str(value).strip())


class WholeNumberFilter(filters.NumberFilter):
    field_class = WholeNumberField


class _NumberKeyField(ModelChoiceField):
    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not _WHOLE_NUMBER.fullmatch(str(value).strip()):
            raise forms.ValidationError(_NOT_A_WHOLE_NUMBER, code="invalid_choice")
        return super().to_python(value)


@extend_schema_field(OpenApiTypes.STR)
class KeyChoiceFilter(filters.ModelChoiceFilter):
    """A record named by a text key (slug, code, symbol): documented as a string."""


@extend_schema_field({"type": "integer", "minimum": 0})
class NumberChoiceFilter(filters.ModelChoiceFilter):
    """A record named by a number (ordinal, id): documented as an integer, and refusing
    anything but digits before it looks for the record."""

    field_class = _NumberKeyField


def choice_filter(
    choices: Iterable[tuple[Any, StrOrPromise]],
    help_text: StrOrPromise,
    field_name: str | None = None,
) -> filters.ChoiceFilter:
    kwargs = {"field_name": field_name} if field_name else {}
    return filters.ChoiceFilter(choices=choices, help_text=help_text, **kwargs)


@extend_schema_field({"type": "string", "enum": ["true", "false"]})
class BooleanChoiceFilter(filters.ChoiceFilter):
    """`true` or `false`, and nothing else (django-filter's BooleanFilter ignores a bad value)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["choices"] = [("true", "true"), ("false", "false")]
        super().__init__(**kwargs)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value in ("", None):
            return qs
        return super().filter(qs, value == "true")
