"""Filters of States and regional groups: the API's FilterSets, and the one a State is named by
everywhere (`state=MEX`)."""

from __future__ import annotations

import django_filters as filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.api.filters import (
    KeyChoiceFilter,
    UpdatedSinceFilter,
    choice_filter,
)

from .models import RegionalGroup, State


class CodeChoiceField(forms.ModelChoiceField):
    """A State by its code, whatever the case the client typed it in."""

    def to_python(self, value):
        return super().to_python(value.upper() if isinstance(value, str) else value)


class StateChoiceFilter(KeyChoiceFilter):
    field_class = CodeChoiceField

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", State.objects.all())
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault(
            "help_text", _("A State's code: ISO 3166-1 alpha-3 (MEX), or EU for the EU.")
        )
        kwargs.setdefault("error_messages", {"invalid_choice": _("No State has this code.")})
        super().__init__(**kwargs)


def regional_group_filter(field_name: str = "regional_group") -> filters.ModelChoiceFilter:
    return KeyChoiceFilter(
        field_name=field_name,
        queryset=RegionalGroup.objects.all(),
        to_field_name="slug",
        help_text=_("A UN regional group's slug (see /api/v1/regional-groups/)."),
        error_messages={"invalid_choice": _("No regional group has this slug.")},
    )


class StateFilterSet(filters.FilterSet):
    regional_group = regional_group_filter()
    protocol_status = choice_filter(
        State.ProtocolStatus.choices, _("Status towards the Protocol: party, signatory, ...")
    )
    kind = choice_filter(State.Kind.choices, _("member_state, observer_state or the EU's kind."))
    search = filters.CharFilter(
        method="filter_search", help_text=_("Part of its UN name or another name, or its code.")
    )
    updated_since = UpdatedSinceFilter()

    parameter_examples = {
        "regional_group": "african-states",
        "protocol_status": "party",
        "kind": "member_state",
        "search": "mexi",
        "updated_since": "2025-01-31",
    }

    def filter_search(self, queryset, name, value):
        value = value.strip()
        # other_names is a JSON list; matching its text finds "Turkey" for Türkiye on both
        # databases.
        return queryset.filter(
            Q(name__icontains=value) | Q(code__iexact=value) | Q(other_names__icontains=value)
        )


class RegionalGroupFilter(filters.FilterSet):
    updated_since = UpdatedSinceFilter()

    parameter_examples = {"updated_since": "2025-01-31T12:00:00Z"}


# --- The States list page ----------------------------------------------------------------


class StateListFilter(filters.FilterSet):
    regional_group = filters.ModelChoiceFilter(
        label=_("Regional group"),
        queryset=RegionalGroup.objects.all(),
        to_field_name="slug",
        empty_label=_("Any"),
    )
    protocol_status = filters.ChoiceFilter(
        label=_("Protocol status"),
        choices=State.ProtocolStatus.choices,
        empty_label=_("Any"),
    )

    class Meta:
        model = State
        fields: list[str] = []
