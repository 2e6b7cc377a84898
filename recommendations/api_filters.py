"""The API's filters (django-filter FilterSets), one per list resource.

The same parameter means the same thing everywhere: `theme` is a theme's slug, `meeting` a
meeting's ordinal, `state` a State's code (ISO 3166-1 alpha-3, EU for the European Union),
`regional_group` a group's slug, `updated_since` an ISO 8601 date or date-time. A value that
names nothing is a 400 naming the parameter, never an empty 200: an empty list would read as
"nothing matches" when the client's request was wrong. Free-text search uses the site's own
search (recommendations/search.py), so the API and the list page find the same things.
"""

from __future__ import annotations

import datetime

import django_filters as filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from meetings.models import Document, Meeting
from states.models import RegionalGroup, State

from . import search as site_search
from .models import (
    NO_INFORMATION,
    ImplementationReport,
    ImplementationStatus,
    Recommendation,
    Theme,
)

# --- Fields and filters every FilterSet shares -----------------------------------------------


class ISODateOrDateTimeField(forms.Field):
    """An ISO 8601 date (`2025-01-31`, midnight in the site's time zone) or date-time
    (`2025-01-31T12:00:00Z`; without an offset, the site's time zone)."""

    default_error_messages = {
        "invalid": _("Enter an ISO 8601 date or date-time, e.g. 2025-01-31T12:00:00Z."),
    }

    def to_python(self, value):
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


class UpdatedSinceFilter(filters.Filter):
    field_class = ISODateOrDateTimeField

    def __init__(self, **kwargs):
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


@extend_schema_field(OpenApiTypes.STR)
class KeyChoiceFilter(filters.ModelChoiceFilter):
    """A record named by a text key (slug, code, symbol): documented as a string."""


@extend_schema_field(OpenApiTypes.INT)
class NumberChoiceFilter(filters.ModelChoiceFilter):
    """A record named by a number (ordinal, id): documented as an integer."""


class CodeChoiceField(forms.ModelChoiceField):
    """A State by its code, whatever the case the client typed it in."""

    def to_python(self, value):
        return super().to_python(value.upper() if isinstance(value, str) else value)


class StateFilter(KeyChoiceFilter):
    field_class = CodeChoiceField

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", State.objects.all())
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault(
            "help_text", _("A State's code: ISO 3166-1 alpha-3 (MEX), or EU for the EU.")
        )
        kwargs.setdefault("error_messages", {"invalid_choice": _("No State has this code.")})
        super().__init__(**kwargs)


def theme_filter(field_name: str = "themes") -> filters.ModelChoiceFilter:
    return KeyChoiceFilter(
        field_name=field_name,
        queryset=Theme.objects.all(),
        to_field_name="slug",
        help_text=_("A theme's slug (see /api/v1/themes/)."),
        error_messages={"invalid_choice": _("No theme has this slug.")},
    )


def meeting_filter(field_name: str = "meeting") -> filters.ModelChoiceFilter:
    return NumberChoiceFilter(
        field_name=field_name,
        queryset=Meeting.objects.all(),
        to_field_name="ordinal",
        help_text=_("A meeting's ordinal: 7 is the 7th meeting (2020)."),
        error_messages={"invalid_choice": _("No meeting has this ordinal.")},
    )


def regional_group_filter(field_name: str = "regional_group") -> filters.ModelChoiceFilter:
    return KeyChoiceFilter(
        field_name=field_name,
        queryset=RegionalGroup.objects.all(),
        to_field_name="slug",
        help_text=_("A UN regional group's slug (see /api/v1/regional-groups/)."),
        error_messages={"invalid_choice": _("No regional group has this slug.")},
    )


def choice_filter(choices, help_text, field_name: str | None = None) -> filters.ChoiceFilter:
    kwargs = {"field_name": field_name} if field_name else {}
    return filters.ChoiceFilter(choices=choices, help_text=help_text, **kwargs)


@extend_schema_field({"type": "string", "enum": ["true", "false"]})
class BooleanChoiceFilter(filters.ChoiceFilter):
    """`true` or `false`, and nothing else (django-filter's BooleanFilter ignores a bad value)."""

    def __init__(self, **kwargs):
        kwargs["choices"] = [("true", "true"), ("false", "false")]
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if value in ("", None):
            return qs
        return super().filter(qs, value == "true")


CURRENT_STATUS_CHOICES = [*ImplementationStatus.choices, (NO_INFORMATION, _("No information"))]


def filter_current_status(queryset: QuerySet, name: str, value: str) -> QuerySet:
    """On a queryset annotated by a status selector: its `current_status`, where
    `no_information` means no validated report."""
    if value == NO_INFORMATION:
        return queryset.filter(current_status__isnull=True)
    return queryset.filter(current_status=value)


def current_status_filter() -> filters.ChoiceFilter:
    return filters.ChoiceFilter(
        choices=CURRENT_STATUS_CHOICES,
        method=lambda queryset, name, value: filter_current_status(queryset, name, value),
        help_text=_("The current status: a reported status, or no_information."),
    )


# --- FilterSets --------------------------------------------------------------------------------


class RecommendationFilter(filters.FilterSet):
    theme = theme_filter()
    meeting = meeting_filter()
    status = choice_filter(
        Recommendation.Status.choices, _("adopted, draft (text of a draft report) or proposed.")
    )
    strength = choice_filter(
        Recommendation.Strength.choices,
        _("Strength of language: should, encouraged (are encouraged to), may_consider."),
    )
    addressee = choice_filter(Recommendation.Addressee.choices, _("Whom it is addressed to."))
    proposer = StateFilter(help_text=_("Code of the State that proposed it (proposals)."))
    search = filters.CharFilter(
        method="filter_search",
        help_text=_(
            'Words in its text, chapeau or section title; "a phrase", or, -word work on '
            "PostgreSQL. Results come best match first unless `ordering` is given."
        ),
    )
    updated_since = UpdatedSinceFilter()

    parameter_examples = {
        "theme": "prevention",
        "meeting": 7,
        "status": "adopted",
        "strength": "should",
        "addressee": "states_parties",
        "proposer": "USA",
        "search": "contact points",
        "updated_since": "2025-01-31T12:00:00Z",
    }

    def filter_search(self, queryset, name, value):
        ranked = site_search.filter_recommendations(queryset, value)
        return ranked.order_by("-search_rank", "pk")


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


class StateStatusFilter(filters.FilterSet):
    """Rows are adopted recommendations annotated with one State's current status."""

    theme = theme_filter()
    meeting = meeting_filter()
    strength = choice_filter(Recommendation.Strength.choices, _("Strength of language."))
    status = current_status_filter()

    parameter_examples = {
        "theme": "international-cooperation",
        "meeting": 7,
        "strength": "should",
        "status": "no_information",
    }


class RecommendationStatusFilter(filters.FilterSet):
    """Rows are States annotated with their current status on one recommendation."""

    regional_group = regional_group_filter()
    protocol_status = choice_filter(State.ProtocolStatus.choices, _("Status towards the Protocol."))
    status = current_status_filter()

    parameter_examples = {
        "regional_group": "western-european-and-other-states",
        "protocol_status": "party",
        "status": "implemented",
    }


class ImplementationReportFilter(filters.FilterSet):
    state = StateFilter()
    recommendation = NumberChoiceFilter(
        queryset=Recommendation.objects.all(),
        help_text=_("A recommendation's id."),
        error_messages={"invalid_choice": _("No recommendation has this id.")},
    )
    theme = theme_filter("recommendation__themes")
    meeting = meeting_filter("recommendation__meeting")
    regional_group = regional_group_filter("state__regional_group")
    status = choice_filter(ImplementationStatus.choices, _("The status reported."))
    review_state = choice_filter(
        ImplementationReport.ReviewState.choices,
        _(
            "draft, submitted, validated or returned; others than validated are seen only by "
            "their State's focal points and the Secretariat."
        ),
    )
    source = choice_filter(ImplementationReport.Source.choices, _("Where the report comes from."))
    current = BooleanChoiceFilter(
        method="filter_current",
        help_text=_(
            "true: only each State's latest validated report on each recommendation (what its "
            "current status comes from); false: only the others."
        ),
    )
    is_demonstration = BooleanChoiceFilter(
        help_text=_("true: only the synthetic demonstration reports; false: only real ones.")
    )
    updated_since = UpdatedSinceFilter()

    parameter_examples = {
        "state": "MEX",
        "recommendation": 29,
        "theme": "prevention",
        "meeting": 7,
        "regional_group": "african-states",
        "status": "implemented",
        "review_state": "validated",
        "source": "questionnaire",
        "current": "true",
        "is_demonstration": "false",
        "updated_since": "2025-01-31T12:00:00Z",
    }

    def filter_current(self, queryset, name, value):
        current = ImplementationReport.objects.current().values("pk")
        if value == "true":
            return queryset.filter(pk__in=current)
        if value == "false":
            return queryset.exclude(pk__in=current)
        return queryset


class ThemeFilter(filters.FilterSet):
    updated_since = UpdatedSinceFilter()

    parameter_examples = {"updated_since": "2025-01-31T12:00:00Z"}


class RegionalGroupFilter(ThemeFilter):
    pass


class MeetingFilter(filters.FilterSet):
    year = filters.NumberFilter(help_text=_("The year it was held."))
    updated_since = UpdatedSinceFilter()

    parameter_examples = {"year": 2020, "updated_since": "2025-01-31"}


class AgendaItemFilter(filters.FilterSet):
    meeting = meeting_filter()
    updated_since = UpdatedSinceFilter()

    parameter_examples = {"meeting": 7, "updated_since": "2025-01-31"}


class DocumentFilter(filters.FilterSet):
    meeting = meeting_filter()
    theme = theme_filter()
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
        for word in site_search.query_words(value):
            condition &= (
                Q(symbol__icontains=word) | Q(title__icontains=word) | Q(summary__icontains=word)
            )
        return queryset.filter(condition)
