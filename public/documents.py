"""A State's profile as a document to table: PDF and Word, from the State page's selectors.

The profile says what the State page says (public/state_views.py), read through the same
selectors: its Protocol status and dates, its status on every adopted recommendation grouped
by theme with the date and source of each, its validated reports with their summaries, the
meetings it attended and the statements it made, with the date the profile was made. Only
published data: validated reports, never drafts. The wording is made once, as blocks
(core/documents.py), for the PDF (the HTML template laid out by WeasyPrint) and for Word.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import get_language, get_language_bidi, gettext

from core import documents
from core.charts import status_chart
from core.documents import Block, Chart, Facts, Heading, Paragraph, Table
from core.statuses import label_status
from meetings.selectors import state_participations, state_statements
from recommendations.models import Theme
from reporting import selectors as reporting_selectors
from reporting.demonstration import demonstration_note
from states.models import State

from .views import SOURCE_LABELS, status_history_rows


@dataclass(frozen=True)
class StateProfile:
    state: State
    title: str
    as_of: str
    blocks: list[Block]
    demonstration: bool
    language: str
    bidi: bool
    file_stem: str


def _date(value: datetime.date | None) -> str:
    return formats.date_format(value, "j F Y") if value else ""


def _meeting(meeting: Any) -> str:
    return gettext("Meeting %(ordinal)s (%(year)s)") % {
        "ordinal": meeting.ordinal,
        "year": meeting.year,
    }


def state_profile(state: State, *, today: datetime.date | None = None) -> StateProfile:
    """The profile of `state` (its regional group joined), in the active language."""
    today = today or timezone.localdate()
    recommendations = [
        label_status(row)
        for row in reporting_selectors.recommendations_with_state_status(state=state)
    ]
    themes = list(Theme.objects.all())
    by_theme: dict[int, list[Any]] = {theme.pk: [] for theme in themes}
    untagged = []
    for rec in recommendations:
        rec.source_label = SOURCE_LABELS.get(rec.current_source, "")
        tags = list(rec.themes.all())  # prefetched
        for theme in tags:
            by_theme.setdefault(theme.pk, []).append(rec)
        if not tags:
            untagged.append(rec)
    tallies = reporting_selectors.tally_statuses(
        ((theme, rec) for rec in recommendations for theme in rec.themes.all()),
        key=lambda pair: pair[0],
        status=lambda pair: pair[1].current_status,
    )
    overall = reporting_selectors.tally_statuses(
        recommendations, key=lambda _rec: gettext("All adopted recommendations")
    )
    history = status_history_rows(state=state)
    participations = list(state_participations(state=state))
    statements = list(state_statements(state=state))

    protocol = str(state.get_protocol_status_display())
    if state.protocol_consent_date:
        protocol += " ({kind}, {date})".format(
            kind=state.get_protocol_consent_kind_display() or gettext("consent"),
            date=_date(state.protocol_consent_date),
        )
    facts: list[tuple[str, str]] = [
        (gettext("Code"), state.code),
        (
            gettext("Regional group"),
            state.regional_group.name if state.regional_group else gettext("None"),
        ),
        (gettext("Protocol status"), protocol),
    ]
    if state.protocol_signature_date:
        facts.append((gettext("Signed the Protocol"), _date(state.protocol_signature_date)))
    facts.append((gettext("Status as of"), _date(today)))

    reported = sum(1 for rec in recommendations if rec.current_status)
    blocks: list[Block] = [
        Facts(facts),
        Paragraph(
            gettext(
                "%(state)s has a validated report on %(reported)s of the %(total)s adopted "
                "recommendations. Only reports validated by the Secretariat count, and of "
                "several on one recommendation only the latest."
            )
            % {"state": state.name, "reported": reported, "total": len(recommendations)},
            numbered=False,
        ),
        Chart(
            caption=gettext("Scorecard by theme"),
            chart=status_chart(
                (theme.name, None, tallies[theme]) for theme in themes if theme in tallies
            ),
            row_header=gettext("Theme"),
            chart_id="chart-scorecard",
        ),
        Chart(
            caption=gettext("All adopted recommendations"),
            chart=status_chart((label, None, counts) for label, counts in overall.items()),
            row_header=gettext("Recommendations"),
            chart_id="chart-overall",
        ),
        Heading(gettext("Status on each adopted recommendation, by theme"), level=1),
    ]
    status_header = [
        gettext("Recommendation"),
        gettext("Status"),
        gettext("As of"),
        gettext("Source"),
    ]
    groups = [(theme.name, by_theme.get(theme.pk, [])) for theme in themes]
    if untagged:
        groups.append((gettext("Not filed under a theme"), untagged))
    for name, rows in groups:
        if not rows:
            continue
        blocks.append(
            Table(
                caption=name,
                header=status_header,
                rows=[
                    [
                        f"{rec.display_label} ({rec.meeting.year})",
                        str(rec.status_label),
                        _date(rec.current_as_of),
                        rec.source_label,
                    ]
                    for rec in rows
                ],
            )
        )
    blocks.append(Heading(gettext("Reports and status history"), level=1))
    if history:
        blocks.append(
            Table(
                caption=gettext("Every validated report, newest first"),
                header=[
                    gettext("As of"),
                    gettext("Recommendation"),
                    gettext("Status"),
                    gettext("Source"),
                    gettext("Measures taken"),
                ],
                rows=[
                    [
                        _date(report.as_of),
                        f"{report.recommendation.display_label} "
                        f"({report.recommendation.meeting.year})",
                        str(report.status_label),
                        report.source_label
                        + (
                            f" ({_meeting(report.source_meeting)})" if report.source_meeting else ""
                        ),
                        report.description,
                    ]
                    for report in history
                ],
            )
        )
    else:
        blocks.append(
            Paragraph(
                gettext(
                    "No implementation report of %(state)s has been validated yet: every "
                    "status is “no information”."
                )
                % {"state": state.name},
                numbered=False,
            )
        )
    blocks.append(Heading(gettext("Meetings attended"), level=1))
    if participations:
        blocks.append(
            Table(
                caption=gettext("Meetings attended"),
                header=[gettext("Meeting"), gettext("Capacity")],
                rows=[[_meeting(p.meeting), str(p.get_capacity_display())] for p in participations],
            )
        )
    else:
        blocks.append(Paragraph(gettext("No attendance is recorded."), numbered=False))
    blocks.append(Heading(gettext("Statements made"), level=1))
    if statements:
        blocks.append(
            Table(
                caption=gettext("Statements made"),
                header=[
                    gettext("Meeting"),
                    gettext("Statement"),
                    gettext("Speaker"),
                    gettext("Summary"),
                ],
                rows=[
                    [
                        _meeting(statement.meeting),
                        str(statement.get_kind_display()),
                        statement.speaker,
                        statement.summary,
                    ]
                    for statement in statements
                ],
            )
        )
    else:
        blocks.append(Paragraph(gettext("No statement is recorded."), numbered=False))

    language = get_language() or "en"
    return StateProfile(
        state=state,
        title=gettext("State profile: %(state)s") % {"state": state.name},
        as_of=gettext("Status as of %(date)s") % {"date": _date(today)},
        blocks=blocks,
        demonstration=reporting_selectors.demonstration_data_present(),
        language=language,
        bidi=get_language_bidi(),
        file_stem=f"wgsom-state-profile-{state.code}-{today:%Y-%m-%d}-{language}",
    )


def render_pdf(profile: StateProfile) -> bytes:
    html = render_to_string("public/documents/state_profile.html", {"profile": profile})
    return documents.pdf_from_html(html)


def render_word(profile: StateProfile) -> bytes:
    word = documents.word_document(
        title=profile.title, language=profile.language, bidi=profile.bidi
    )
    word.add_paragraph(profile.title, style="Title")
    word.add_paragraph(profile.as_of, style="Subtitle")
    if profile.demonstration:
        word.add_paragraph(demonstration_note())
    documents.write_blocks(word, profile.blocks)
    return documents.word_bytes(word)


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def state_profile_download(request: HttpRequest, code: str, file_format: str) -> FileResponse:
    """The State profile as a PDF or Word file, made now from the published data."""
    if file_format not in CONTENT_TYPES:
        raise Http404
    state = get_object_or_404(State.objects.select_related("regional_group"), code=code.upper())
    profile = state_profile(state)
    content = render_pdf(profile) if file_format == "pdf" else render_word(profile)
    return FileResponse(
        BytesIO(content),
        as_attachment=True,
        filename=f"{profile.file_stem}.{file_format}",
        content_type=CONTENT_TYPES[file_format],
    )
