"""Public pages of the Working Group's meetings: the list and each meeting's record."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from core.data_versions.rendering import rendered_under_versions
from meetings import selectors
from meetings.models import Meeting, Statement
from recommendations import selectors as recommendation_selectors


def meeting_list(request: HttpRequest) -> HttpResponse:
    """The meetings, newest first, a page at a time (today's all fit on one)."""
    paginator = Paginator(
        recommendation_selectors.meetings_with_counts(), settings.PUBLIC_SITE_PAGE_SIZE
    )
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "public/meeting_list.html",
        {
            "meetings": page.object_list,
            "page_obj": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        },
    )


def meeting_detail(request: HttpRequest, ordinal: int) -> HttpResponse:
    """Dates, format, chair, agenda, documents, attendance by capacity, panellists and other
    statements, and the recommendations in agenda order.

    The content is the same for every reader in a language and lists up to a hundred
    recommendations, so it is rendered once per change of the published data and kept
    (rendered_under_versions): a reader between two writes costs the meeting's row and the
    versions."""
    meeting = get_object_or_404(Meeting.objects.only("pk", "ordinal", "year"), ordinal=ordinal)
    content = rendered_under_versions(
        request,
        key=f"meeting:{ordinal}",
        template="public/_meeting_detail_content.html",
        context=lambda: _meeting_content(ordinal),
    )
    return render(request, "public/meeting_detail.html", {"meeting": meeting, "content": content})


def _meeting_content(ordinal: int) -> dict[str, Any]:
    meeting = selectors.meeting_for_page().get(ordinal=ordinal)
    statements = list(selectors.meeting_statements(meeting=meeting))
    recommendations = list(recommendation_selectors.meeting_recommendations(meeting=meeting))
    context = {
        "meeting": meeting,
        "agenda": selectors.meeting_agenda(meeting=meeting),
        "documents": selectors.meeting_documents(meeting=meeting),
        "attendance": selectors.meeting_attendance(meeting=meeting),
        "panellists": [s for s in statements if s.kind == Statement.Kind.PANEL],
        "statements": [s for s in statements if s.kind != Statement.Kind.PANEL],
        "adopted": [r for r in recommendations if r.status != r.Status.PROPOSED],
        "proposed": [r for r in recommendations if r.status == r.Status.PROPOSED],
    }
    return context
