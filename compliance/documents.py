"""The Secretariat's report on the implementation of the recommendations, for a meeting.

What the report says is made once, here, as blocks (core/documents.py) from one compliance
snapshot: the figures are the snapshot's stored rows, and the annex's statuses are those the
reports had when the snapshot was computed (`selectors.statuses_as_of`), never the live
figures. The PDF is the HTML template laid out by WeasyPrint, the Word document the same
blocks in Word's own styles; `services.secretariat_report_generate` writes both.

The layout is a UN document's: symbol (a placeholder the Secretariat fills in), distribution
line, the Conference and the Working Group, the title, then chapters with roman numerals,
sections with letters, and paragraphs numbered through the whole document; by theme in
chapter III; the annex table of States parties by recommendation on landscape pages.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import get_language, get_language_bidi, gettext, ngettext, pgettext

from core import documents
from core.charts import percent, reported_share, status_chart
from core.documents import Block, Chart, Heading, Paragraph, Table
from core.statuses import STATUS_COLUMNS, STATUS_LABELS
from meetings.models import Meeting, ordinal_in_language

from . import selectors
from .models import ComplianceSnapshot

# The Working Group's document symbols (CTOC/COP/WG.7/2020/1); the number of a new document
# is given by the Secretariat, so the symbol carries a placeholder for it.
WORKING_GROUP_SYMBOL = "CTOC/COP/WG.7"
SYMBOL_PLACEHOLDER = "[…]"

# How many recommendations the "fewest reports" section lists.
FEWEST_REPORTS_LISTED = 10


def status_codes() -> dict[str, str]:
    """The letter each status has in the annex table (translatable: the key is printed with
    it). "No information" is a dash, so that what is unknown does not read as a status."""
    return {
        "implemented": pgettext("status code", "I"),
        "partially_implemented": pgettext("status code", "P"),
        "in_progress": pgettext("status code", "G"),
        "not_implemented": pgettext("status code", "N"),
        "not_applicable": pgettext("status code", "NA"),
        "no_information": "\u2013",  # an en dash
    }


@dataclass(frozen=True)
class FrontMatter:
    """The head of a UN document: its symbol and distribution line, the bodies, the title."""

    organisation: str
    symbol: str
    distribution: str
    date: str
    original: str
    conference: str
    organ: str
    session: str
    agenda_item: str
    title: str
    subtitle: str


@dataclass(frozen=True)
class SecretariatReportDocument:
    """Everything the PDF and the Word document of one report show."""

    front: FrontMatter
    body: list[Block]
    annex_number: str
    annex_title: str
    annex: list[Block]
    snapshot_number: int
    demonstration: bool
    file_stem: str
    bidi: bool = False
    language: str = "en"
    overall: dict[str, Any] = field(default_factory=dict)


def _number(value: int) -> str:
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def _date(value: datetime.date) -> str:
    # Day, month, year, as UN documents date (1 December 2026), in every language.
    return formats.date_format(value, "j F Y")


def meeting_name(meeting: Meeting) -> str:
    return gettext("%(ordinal)s meeting") % {"ordinal": ordinal_in_language(meeting.ordinal)}


def _meeting_session(meeting: Meeting) -> str:
    where = meeting.venue or gettext("Vienna")
    if meeting.start_date and meeting.end_date and meeting.start_date != meeting.end_date:
        when = gettext("%(start)s to %(end)s") % {
            "start": _date(meeting.start_date),
            "end": _date(meeting.end_date),
        }
    elif meeting.start_date:
        when = _date(meeting.start_date)
    else:
        when = str(meeting.year)
    return f"{where}, {when}"


def _meeting_end(meeting: Meeting) -> datetime.datetime:
    """The end of the meeting's last day (its year's last day when no date is recorded)."""
    day = meeting.end_date or meeting.start_date or datetime.date(meeting.year, 12, 31)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def _language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))


def _recommendation_name(row: dict[str, Any]) -> str:
    return gettext("Recommendation %(label)s (%(ordinal)s meeting)") % {
        "label": row["label"],
        "ordinal": ordinal_in_language(row["meeting"]),
    }


def _labels_by_meeting(rows: Sequence[dict[str, Any]]) -> str:
    """ "1, 3 and 8 (7th meeting)": recommendations named as briefly as a sentence allows."""
    by_meeting: dict[int, list[str]] = {}
    for row in rows:
        by_meeting.setdefault(row["meeting"], []).append(str(row["label"]))
    return "; ".join(
        gettext("%(labels)s (%(ordinal)s meeting)")
        % {"labels": ", ".join(labels), "ordinal": ordinal_in_language(ordinal)}
        for ordinal, labels in by_meeting.items()
    )


def _short_name(row: dict[str, Any]) -> str:
    return gettext("%(label)s (%(ordinal)s meeting)") % {
        "label": row["label"],
        "ordinal": ordinal_in_language(row["meeting"]),
    }


def _pairs(row: dict[str, Any]) -> int:
    return sum(int(row[status]) for status in STATUS_COLUMNS)


def secretariat_report_document(
    *, snapshot: ComplianceSnapshot, meeting: Meeting, issued: datetime.date | None = None
) -> SecretariatReportDocument:
    """The report for `meeting` from `snapshot` (its figure rows prefetched), in the active
    language. Reads: the snapshot's figures (prefetched: none), the themes and their tags
    (2), the recommendations quoted (1), the previous meeting (1), the States that reported
    since it (1) and the statuses at the snapshot's time (1)."""
    figures = selectors.snapshot_figures(snapshot)
    issued = issued or timezone.localdate()
    language = get_language() or settings.LANGUAGE_CODE
    overall = figures["overall"]
    by_recommendation = figures["by_recommendation"]
    recommendation_rows = {row["id"]: row for row in by_recommendation}
    previous = selectors.previous_meeting(meeting)

    front = FrontMatter(
        organisation=gettext("United Nations"),
        symbol=f"{WORKING_GROUP_SYMBOL}/{meeting.year}/{SYMBOL_PLACEHOLDER}",
        distribution=gettext("Distr.: General"),
        date=_date(issued),
        original=gettext("Original: %(language)s") % {"language": _language_name(language)},
        conference=gettext(
            "Conference of the Parties to the United Nations Convention against "
            "Transnational Organized Crime"
        ),
        organ=gettext("Working Group on the Smuggling of Migrants"),
        session=_meeting_session(meeting),
        agenda_item=gettext("Item %(item)s of the provisional agenda")
        % {"item": SYMBOL_PLACEHOLDER},
        title=gettext(
            "Implementation of the recommendations adopted by the Working Group on the "
            "Smuggling of Migrants"
        ),
        subtitle=gettext("Report by the Secretariat"),
    )

    body: list[Block] = []
    body += _introduction(snapshot=snapshot, meeting=meeting, overall=overall, figures=figures)
    body += _overview(
        overall=overall,
        figures=figures,
        meeting=meeting,
        previous=previous,
        snapshot=snapshot,
    )
    body += _themes(figures=figures, recommendation_rows=recommendation_rows)

    annex_title = gettext("Status of implementation by State party and recommendation")
    return SecretariatReportDocument(
        front=front,
        body=body,
        annex_number=gettext("Annex"),
        annex_title=annex_title,
        annex=_annex(snapshot=snapshot, figures=figures),
        snapshot_number=snapshot.sequence,
        demonstration=bool(snapshot.demonstration_reports),
        file_stem=(
            f"wgsom-implementation-report-meeting-{meeting.ordinal}"
            f"-snapshot-{snapshot.sequence}-{language}"
        ),
        bidi=get_language_bidi(),
        language=language,
        overall=overall,
    )


def _introduction(
    *,
    snapshot: ComplianceSnapshot,
    meeting: Meeting,
    overall: dict[str, Any],
    figures: dict[str, Any],
) -> list[Block]:
    recommendations = len(figures["by_recommendation"])
    blocks: list[Block] = [
        Heading(gettext("Introduction"), level=1, number="I."),
        Paragraph(
            ngettext(
                "The present report was prepared by the Secretariat for the %(meeting)s of "
                "the Working Group on the Smuggling of Migrants. It sets out what States "
                "parties to the Protocol against the Smuggling of Migrants by Land, Sea and "
                "Air have reported on the implementation of the %(count)s recommendation "
                "adopted by the Working Group.",
                "The present report was prepared by the Secretariat for the %(meeting)s of "
                "the Working Group on the Smuggling of Migrants. It sets out what States "
                "parties to the Protocol against the Smuggling of Migrants by Land, Sea and "
                "Air have reported on the implementation of the %(count)s recommendations "
                "adopted by the Working Group.",
                recommendations,
            )
            % {"meeting": meeting_name(meeting), "count": _number(recommendations)}
        ),
        Paragraph(
            ngettext(
                "The figures are those of compliance snapshot %(number)s, computed on "
                "%(date)s from %(reports)s validated implementation report.",
                "The figures are those of compliance snapshot %(number)s, computed on "
                "%(date)s from %(reports)s validated implementation reports.",
                snapshot.validated_reports,
            )
            % {
                "number": snapshot.sequence,
                "date": _date(timezone.localtime(snapshot.computed_at).date()),
                "reports": _number(snapshot.validated_reports),
            }
            + " "
            + gettext(
                "Only reports validated by the Secretariat count and, of each State party's "
                "reports on a recommendation, only the latest; a State party without one "
                "counts as “no information”. The figures count pairs of a State party and an "
                "adopted recommendation."
            )
        ),
    ]
    if snapshot.demonstration_reports:
        blocks.append(
            Paragraph(
                ngettext(
                    "%(count)s of these reports is demonstration data, made up for trying "
                    "the tracker and reported by no State: this document must not be cited.",
                    "%(count)s of these reports are demonstration data, made up for trying "
                    "the tracker and reported by no State: this document must not be cited.",
                    snapshot.demonstration_reports,
                )
                % {"count": _number(snapshot.demonstration_reports)}
            )
        )
    return blocks


def _overview(
    *,
    overall: dict[str, Any],
    figures: dict[str, Any],
    meeting: Meeting,
    previous: Meeting | None,
    snapshot: ComplianceSnapshot,
) -> list[Block]:
    pairs = _pairs(overall)
    blocks: list[Block] = [
        Heading(gettext("Overall implementation"), level=1, number="II."),
        Heading(gettext("All adopted recommendations"), level=2, number="A."),
        Paragraph(
            gettext(
                "Of the %(pairs)s pairs of the %(parties)s States parties and the "
                "%(recommendations)s adopted recommendations, %(reported)s (%(reported_share)s) "
                "are covered by a validated report. States parties report %(implemented)s as "
                "implemented, %(partially)s as partially implemented, %(in_progress)s as in "
                "progress, %(not_implemented)s as not implemented and %(not_applicable)s as "
                "not applicable: %(share)s of all pairs are implemented fully or partly."
            )
            % {
                "pairs": _number(pairs),
                "parties": _number(overall["states_parties"]),
                "recommendations": _number(len(figures["by_recommendation"])),
                "reported": _number(overall["reported"]),
                "reported_share": percent(reported_share(overall)),
                "implemented": _number(overall["implemented"]),
                "partially": _number(overall["partially_implemented"]),
                "in_progress": _number(overall["in_progress"]),
                "not_implemented": _number(overall["not_implemented"]),
                "not_applicable": _number(overall["not_applicable"]),
                "share": percent(overall["share_implementing"]),
            }
        ),
        Chart(
            caption=gettext("Implementation of all adopted recommendations"),
            chart=status_chart([(gettext("All States parties"), None, overall)]),
            row_header=gettext("States parties"),
            chart_id="chart-overall",
        ),
        Heading(gettext("By regional group"), level=2, number="B."),
    ]
    groups = [row for row in figures["by_regional_group"] if _pairs(row)]
    if groups:
        lowest = min(groups, key=lambda row: row["share_implementing"])
        highest = max(groups, key=lambda row: row["share_implementing"])
        blocks.append(
            Paragraph(
                gettext(
                    "Across the regional groups, the share of pairs implemented fully or partly "
                    "ranges from %(low)s (%(low_group)s) to %(high)s (%(high_group)s)."
                )
                % {
                    "low": percent(lowest["share_implementing"]),
                    "low_group": lowest["name"],
                    "high": percent(highest["share_implementing"]),
                    "high_group": highest["name"],
                }
            )
        )
    blocks.append(
        Chart(
            caption=gettext("Implementation by regional group"),
            chart=status_chart((row["name"], None, row) for row in figures["by_regional_group"]),
            row_header=gettext("Regional group"),
            chart_id="chart-regional-groups",
        )
    )

    blocks.append(Heading(gettext("Recommendations with the fewest reports"), level=2, number="C."))
    ranked = sorted(
        enumerate(figures["by_recommendation"]), key=lambda item: (item[1]["reported"], item[0])
    )
    fewest = [row for _position, row in ranked[:FEWEST_REPORTS_LISTED]]
    unreported = sum(1 for row in figures["by_recommendation"] if not row["reported"])
    blocks.append(
        Paragraph(
            ngettext(
                "The %(count)s recommendation with the fewest validated reports is listed below.",
                "The %(count)s recommendations with the fewest validated reports are listed "
                "below, fewest first.",
                len(fewest),
            )
            % {"count": _number(len(fewest))}
            + " "
            + (
                ngettext(
                    "%(count)s recommendation has no validated report at all.",
                    "%(count)s recommendations have no validated report at all.",
                    unreported,
                )
                % {"count": _number(unreported)}
                if unreported
                else gettext("Every adopted recommendation has at least one validated report.")
            )
        )
    )
    blocks.append(
        Table(
            caption=gettext("Recommendations with the fewest reports"),
            header=[
                gettext("Recommendation"),
                gettext("States parties reporting"),
                gettext("Implementing (fully or partly)"),
            ],
            rows=[
                [
                    _recommendation_name(row),
                    f"{_number(row['reported'])} / {_number(row['states_parties'])}",
                    percent(row["share_implementing"]),
                ]
                for row in fewest
            ],
        )
    )

    blocks.append(
        Heading(
            gettext("States parties that reported since the previous meeting"),
            level=2,
            number="D.",
        )
    )
    since = _meeting_end(previous) if previous is not None else None
    reporting = selectors.states_parties_reporting_between(after=since, until=snapshot.computed_at)
    names = ", ".join(row["state__name"] for row in reporting)
    count = len(reporting)
    reports = sum(row["reports"] for row in reporting)
    if previous is None:
        opening = gettext("Up to snapshot %(number)s,") % {"number": snapshot.sequence}
    else:
        opening = gettext("Since the %(meeting)s (%(session)s) and up to snapshot %(number)s,") % {
            "meeting": meeting_name(previous),
            "session": _meeting_session(previous),
            "number": snapshot.sequence,
        }
    if count:
        text = (
            opening
            + " "
            + ngettext(
                "%(count)s State party had %(reports)s report validated: %(names)s.",
                "%(count)s States parties had %(reports)s reports validated: %(names)s.",
                count,
            )
            % {"count": _number(count), "reports": _number(reports), "names": names}
        )
    else:
        text = opening + " " + gettext("no State party had a report validated.")
    blocks.append(Paragraph(text))
    return blocks


def _themes(
    *, figures: dict[str, Any], recommendation_rows: dict[int, dict[str, Any]]
) -> list[Block]:
    theme_rows = {row["slug"]: row for row in figures["by_theme"]}
    blocks: list[Block] = [
        Heading(gettext("Implementation by theme"), level=1, number="III."),
        Paragraph(
            gettext(
                "The themes are those of the Secretariat's thematic compendium. A theme's "
                "figures count the pairs of every State party and each adopted recommendation "
                "filed under it; a recommendation may be filed under several themes."
            )
        ),
        Chart(
            caption=gettext("Implementation by theme"),
            chart=status_chart((row["name"], None, row) for row in figures["by_theme"]),
            row_header=gettext("Theme"),
            chart_id="chart-themes",
        ),
    ]
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for index, (theme, members) in enumerate(selectors.theme_recommendations()):
        row = theme_rows.get(theme.slug)
        if row is None:
            continue  # a theme added after the snapshot: the snapshot has no figures for it
        blocks.append(Heading(row["name"], level=2, number=f"{letters[index % 26]}."))
        rows = [recommendation_rows[pk] for pk in members if pk in recommendation_rows]
        if not rows:
            blocks.append(
                Paragraph(gettext("No adopted recommendation is filed under this theme."))
            )
            continue
        blocks.append(
            Paragraph(
                ngettext(
                    "%(count)s adopted recommendation is filed under this theme, "
                    "recommendation %(labels)s.",
                    "%(count)s adopted recommendations are filed under this theme, "
                    "recommendations %(labels)s.",
                    len(rows),
                )
                % {
                    "count": _number(len(rows)),
                    "labels": _labels_by_meeting(rows),
                }
                + " "
                + gettext(
                    "Of its %(pairs)s pairs, %(reported)s (%(reported_share)s) are covered by "
                    "a validated report and %(share)s are implemented fully or partly."
                )
                % {
                    "pairs": _number(_pairs(row)),
                    "reported": _number(row["reported"]),
                    "reported_share": percent(reported_share(row)),
                    "share": percent(row["share_implementing"]),
                }
            )
        )
        blocks.append(
            Table(
                caption=gettext("%(theme)s: implementation by recommendation")
                % {"theme": row["name"]},
                header=[
                    gettext("Recommendation"),
                    *(str(STATUS_LABELS[status]) for status in STATUS_COLUMNS),
                    gettext("Implementing (fully or partly)"),
                ],
                rows=[
                    [
                        _short_name(r),
                        *(_number(r[status]) for status in STATUS_COLUMNS),
                        percent(r["share_implementing"]),
                    ]
                    for r in rows
                ],
                compact=True,
            )
        )
    return blocks


def _annex(*, snapshot: ComplianceSnapshot, figures: dict[str, Any]) -> list[Block]:
    """One table per meeting: every State party of the snapshot by that meeting's adopted
    recommendations, a status letter in each cell, as the reports stood at the snapshot."""
    codes = status_codes()
    statuses = selectors.statuses_as_of(until=snapshot.computed_at)
    key = "; ".join(f"{codes[status]} = {STATUS_LABELS[status]}" for status in STATUS_COLUMNS)
    blocks: list[Block] = [
        Paragraph(
            gettext(
                "Each State party's status on each adopted recommendation, as counted by "
                "compliance snapshot %(number)s. Key: %(key)s."
            )
            % {"number": snapshot.sequence, "key": key},
            numbered=False,
        )
    ]
    meetings: dict[int, list[dict[str, Any]]] = {}
    for row in figures["by_recommendation"]:
        meetings.setdefault(row["meeting"], []).append(row)
    for ordinal, columns in meetings.items():
        blocks.append(
            Table(
                caption=gettext("Recommendations adopted at the %(ordinal)s meeting")
                % {"ordinal": ordinal_in_language(ordinal)},
                header=[gettext("State party"), *(str(column["label"]) for column in columns)],
                rows=[
                    [
                        state["name"],
                        *(
                            codes[statuses.get((state["code"], column["id"]), "no_information")]
                            for column in columns
                        ),
                    ]
                    for state in figures["by_state"]
                ],
                compact=True,
            )
        )
    return blocks


# Rendering ---------------------------------------------------------------------------------


def chart_pictures(document: SecretariatReportDocument) -> dict[str, bytes]:
    """Every chart of the report as the picture Word shows, by chart id."""
    return {
        block.chart_id: documents.chart_png(block)
        for block in [*document.body, *document.annex]
        if isinstance(block, Chart) and block.chart
    }


def render_html(document: SecretariatReportDocument) -> str:
    """The report as the standalone HTML page WeasyPrint lays out."""
    return render_to_string("compliance/documents/secretariat_report.html", {"document": document})


def render_pdf(document: SecretariatReportDocument) -> bytes:
    return documents.pdf_from_html(render_html(document))


# Word's custom paragraph styles for the head of a UN document: styles, not formatting, so
# the Secretariat's editors can change them in one place.
SYMBOL_STYLE = "Document symbol"
DISTRIBUTION_STYLE = "Distribution"
BODY_STYLE = "Issuing body"


def render_word(
    document: SecretariatReportDocument,
    *,
    picture: Callable[[Chart], bytes] = documents.chart_png,
) -> bytes:
    """The report as an editable Word document in the same words and figures as the PDF."""
    word = documents.word_document(
        title=document.front.title, language=document.language, bidi=document.bidi
    )
    documents.paragraph_style(
        word, SYMBOL_STYLE, size=14, bold=True, align="end", bidi=document.bidi
    )
    documents.paragraph_style(word, DISTRIBUTION_STYLE, size=10, align="end", bidi=document.bidi)
    documents.paragraph_style(word, BODY_STYLE, size=10, bold=True)
    front = document.front
    word.add_paragraph(front.organisation, style=BODY_STYLE)
    word.add_paragraph(front.symbol, style=SYMBOL_STYLE)
    word.add_paragraph(
        "\n".join([front.distribution, front.date, "", front.original]), style=DISTRIBUTION_STYLE
    )
    word.add_paragraph(front.conference, style=BODY_STYLE)
    word.add_paragraph(front.organ, style=BODY_STYLE)
    word.add_paragraph("\n".join([front.session, front.agenda_item]))
    word.add_paragraph(front.title, style="Title")
    word.add_paragraph(front.subtitle, style="Subtitle")
    documents.write_blocks(word, document.body, picture=picture)
    documents.start_landscape_section(word)
    documents.add_heading(word, f"{document.annex_number}\u00a0{document.annex_title}", level=1)
    documents.write_blocks(word, document.annex, picture=picture)
    return documents.word_bytes(word)
