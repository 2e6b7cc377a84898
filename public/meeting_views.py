"""Public pages of the Working Group's meetings: the list and each meeting's record."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from meetings import selectors
from meetings.models import Statement
from recommendations import selectors as recommendation_selectors


def meeting_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "public/meeting_list.html",
        {"meetings": recommendation_selectors.meetings_with_counts()},
    )


def meeting_detail(request: HttpRequest, ordinal: int) -> HttpResponse:
    """Dates, format, chair, agenda, documents, attendance by capacity, panellists and other
    statements, and the recommendations in agenda order."""
    meeting = get_object_or_404(selectors.meeting_for_page(), ordinal=ordinal)
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
    return render(request, "public/meeting_detail.html", context)
