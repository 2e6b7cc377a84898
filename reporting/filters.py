"""The API's filters of implementation reports and of current statuses."""

from __future__ import annotations

import django_filters as filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.api.filters import (
    BooleanChoiceFilter,
    NumberChoiceFilter,
    UpdatedSinceFilter,
    choice_filter,
)
from core.statuses import CURRENT_STATUS_CHOICES, NO_INFORMATION, ImplementationStatus
from meetings.filters import meeting_filter
from recommendations.filters import theme_filter
from recommendations.models import Recommendation
from states.filters import StateChoiceFilter, regional_group_filter
from states.models import State

from .models import CurrentStatus, ImplementationReport
from .selectors import status_matrix_pages


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
    state = StateChoiceFilter()
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
        # The current reports as kept in CurrentStatus (one index scan, no search of history).
        current = CurrentStatus.objects.values("report_id")
        if value == "true":
            return queryset.filter(pk__in=current)
        if value == "false":
            return queryset.exclude(pk__in=current)
        return queryset


class StatusMatrixFilter(filters.FilterSet):
    """Rows are (State party, adopted recommendation) pairs: `state` and `regional_group`
    choose the States, `theme` and `meeting` the recommendations, `status` the pairs.

    The filters validate the parameters (a value that names nothing is a 400 naming it);
    `filter_queryset` then turns the States into the pairs (reporting/selectors.py:
    `status_matrix_pages`), which the view pages a window at a time, or reads whole to
    stream or spread into a workbook.
    """

    state = StateChoiceFilter()
    regional_group = regional_group_filter()
    theme = theme_filter()
    meeting = meeting_filter()
    status = filters.ChoiceFilter(
        choices=CURRENT_STATUS_CHOICES,
        help_text=_("The current status: a reported status, or no_information."),
    )

    parameter_examples = {
        "state": "MEX",
        "regional_group": "african-states",
        "theme": "prevention",
        "meeting": 7,
        "status": "no_information",
    }

    def filter_queryset(self, queryset):  # States in, StatusMatrixPages out
        data = self.form.cleaned_data
        states = queryset.filter(protocol_status=State.ProtocolStatus.PARTY)
        if data.get("state"):
            states = states.filter(pk=data["state"].pk)
        if data.get("regional_group"):
            states = states.filter(regional_group=data["regional_group"])
        recommendations = Recommendation.objects.filter(status=Recommendation.Status.ADOPTED)
        if data.get("theme"):
            recommendations = recommendations.filter(themes=data["theme"])
        if data.get("meeting"):
            recommendations = recommendations.filter(meeting=data["meeting"])
        return status_matrix_pages(
            states=states, recommendations=recommendations, status=data.get("status") or None
        )
