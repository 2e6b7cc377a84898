"""The public pages: dashboard, recommendations (list, page, downloads), themes, search.

Views stay thin: they validate the query string, call selectors, and shape rows for the
templates (labels for status values, chart geometry), which Django's template language cannot
do itself. Every page costs a fixed number of queries whatever the data size; the tests in
tests/public pin each count.
"""

from __future__ import annotations

from collections.abc import Iterator
from difflib import SequenceMatcher
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.charts import pairs, share_percent, status_chart
from core.data_versions.rendering import rendered_under_versions
from core.paging import CappedPaginator
from core.spreadsheets import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    csv_stream,
    download_filename,
    keep_language,
    xlsx_table,
)
from core.statuses import STATUS_LABELS, label_status
from meetings.models import Document
from recommendations import selectors as recommendation_selectors
from recommendations.models import Recommendation, Theme
from recommendations.search import (
    SEARCH_CANDIDATES,
    SearchFilters,
    SearchResults,
    highlight_recommendations,
    plan_for_request,
    search_site,
)
from recommendations.similarity import similar_recommendations
from reporting import selectors as reporting_selectors
from reporting.demonstration import demonstration_note
from reporting.models import ImplementationReport
from states.selectors import protocol_participation

from . import selectors
from .filters import RecommendationFilter, meeting_label

SOURCE_LABELS = dict(ImplementationReport.Source.choices)


# --- Shaping rows for templates --------------------------------------------------------------


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """A word-level diff of two texts: [("equal"|"delete"|"insert", words), ...], in order.

    Words, not characters, because delegates compare wording ("States Parties" against
    "States parties"); difflib's matcher without its junk heuristic, which would otherwise
    ignore frequent words such as "the" in longer texts.
    """
    a, b = old.split(), new.split()
    parts: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            parts.append(("equal", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(("delete", " ".join(a[i1:i2])))
        if j2 > j1:
            parts.append(("insert", " ".join(b[j1:j2])))
    return parts


def legal_reference_labels(references: list[dict]) -> list[str]:
    """ "article 19 of the Convention" from {"instrument": "convention", "article": 19}."""
    instruments = {
        "convention": _("the Organized Crime Convention"),
        "protocol": _("the Smuggling of Migrants Protocol"),
    }
    labels = []
    for ref in references or []:
        instrument = instruments.get(ref.get("instrument"), ref.get("instrument") or "")
        if ref.get("article"):
            label = _("article %(article)s of %(instrument)s") % {
                "article": ref["article"],
                "instrument": instrument,
            }
            if ref.get("paragraph"):
                label = _("%(reference)s, paragraph %(paragraph)s") % {
                    "reference": label,
                    "paragraph": ref["paragraph"],
                }
        else:
            label = instrument
        labels.append(label)
    return labels


# --- Pages -----------------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    """The dashboard: headline figures, implementation by theme and by regional group (the
    first rows of the latest snapshot), the latest meeting and the latest validated reports.
    Nine queries whatever the data size, seven once its counts are cached
    (tests/public/test_dashboard.py)."""
    figures = selectors.headline_figures()
    implementation = selectors.home_implementation()
    figures["share_implemented_percent"] = implementation.share_implemented_percent
    latest_reports = [
        label_status(r, "status") for r in reporting_selectors.latest_validated_reports()
    ]
    context = {
        "figures": figures,
        "implementation": implementation,
        "theme_chart": status_chart(
            (
                row.identity["name"],
                reverse("recommendations:theme_detail", args=[row.key]),
                row.counts(),
            )
            for row in implementation.by_theme
        ),
        "group_chart": status_chart(
            (row.identity["name"], None, row.counts()) for row in implementation.by_regional_group
        ),
        "latest_meeting": selectors.latest_meeting(),
        "protocol": protocol_participation(),
        "latest_reports": latest_reports,
        "demonstration": reporting_selectors.demonstration_data_present(),
    }
    return render(request, "public/home.html", context)


def _filterset(request: HttpRequest) -> RecommendationFilter:
    return RecommendationFilter(
        request.GET, queryset=recommendation_selectors.recommendation_list(), request=request
    )


def recommendation_list(request: HttpRequest) -> HttpResponse:
    """Recommendations filtered, sorted and paginated from the query string (the count capped
    at settings.LIST_COUNT_CAP; with a State chosen, the page's rows get its statuses by key).

    htmx requests aimed at the results (the filter form, the page links) get the results
    fragment only; everything else, including htmx's history restoration, the whole page.
    """
    filterset = RecommendationFilter(
        request.GET,
        queryset=recommendation_selectors.recommendation_list(),
        request=request,
        annotate_state_status=False,
    )
    filterset.is_valid()
    rows_selected = filterset.qs
    words = (filterset.form.cleaned_data.get("q") or "").strip()
    # The plan the filter searched with (it searches last): its count, when it made one, is
    # the list's. Highlighting reads it too, without a query.
    plan = plan_for_request(request, words) if words else None
    # The count stops at LIST_COUNT_CAP: past it the page says "more than".
    paginator = CappedPaginator(
        rows_selected,
        settings.PUBLIC_SITE_PAGE_SIZE,
        known_count=plan.match_count if plan is not None else None,
    )
    page = paginator.get_page(request.GET.get("page"))
    state = filterset.selected_state
    rows = list(page.object_list)
    if state is not None:
        for row in selectors.attach_state_statuses(rows, state=state):
            label_status(row)
    match_any_url = None
    if plan is not None:
        highlight_recommendations(rows, plan)
        if plan.every_clause_only:
            params = request.GET.copy()
            params.pop("page", None)
            params["match"] = "any"
            match_any_url = f"?{params.urlencode()}"
    context = {
        "match_any_url": match_any_url,
        "search_candidates": SEARCH_CANDIDATES,
        "filterset": filterset,
        "form": filterset.form,
        "page_obj": page,
        "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "htmx_target": "results",
        "recommendations": rows,
        "selected_state": state,
        "results_demonstration": state is not None
        and reporting_selectors.demonstration_data_present(),
    }
    partial = (
        request.htmx
        and not request.htmx.history_restore_request
        and request.htmx.target == "results"
    )
    template = "public/_results.html" if partial else "public/recommendation_list.html"
    response = render(request, template, context)
    # The same URL answers a fragment or a page depending on this header: caches must know.
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


EXPORT_FORMATS = {"csv", "xlsx"}

# The download's columns: field names, the same in every interface language, so that a
# script reading the file works whatever language it was downloaded in (the values, such as
# status labels and theme names, are in the interface language).
EXPORT_COLUMNS = [
    "meeting",
    "year",
    "label",
    "status",
    "section",
    "agenda_item",
    "addressee",
    "strength",
    "themes",
    "provisions",
    "text",
    # The language `text` is in: the reader's where its official version is recorded, else
    # "en" (never a translation passed off as official).
    "text_language",
]
EXPORT_STATE_COLUMNS = ["state", "state_status", "state_status_as_of"]
# Rows read per query (and per prefetch of their themes) while a download streams.
EXPORT_CHUNK = 2000


def recommendation_export(request: HttpRequest, format: str) -> HttpResponseBase:
    """The current selection (same filters as the list, all pages) as CSV or XLSX.

    CSV streams (with a byte-order mark, for Excel); XLSX has a bold, frozen header row with
    an autofilter and an "About" sheet saying what the file holds. Every text cell is
    neutralised against formula injection (core/spreadsheets.py). The file name carries the
    filters: wgsom-recommendations-theme-prevention-meeting-7.csv.
    """
    if format not in EXPORT_FORMATS:
        raise Http404(_("Downloads are offered as CSV or XLSX."))
    filterset = _filterset(request)
    if not filterset.is_valid():
        errors = "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in filterset.form.errors.items()
        )
        return HttpResponseBadRequest(errors, content_type="text/plain; charset=utf-8")
    state = filterset.selected_state
    header = EXPORT_COLUMNS + (EXPORT_STATE_COLUMNS if state is not None else []) + ["url"]
    chosen = [
        (name, filterset.form.cleaned_data.get(name))
        for name in filterset.filters
        if filterset.form.cleaned_data.get(name)
    ]
    filename = download_filename(["wgsom-recommendations"], chosen, format)
    rows = _export_rows(request, filterset.qs, state)
    response: HttpResponseBase
    if format == "csv":
        response = StreamingHttpResponse(
            csv_stream(header, keep_language(rows), bom=True), content_type=CSV_CONTENT_TYPE
        )
    else:
        about: list[tuple[str, object]] = [
            (_("What"), _("Recommendations of the Working Group on the Smuggling of Migrants.")),
            (_("Filters"), "; ".join(f"{n}={v}" for n, v in chosen) or _("none")),
            (_("Made"), timezone.now().isoformat(timespec="seconds")),
            (_("Source"), request.build_absolute_uri()),
        ]
        if state is not None and reporting_selectors.demonstration_data_present():
            about.append((_("Demonstration data"), demonstration_note()))
        response = HttpResponse(
            xlsx_table(title="Recommendations", header=header, rows=rows, about=about),
            content_type=XLSX_CONTENT_TYPE,
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _export_rows(request, queryset, state) -> Iterator[list]:
    """One row per recommendation, under EXPORT_COLUMNS (and EXPORT_STATE_COLUMNS with a
    State), read in chunks with their themes prefetched."""
    if isinstance(queryset, QuerySet):
        queryset = queryset.iterator(chunk_size=EXPORT_CHUNK)
    for rec in queryset:
        shown = rec.displayed
        row = [
            rec.meeting.ordinal,
            rec.meeting.year,
            rec.label,
            str(rec.get_status_display()),
            rec.section,
            rec.agenda_item.label if rec.agenda_item else None,
            str(rec.get_addressee_display()),
            str(rec.get_strength_display()),
            "; ".join(t.name for t in rec.themes.all()),
            "; ".join(str(label) for label in legal_reference_labels(rec.legal_references)),
            " ".join(filter(None, [shown.chapeau, shown.text])),
            shown.language,
        ]
        if state is not None:
            label_status(rec)
            row += [state.display_name, str(rec.status_label), rec.current_as_of]
        row.append(request.build_absolute_uri(reverse("recommendations:detail", args=[rec.pk])))
        yield row


def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A recommendation: its text and source, how a proposal became it (word diff), the
    implementation picture by regional group and by State, and its change history.

    The content is the same for every reader in a language and shows up to every State
    party, so it is rendered once per change of the published data and kept
    (rendered_under_versions): a reader between two writes costs the recommendation's row
    and the versions."""
    recommendation = get_object_or_404(
        Recommendation.objects.select_related("meeting").only(
            "pk", "label", "status", "meeting__ordinal", "meeting__year"
        ),
        pk=pk,
    )
    content = rendered_under_versions(
        request,
        key=f"recommendation:{pk}",
        template="public/_recommendation_detail_content.html",
        context=lambda: _recommendation_content(pk),
    )
    context = {
        "recommendation": recommendation,
        "meeting_name": meeting_label(recommendation.meeting),
        "content": content,
    }
    return render(request, "public/recommendation_detail.html", context)


def _recommendation_content(pk: int) -> dict[str, Any]:
    recommendation = recommendation_selectors.recommendation_for_page().get(pk=pk)
    comparisons = []
    if recommendation.adopted_as_id:
        comparisons.append((recommendation, recommendation.adopted_as))
    comparisons += [(proposal, recommendation) for proposal in recommendation.proposals.all()]
    is_proposal = recommendation.status == Recommendation.Status.PROPOSED
    states = []
    group_chart = status_chart([])
    if not is_proposal:
        states = [
            label_status(s)
            for s in reporting_selectors.states_with_recommendation_status(
                recommendation=recommendation
            )
        ]
        for state in states:
            state.source_label = SOURCE_LABELS.get(state.current_source, "")
        tallies = reporting_selectors.tally_statuses(states, key=lambda s: s.regional_group)
        ordered = sorted(tallies.items(), key=lambda item: (item[0] is None, str(item[0] or "")))
        group_chart = status_chart(
            (str(group or _("No regional group")), None, counts) for group, counts in ordered
        )
    context = {
        "recommendation": recommendation,
        "meeting_name": meeting_label(recommendation.meeting),
        "legal_references": legal_reference_labels(recommendation.legal_references),
        "comparisons": [
            {"old": old, "new": new, "diff": word_diff(old.text, new.text)}
            for old, new in comparisons
        ],
        "is_proposal": is_proposal,
        "states": states,
        "states_reported": sum(1 for s in states if s.current_status),
        "group_chart": group_chart,
        "status_history": status_history_rows(recommendation=recommendation),
        "change_history": recommendation_selectors.recommendation_change_history(
            recommendation=recommendation
        ),
        "similar": similar_recommendations(recommendation, limit=5),
        "demonstration": reporting_selectors.demonstration_data_present(),
    }
    return context


def status_history_rows(**kwargs) -> list:
    """The validated reports of a State or on a recommendation, newest first
    (reporting_selectors.status_history), each labelled for display, with what it replaced."""
    rows = []
    for entry in reporting_selectors.status_history(**kwargs):
        label_status(entry, "status")
        entry.source_label = SOURCE_LABELS.get(entry.source, "")
        entry.previous_label = (
            STATUS_LABELS.get(entry.supersedes.status, "") if entry.supersedes_id else ""
        )
        rows.append(entry)
    return rows


def theme_list(request: HttpRequest) -> HttpResponse:
    """Every theme with its counts and implementation rate (its row of the latest snapshot).
    Four queries whatever the data size, three once the counts are cached."""
    rates = selectors.theme_figures_by_slug()
    themes = recommendation_selectors.themes_with_counts()
    for theme in themes:
        rate = rates.get(theme.slug)
        # No pairs (no adopted recommendation in the theme): no rate rather than 0 %.
        theme.share_percent = share_percent(rate.counts()) if rate else None
    context = {
        "themes": themes,
        "demonstration": reporting_selectors.demonstration_data_present(),
    }
    return render(request, "public/theme_list.html", context)


# Background papers a theme page lists (by symbol); the compendium files fewer than twenty
# under any theme, so the bound only matters on a much larger site.
THEME_DOCUMENTS_SHOWN = 50


def theme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A theme: its key topics, its implementation rate and chart (its one row of the latest
    snapshot), its recommendations a page at a time (settings.PUBLIC_SITE_PAGE_SIZE, the
    count capped as on the recommendation list), and its background papers. Seven queries
    whatever the data size."""
    theme = get_object_or_404(Theme, slug=slug)
    row = selectors.theme_figures(theme=theme)
    rate = row.counts() if row is not None else None
    # A theme without adopted recommendations has no pairs to count: no rate, no chart.
    chart = status_chart([(theme.name, None, rate)] if rate and pairs(rate) else [])
    paginator = CappedPaginator(
        recommendation_selectors.theme_recommendations(theme=theme),
        settings.PUBLIC_SITE_PAGE_SIZE,
    )
    page = paginator.get_page(request.GET.get("page"))
    documents = list(
        theme.documents.select_related("meeting").order_by("symbol")[: THEME_DOCUMENTS_SHOWN + 1]
    )
    context = {
        "theme": theme,
        "recommendations": list(page.object_list),
        "page_obj": page,
        "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "documents": documents[:THEME_DOCUMENTS_SHOWN],
        "more_documents": len(documents) > THEME_DOCUMENTS_SHOWN,
        "chart": chart,
        "share_percent": share_percent(rate) if rate else None,
        "demonstration": reporting_selectors.demonstration_data_present(),
    }
    return render(request, "public/theme_detail.html", context)


class SearchForm(forms.Form):
    """The search box, and the facets chosen on the results (links, so hidden here)."""

    q = forms.CharField(
        label=gettext_lazy("Search"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    meeting = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    theme = forms.SlugField(required=False, max_length=80, widget=forms.HiddenInput)
    status = forms.ChoiceField(
        required=False, choices=Recommendation.Status.choices, widget=forms.HiddenInput
    )
    kind = forms.ChoiceField(
        required=False, choices=Document.Kind.choices, widget=forms.HiddenInput
    )
    # "any": the recommendations holding some of the words too, where many hold them.
    match = forms.ChoiceField(required=False, choices=[("any", "any")], widget=forms.HiddenInput)

    def search_filters(self) -> SearchFilters:
        data = self.cleaned_data
        return SearchFilters(
            meeting=data.get("meeting"),
            theme=data.get("theme") or None,
            status=data.get("status") or None,
            kind=data.get("kind") or None,
        )


def _link_facets(request: HttpRequest, results: SearchResults) -> None:
    """Give each facet value the address that chooses it, or that removes it when chosen."""
    for name, values in results.facets.items():
        for facet in values:
            params = request.GET.copy()
            params.pop(name, None)
            if not facet.selected:
                params[name] = facet.value
            facet.url = f"?{params.urlencode()}"


def search(request: HttpRequest) -> HttpResponse:
    """One box across recommendations, documents and meetings' agenda items, with facets."""
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid() and form.cleaned_data["q"].strip():
        results = search_site(
            form.cleaned_data["q"],
            filters=form.search_filters(),
            match_any=form.cleaned_data["match"] == "any",
        )
        _link_facets(request, results)
    context = {"form": form, "results": results}
    if results is not None and results.plan is not None and results.plan.every_clause_only:
        params = request.GET.copy()
        params["match"] = "any"
        context["match_any_url"] = f"?{params.urlencode()}"
    if results is not None and not results.total:
        # Nothing found: the themes to browse instead (one query, only then).
        context["themes"] = Theme.objects.order_by("order", "name")
    return render(request, "public/search.html", context)
