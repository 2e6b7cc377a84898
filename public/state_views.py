"""Public pages of States: the list (filtered by regional group and Protocol status) and each
State's scorecard, reports, meetings attended and statements."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.charts import status_chart
from core.statuses import label_status
from meetings.selectors import state_participations, state_statements
from recommendations.models import Theme
from reporting import selectors as reporting_selectors
from states.filters import StateListFilter
from states.models import State
from states.selectors import states_by_display_name, states_for_list

from .views import SOURCE_LABELS, status_history_rows


def state_list(request: HttpRequest) -> HttpResponse:
    """The States by name in the reader's language; `?q=` keeps those whose name or code holds
    it (what the page's type-ahead does in the browser, for readers without scripts)."""
    filterset = StateListFilter(request.GET, queryset=states_for_list())
    query = request.GET.get("q", "")[:100]
    return render(
        request,
        "public/state_list.html",
        {
            "filterset": filterset,
            "form": filterset.form,
            "query": query,
            "states": states_by_display_name(filterset.qs, query=query),
            "demonstration": reporting_selectors.demonstration_data_present(),
        },
    )


def state_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A State's scorecard: per theme, how many adopted recommendations it reports in each
    status (no information included), then every status, its reports, the meetings it
    attended and its statements."""
    if code != code.upper():
        return redirect("states:detail", code=code.upper(), permanent=True)
    state = get_object_or_404(State.objects.select_related("regional_group"), code=code)
    recommendations = [
        label_status(r) for r in reporting_selectors.recommendations_with_state_status(state=state)
    ]
    for rec in recommendations:
        rec.source_label = SOURCE_LABELS.get(rec.current_source, "")
    themes = list(Theme.objects.all())
    by_theme = reporting_selectors.tally_statuses(
        (
            (theme, rec)
            for rec in recommendations
            for theme in rec.themes.all()  # prefetched
        ),
        key=lambda pair: pair[0],
        status=lambda pair: pair[1].current_status,
    )
    scorecard = status_chart(
        (theme.name, None, by_theme[theme]) for theme in themes if theme in by_theme
    )
    overall = status_chart(
        (label, None, counts)
        for label, counts in reporting_selectors.tally_statuses(
            recommendations, key=lambda _rec: _("All adopted recommendations")
        ).items()
    )
    context = {
        "state": state,
        # Recommendations with a validated report: none means the page has no figures to
        # chart, only the fact that the State has not reported yet.
        "reported_count": sum(1 for rec in recommendations if rec.current_status),
        "scorecard": scorecard,
        "overall": overall,
        "recommendations": recommendations,
        "status_history": status_history_rows(state=state),
        "participations": state_participations(state=state),
        "statements": state_statements(state=state),
        "demonstration": reporting_selectors.demonstration_data_present(),
    }
    return render(request, "public/state_detail.html", context)
