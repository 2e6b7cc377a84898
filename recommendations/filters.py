"""The API's filters (django-filter FilterSets), one per list resource.

The same parameter means the same thing everywhere: `theme` is a theme's slug, `meeting` a
meeting's ordinal, `state` a State's code (ISO 3166-1 alpha-3, EU for the European Union),
`regional_group` a group's slug, `updated_since` an ISO 8601 date or date-time. A value that
names nothing is a 400 naming the parameter, never an empty 200: an empty list would read as
"nothing matches" when the client's request was wrong. Free-text search uses the site's own
search (recommendations/search.py), so the API and the list page find the same things.
"""

from __future__ import annotations

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from core.api.filters import (
    KeyChoiceFilter,
    UpdatedSinceFilter,
    choice_filter,
)
from meetings.filters import meeting_filter
from states.filters import StateChoiceFilter

from . import search as site_search
from .models import Recommendation, Theme


def theme_filter(field_name: str = "themes") -> filters.ModelChoiceFilter:
    return KeyChoiceFilter(
        field_name=field_name,
        queryset=Theme.objects.all(),
        to_field_name="slug",
        help_text=_("A theme's slug (see /api/v1/themes/)."),
        error_messages={"invalid_choice": _("No theme has this slug.")},
    )


def theme_link_count(*, slug: str) -> int:
    """How many recommendations `?theme=slug` alone selects: the theme's rows of the link
    table (a recommendation is linked to a theme once), counted by the link table's index
    without joining the recommendations. One query; 0 for a slug that names no theme (the
    filter has then answered 400 before any count)."""
    return Recommendation.themes.through.objects.filter(theme__slug=slug).count()


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
    proposer = StateChoiceFilter(help_text=_("Code of the State that proposed it (proposals)."))
    search = filters.CharFilter(
        method="filter_search",
        help_text=_(
            'Words in its text, chapeau or section title; "a phrase", or, -word work. Every '
            "word matched ranks first, then most words, then other forms, thesaurus terms "
            "(JIT, MLA, French terms) and corrected misspellings; each result's `highlight` "
            "says where it matched. Best match first unless `ordering` is given."
        ),
    )
    search_match = filters.ChoiceFilter(
        method="filter_search_match",
        choices=[("all", "all"), ("any", "any")],
        help_text=_(
            "With `search`: `all` (the default) keeps only the recommendations holding every "
            "word when more than 1,000 hold some of them and at least one holds them all; "
            "`any` ranks every recommendation holding some word."
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
        "search_match": "any",
        "updated_since": "2025-01-31T12:00:00Z",
    }

    def filter_search(self, queryset, name, value):
        # The serializer's `highlight` reads the same plan (search.plan_for_request).
        plan = (
            site_search.plan_for_request(self.request, value)
            if self.request is not None
            else site_search.plan_query(value)
        )
        match_any = self.form.cleaned_data.get("search_match") == "any"
        ranked = site_search.filter_recommendations(queryset, plan, match_any=match_any)
        return ranked.order_by("-search_rank", "pk")

    def filter_search_match(self, queryset, name, value):
        # Read by filter_search.
        return queryset

    def filter_queryset(self, queryset):
        # The search after every other filter: the count it makes to choose what it keeps
        # (SearchPlan.match_count) is then the list's own (RecommendationViewSet.count_rows).
        data = self.form.cleaned_data
        for name in sorted(data, key=lambda name: name == "search"):
            queryset = self.filters[name].filter(queryset, data[name])
        return queryset


class ThemeFilter(filters.FilterSet):
    updated_since = UpdatedSinceFilter()

    parameter_examples = {"updated_since": "2025-01-31T12:00:00Z"}
