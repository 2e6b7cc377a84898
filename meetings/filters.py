"""The API's filters of meetings, agenda items and documents."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.api.filters import (
    KeyChoiceFilter,
    NumberChoiceFilter,
    UpdatedSinceFilter,
    WholeNumberFilter,
    choice_filter,
)
from core.text import query_words

from .models import Document, Meeting


def meeting_filter(field_name: str = "meeting") -> filters.ModelChoiceFilter:
    return NumberChoiceFilter(
        field_name=field_name,
        queryset=Meeting.objects.all(),
        to_field_name="ordinal",
        help_text=_("A meeting's ordinal: 7 is the 7th meeting (2020)."),
        error_messages={"invalid_choice": _("No meeting has this ordinal.")},
    )


class MeetingFilter(filters.FilterSet):
    year = WholeNumberFilter(help_text=_("The year it was held."))
    updated_since = UpdatedSinceFilter()

    parameter_examples = {"year": 2020, "updated_since": "2025-01-31"}


class AgendaItemFilter(filters.FilterSet):
    meeting = meeting_filter()
    updated_since = UpdatedSinceFilter()

    parameter_examples = {"meeting": 7, "updated_since": "2025-01-31"}


class DocumentFilter(filters.FilterSet):
    meeting = meeting_filter()
    theme = KeyChoiceFilter(
        field_name="themes",
        # Themes are recommendations' model, a layer above: the documents' own relation names it.
        queryset=Document._meta.get_field("themes").related_model.objects.all(),
        to_field_name="slug",
        help_text=_("A theme's slug (see /api/v1/themes/)."),
        error_messages={"invalid_choice": _("No theme has this slug.")},
    )
    kind = choice_filter(Document.Kind.choices, _("The kind of document."))
    symbol = KeyChoiceFilter(
        method="filter_symbol",
        queryset=Document.objects.all(),
        to_field_name="symbol",
        help_text=_("The exact UN symbol."),
        error_messages={"invalid_choice": _("No document has this symbol.")},
    )
    search = filters.CharFilter(
        method="filter_search", help_text=_("Words in its symbol, title or summary.")
    )
    updated_since = UpdatedSinceFilter()

    parameter_examples = {
        "meeting": 7,
        "theme": "smuggling-by-sea",
        "kind": "background_paper",
        "symbol": "CTOC/COP/WG.7/2020/3",
        "search": "maritime",
        "updated_since": "2025-01-31",
    }

    def filter_symbol(self, queryset, name, value):
        return queryset.filter(pk=value.pk)

    def filter_search(self, queryset, name, value):
        condition = Q()
        for word in query_words(value):
            condition &= (
                Q(symbol__icontains=word) | Q(title__icontains=word) | Q(summary__icontains=word)
            )
        return queryset.filter(condition)
