"""The filters of the public recommendation list, its downloads (and the API, which may reuse
them): theme, meeting, status, strength, addressee, one State's reported status, words, sort.

They live in the URL's query string, so a filtered list can be bookmarked and shared, and a
download asks for exactly the rows on screen. Choices are read when the form is built (one
query per model list), so validating a value never costs a query of its own.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Case, Exists, IntegerField, OuterRef, Value, When
from django.utils.translation import gettext_lazy as _

from core.statuses import CURRENT_STATUS_CHOICES, NO_INFORMATION
from meetings.models import Meeting
from recommendations import search
from recommendations.models import Recommendation, Theme
from reporting.models import CurrentStatus
from reporting.selectors import recommendations_with_state_status
from states.models import State


def meeting_label(meeting: Meeting) -> str:
    return _("Meeting %(ordinal)s (%(year)s)") % {"ordinal": meeting.ordinal, "year": meeting.year}


def theme_choices() -> list[tuple[str, str]]:
    return list(Theme.objects.values_list("slug", "name"))


def meeting_choices(limit: int | None = None) -> list[tuple[int, str]]:
    """The meetings as (ordinal, label), first to last; with `limit`, at most limit + 1 of
    them are read, enough to know whether there are more than `limit`."""
    meetings = Meeting.objects.only("ordinal", "year").order_by("ordinal")
    if limit is not None:
        meetings = meetings[: limit + 1]
    return [(m.ordinal, meeting_label(m)) for m in meetings]


def state_choices() -> list[tuple[str, str]]:
    return list(State.objects.order_by("name").values_list("code", "name"))


SORT_OLDEST, SORT_STRENGTH, SORT_RELEVANCE = "oldest", "strength", "relevance"
# The default (no `sort` in the address, so that it stays short): newest meeting first, or
# best match first when words are given.
SORT_DEFAULT_LABEL = _("Newest meeting first (best match first with words)")
SORT_CHOICES = [
    (SORT_OLDEST, _("Oldest meeting first")),
    (SORT_STRENGTH, _("Firmest language first")),
    (SORT_RELEVANCE, _("Best match first (with words)")),
]
_IN_REPORT_ORDER = ("status", "order", "pk")
_STRENGTH_ORDER = {
    Recommendation.Strength.SHOULD: 0,
    Recommendation.Strength.ENCOURAGED: 1,
    Recommendation.Strength.MAY_CONSIDER: 2,
}


class RecommendationFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        if data.get("state_status") and not data.get("state"):
            self.add_error(
                "state", _("Choose the State whose reported status you want to filter by.")
            )
        return data


class MeetingNumberFilter(django_filters.NumberFilter):
    """A meeting by its number, typed: what the meeting filter becomes when there are too
    many meetings for a dropdown (same `meeting` parameter, so links keep working)."""

    field_class = forms.IntegerField


def meeting_number_filter() -> MeetingNumberFilter:
    return MeetingNumberFilter(
        label=_("Meeting number"),
        field_name="meeting__ordinal",
        min_value=1,
        help_text=_("The meeting's number, for example 7 for the 7th meeting (2020)."),
        widget=forms.NumberInput(attrs={"min": 1, "aria-describedby": "id_meeting-hint"}),
    )


def _unfiltered(queryset, name, value):
    # Applied together in `filter_queryset`: a status needs its State, the sort comes last.
    return queryset


class RecommendationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Words"),
        method=_unfiltered,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    theme = django_filters.ChoiceFilter(
        label=_("Theme"), method="filter_theme", choices=theme_choices, empty_label=_("Any")
    )
    meeting = django_filters.ChoiceFilter(
        label=_("Meeting"),
        field_name="meeting__ordinal",
        choices=meeting_choices,
        empty_label=_("Any"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Recommendation.Status.choices, empty_label=_("Any")
    )
    strength = django_filters.ChoiceFilter(
        label=_("Strength of language"),
        choices=Recommendation.Strength.choices,
        empty_label=_("Any"),
    )
    addressee = django_filters.ChoiceFilter(
        label=_("Addressed to"),
        choices=Recommendation.Addressee.choices,
        empty_label=_("Anyone"),
    )
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=state_choices, method=_unfiltered, empty_label=_("Any")
    )
    state_status = django_filters.ChoiceFilter(
        label=_("Status reported by that State"),
        choices=CURRENT_STATUS_CHOICES,
        method=_unfiltered,
        empty_label=_("Any"),
    )
    # "any": with words, the recommendations holding some of them too, where many hold them
    # (recommendations/search.py); set by the link the results offer, kept by the form.
    match = django_filters.ChoiceFilter(
        label=_("Match"),
        choices=[("any", _("Some of the words"))],
        method=_unfiltered,
        widget=forms.HiddenInput,
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort"),
        choices=SORT_CHOICES,
        method=_unfiltered,
        empty_label=SORT_DEFAULT_LABEL,
    )

    class Meta:
        model = Recommendation
        fields: list[str] = []
        form = RecommendationFilterForm

    def __init__(self, *args, annotate_state_status: bool = True, **kwargs):
        """`annotate_state_status`: whether each row of `qs` carries the chosen State's status
        as annotations (the downloads read them); the list page passes False and gives its
        page of rows their statuses with one query by key (public/selectors.py)."""
        super().__init__(*args, **kwargs)
        self.annotate_state_status = annotate_state_status
        # Each list is read once, here: the form then validates and renders from the same list.
        themes = list(Theme.objects.values_list("pk", "slug", "name"))
        self._theme_ids = {slug: pk for pk, slug, _name in themes}
        self.filters["theme"].extra["choices"] = [(slug, name) for _pk, slug, name in themes]
        self.filters["state"].extra["choices"] = state_choices()
        # A dropdown of every meeting grows with the years: past the limit, a number field.
        limit = settings.PUBLIC_FILTER_SELECT_LIMIT
        meetings = meeting_choices(limit)
        if len(meetings) > limit:
            self.filters["meeting"] = meeting_number_filter()
            self.filters["meeting"].parent = self
        else:
            self.filters["meeting"].extra["choices"] = meetings

    def filter_theme(self, queryset, name, value):
        # The theme's id from the choices already read: the filter joins the link table
        # only, not the themes.
        return queryset.filter(themes=self._theme_ids[value])

    @property
    def selected_state(self) -> State | None:
        """The State chosen in the form, read once (one query) when the list shows its
        statuses."""
        if not hasattr(self, "_selected_state"):
            code = self.form.cleaned_data.get("state") if self.form.is_valid() else None
            self._selected_state = State.objects.filter(code=code).first() if code else None
        return self._selected_state

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        state = self.selected_state if data.get("state") else None
        if state is not None:
            # The State's rows of CurrentStatus, by its (state, status) index: a semi-join
            # (or an anti-join for no information), never a status derived row by row.
            current = CurrentStatus.objects.filter(state=state)
            wanted = data.get("state_status")
            if wanted == NO_INFORMATION:
                queryset = queryset.filter(~Exists(current.filter(recommendation=OuterRef("pk"))))
            elif wanted:
                queryset = queryset.filter(
                    pk__in=current.filter(status=wanted).values("recommendation_id")
                )
            if self.annotate_state_status:
                queryset = recommendations_with_state_status(state=state, recommendations=queryset)
        words = data.get("q") or ""
        if words.strip():
            # The page highlights the rows with the same plan (search.plan_for_request).
            plan = (
                search.plan_for_request(self.request, words)
                if self.request is not None
                else search.plan_query(words)
            )
            queryset = search.filter_recommendations(
                queryset, plan, match_any=data.get("match") == "any"
            )
        return self._sorted(queryset, data.get("sort") or "", bool(words.strip()))

    @staticmethod
    def _sorted(queryset, sort: str, searching: bool):
        if searching and sort in {SORT_RELEVANCE, ""}:
            return queryset.order_by("-search_rank", "-meeting__ordinal", *_IN_REPORT_ORDER)
        if sort == SORT_OLDEST:
            return queryset.order_by("meeting__ordinal", *_IN_REPORT_ORDER)
        if sort == SORT_STRENGTH:
            firmness = Case(
                *(When(strength=s, then=Value(rank)) for s, rank in _STRENGTH_ORDER.items()),
                output_field=IntegerField(),
            )
            return queryset.order_by(firmness, "-meeting__ordinal", *_IN_REPORT_ORDER)
        return queryset.order_by("-meeting__ordinal", *_IN_REPORT_ORDER)
