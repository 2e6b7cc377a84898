"""Public pages of States: the list (filtered by regional group and Protocol status), each
State's page (scorecard, a page of its statuses, its latest reports, meetings attended and
statements) and the page of all its reports.

Every page shows a bounded amount of data in a fixed number of queries whatever the number of
recommendations, reports and meetings: statuses are read from CurrentStatus by key, long lists
are paged or cut to the latest few with a link to the rest (tests/public/test_states.py pins
the counts).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.charts import status_chart
from core.statuses import STATUS_LABELS, label_status
from meetings.selectors import state_participations, state_statements
from reporting import selectors as reporting_selectors
from reporting.models import ImplementationReport
from states.filters import StateListFilter
from states.models import State
from states.selectors import states_by_display_name, states_for_list

from . import selectors
from .views import SOURCE_LABELS

# Meetings attended and statements listed on a State's page: the most recent ones.
LATEST_ON_PAGE = 20


def state_list(request: HttpRequest) -> HttpResponse:
    """The States by name in the reader's language; `?q=` keeps those whose name or code holds
    it (what the page's type-ahead does in the browser, for readers without scripts)."""
    filterset = StateListFilter(request.GET, queryset=states_for_list())
    query = request.GET.get("q", "")[:100]
    states: list[Any] = states_by_display_name(filterset.qs, query=query)
    reported = selectors.recommendations_reported_by_state()
    for state in states:
        state.recommendations_reported = reported.get(state.pk, 0)
    return render(
        request,
        "public/state_list.html",
        {
            "filterset": filterset,
            "form": filterset.form,
            "query": query,
            "states": states,
            "demonstration": reporting_selectors.demonstration_data_present(),
        },
    )


def _report_rows(reports: Iterable[ImplementationReport]) -> list[Any]:
    """Validated reports labelled for display, each with the status it replaced."""
    rows = []
    report: Any
    for report in reports:
        label_status(report, "status")
        report.source_label = SOURCE_LABELS.get(report.source, "")
        report.previous_label = (
            STATUS_LABELS.get(report.supersedes.status, "") if report.supersedes_id else ""
        )
        rows.append(report)
    return rows


def _latest(queryset: Any, limit: int) -> tuple[list[Any], bool]:
    """The first `limit` rows and whether there are more (one query: limit + 1 rows read)."""
    rows = list(queryset[: limit + 1])
    return rows[:limit], len(rows) > limit


def state_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A State's page: its scorecard (per theme and overall, how many adopted recommendations
    it reports in each status, no information included), a page of its status on each
    adopted recommendation, its latest reports (all of them on its reports page), the
    meetings it attended and its statements (the most recent)."""
    if code != code.upper():
        return redirect("states:detail", code=code.upper(), permanent=True)
    state = get_object_or_404(State.objects.select_related("regional_group"), code=code)
    card = selectors.state_scorecard(state=state)
    context: dict[str, Any] = {
        "state": state,
        "adopted_count": card.adopted,
        # Recommendations with a validated report: none means the page has no figures to
        # chart and no statuses to list, only the fact that the State has not reported yet.
        "reported_count": card.reported,
    }
    if card.reported:
        # Orphans: a last page of a few rows joins the one before (today's 22 on one page).
        paginator = Paginator(
            selectors.state_recommendations_page(), settings.PUBLIC_SITE_PAGE_SIZE, orphans=5
        )
        # The scorecard has counted the adopted recommendations: the pages need no count.
        paginator.count = card.adopted
        page = paginator.get_page(request.GET.get("page"))
        rows = selectors.attach_state_statuses(page.object_list, state=state)
        for row in rows:
            label_status(row)
            row.source_label = SOURCE_LABELS.get(row.current_source, "")
        reports, more_reports = _latest(
            reporting_selectors.status_history(state=state),
            settings.PUBLIC_STATE_LATEST_REPORTS,
        )
        context |= {
            "scorecard": status_chart(
                (theme.name, None, counts) for theme, counts in card.by_theme
            ),
            "overall": status_chart([(_("All adopted recommendations"), None, card.overall)]),
            "recommendations": rows,
            "page_obj": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "status_history": _report_rows(reports),
            "more_reports": more_reports,
        }
    participations, more_participations = _latest(state_participations(state=state), LATEST_ON_PAGE)
    statements, more_statements = _latest(state_statements(state=state), LATEST_ON_PAGE)
    context |= {
        "participations": participations,
        "more_participations": more_participations,
        "statements": statements,
        "more_statements": more_statements,
        "latest_count": LATEST_ON_PAGE,
        "demonstration": reporting_selectors.demonstration_data_present(),
    }
    return render(request, "public/state_detail.html", context)


def state_reports(request: HttpRequest, code: str) -> HttpResponse:
    """Every validated report of a State, newest first, a page at a time."""
    if code != code.upper():
        return redirect("states:reports", code=code.upper(), permanent=True)
    state = get_object_or_404(State.objects.select_related("regional_group"), code=code)
    paginator = Paginator(
        reporting_selectors.status_history(state=state), settings.PUBLIC_SITE_PAGE_SIZE
    )
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "state": state,
        "status_history": _report_rows(page.object_list),
        "page_obj": page,
        "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "demonstration": reporting_selectors.demonstration_data_present(),
    }
    return render(request, "public/state_reports.html", context)
