"""CSV and XLSX import of implementation reports (django-import-export), for the Secretariat.

One row is one report. Columns (the first line of the file names them; order is free):

    state           ISO3 code (AUT), the European Union's EU, or the UN name
    meeting         the meeting's ordinal number (7 for the 7th meeting, 2020)
    recommendation  the recommendation's label in that meeting's report (3, 1 (a))
    status          implemented, partially_implemented, in_progress, not_implemented,
                    not_applicable (or their English labels)
    as_of           the date of the status, YYYY-MM-DD
    source          national_statement, questionnaire, review_mechanism,
                    voluntary_submission (or their English labels)
    source_meeting  for a national statement: the ordinal of the meeting it was made at
    period_start, period_end, description, evidence_url   optional

Every row becomes a new report (reports are never updated in place) through
`services.implementation_report_create`, so an imported report obeys the rules of one typed
in. The service `implementation_reports_import` runs it all-or-nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING

import filetype
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.formats.base_formats import CSV, XLSX

from core.statuses import ImplementationStatus
from meetings.models import Meeting
from recommendations.models import Recommendation
from states.models import State

from .models import ImplementationReport

if TYPE_CHECKING:
    from accounts.models import User

REQUIRED_COLUMNS = ("state", "meeting", "recommendation", "status", "as_of", "source")
OPTIONAL_COLUMNS = ("source_meeting", "period_start", "period_end", "description", "evidence_url")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        # Spreadsheets hand whole numbers over as floats: 7.0 means meeting 7.
        value = int(value)
    return str(value).strip()


class StateWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs) -> State | None:
        text = _text(value)
        if not text:
            raise ValueError(_("Give the State (ISO3 code or UN name)."))
        state = State.objects.filter(
            Q(code__iexact=text) | Q(iso3__iexact=text) | Q(name__iexact=text)
        ).first()
        if state is None:
            # Names the documents use besides the UN name ("Turkey"), compared exactly.
            for candidate in State.objects.filter(other_names__icontains=text):
                if text.casefold() in (name.casefold() for name in candidate.other_names):
                    state = candidate
                    break
        if state is None:
            raise ValueError(_("No State is called or coded “%(value)s”.") % {"value": text})
        return state


class MeetingWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs) -> Meeting | None:
        text = _text(value)
        if not text:
            return None
        if not text.isdigit():
            raise ValueError(
                _("“%(value)s” is not a meeting number (7 for the 7th meeting).") % {"value": text}
            )
        meeting = Meeting.objects.filter(ordinal=int(text)).first()
        if meeting is None:
            raise ValueError(_("There is no meeting number %(value)s.") % {"value": text})
        return meeting


class RecommendationWidget(widgets.Widget):
    """The recommendation named by its label and the `meeting` column of the same row."""

    def clean(self, value, row=None, **kwargs) -> Recommendation | None:
        label = _text(value)
        meeting = _text((row or {}).get("meeting"))
        if not label or not meeting:
            raise ValueError(_("Give the meeting number and the recommendation's label."))
        recommendation = (
            Recommendation.objects.filter(meeting__ordinal=meeting if meeting.isdigit() else -1)
            .exclude(status=Recommendation.Status.PROPOSED)
            .filter(label__iexact=label)
            .select_related("meeting")
            .first()
        )
        if recommendation is None:
            raise ValueError(
                _("Meeting %(meeting)s has no recommendation labelled “%(label)s”.")
                % {"meeting": meeting, "label": label}
            )
        return recommendation


class ChoiceWidget(widgets.Widget):
    """A value of a choice field, given as its code or its English label, in any case."""

    def __init__(self, choices, **kwargs) -> None:
        super().__init__(**kwargs)
        self.choices = choices

    def clean(self, value, row=None, **kwargs) -> str:
        text = _text(value)
        if not text:
            return ""
        wanted = text.casefold().replace(" ", "_")
        for code, label in self.choices:
            if wanted in (code.casefold(), str(label).casefold().replace(" ", "_")):
                return code
        raise ValueError(
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": text, "choices": ", ".join(code for code, _label in self.choices)}
        )


class StrictDateWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs) -> datetime.date | None:
        if value in (None, ""):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(_text(value))
        except ValueError:
            raise ValueError(
                _("“%(value)s” is not a date written as YYYY-MM-DD.") % {"value": _text(value)}
            ) from None


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs) -> str:
        return _text(value)


class ImplementationReportResource(resources.ModelResource):
    state = fields.Field(attribute="state", column_name="state", widget=StateWidget())
    recommendation = fields.Field(
        attribute="recommendation", column_name="recommendation", widget=RecommendationWidget()
    )
    status = fields.Field(
        attribute="status", column_name="status", widget=ChoiceWidget(ImplementationStatus.choices)
    )
    as_of = fields.Field(attribute="as_of", column_name="as_of", widget=StrictDateWidget())
    period_start = fields.Field(
        attribute="period_start", column_name="period_start", widget=StrictDateWidget()
    )
    period_end = fields.Field(
        attribute="period_end", column_name="period_end", widget=StrictDateWidget()
    )
    # Every source is read here; which of them staff may give is the service's rule
    # (services.STAFF_SOURCES), refused on the row's line and column like any other.
    source = fields.Field(
        attribute="source",
        column_name="source",
        widget=ChoiceWidget(ImplementationReport.Source.choices),
    )
    source_meeting = fields.Field(
        attribute="source_meeting", column_name="source_meeting", widget=MeetingWidget()
    )
    description = fields.Field(
        attribute="description", column_name="description", widget=TextWidget()
    )
    evidence_url = fields.Field(
        attribute="evidence_url", column_name="evidence_url", widget=TextWidget()
    )

    class Meta:
        model = ImplementationReport
        fields = (
            "state",
            "recommendation",
            "status",
            "as_of",
            "period_start",
            "period_end",
            "source",
            "source_meeting",
            "description",
            "evidence_url",
        )
        # Every row is a new report: reports are never updated in place.
        force_init_instance = True
        clean_model_instances = True
        skip_diff = True
        store_instance = True
        use_transactions = True

    def __init__(
        self, *, by: User, validate: bool, create: Callable[..., ImplementationReport]
    ) -> None:
        """`create` is the service that records one report (the import service passes
        `implementation_report_create`), so every row obeys the rules of one typed in."""
        super().__init__()
        self.by = by
        self.validate = validate
        self.create = create

    def before_import(self, dataset, **kwargs) -> None:
        headers = [_text(h).casefold() for h in (dataset.headers or [])]
        dataset.headers = headers
        missing = [name for name in REQUIRED_COLUMNS if name not in headers]
        if missing:
            raise ValueError(
                _("The first line must name the columns; missing: %(missing)s.")
                % {"missing": ", ".join(missing)}
            )
        unknown = [h for h in headers if h and h not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
        if unknown:
            raise ValueError(_("Unknown columns: %(unknown)s.") % {"unknown": ", ".join(unknown)})

    def init_instance(self, row=None) -> ImplementationReport:
        # The model's required fields that the service fills (review state, who entered it).
        return ImplementationReport(submitted_by=self.by)

    def save_instance(self, instance, is_create, row, **kwargs) -> None:
        report = self.create(
            by=self.by,
            state=instance.state,
            recommendation=instance.recommendation,
            status=instance.status,
            as_of=instance.as_of,
            period_start=instance.period_start,
            period_end=instance.period_end,
            description=instance.description,
            evidence_url=instance.evidence_url,
            source=instance.source,
            source_meeting=instance.source_meeting,
            validate=self.validate,
        )
        instance.pk = report.pk
        instance.review_state = report.review_state

    def describe_errors(self, result) -> list[str]:
        """Every problem in the file, one line each, naming its line and column."""
        if result.base_errors:
            # A file-wide problem (a missing column) would otherwise repeat on every line.
            return [
                _("The file: %(error)s") % {"error": error.error} for error in result.base_errors
            ]
        messages: list[str] = []
        for invalid in result.invalid_rows:
            line = invalid.number + 1  # the first line names the columns
            for column, errors in invalid.field_specific_errors.items():
                messages.extend(
                    _("Line %(line)s, column “%(column)s”: %(error)s")
                    % {"line": line, "column": column, "error": error}
                    for error in errors
                )
            messages.extend(
                _("Line %(line)s: %(error)s") % {"line": line, "error": error}
                for error in invalid.non_field_specific_errors
            )
        for number, errors in result.row_errors():
            messages.extend(
                _("Line %(line)s: %(error)s") % {"line": number + 1, "error": error.error}
                for error in errors
            )
        return messages


def dataset_from_upload(*, content: bytes, name: str):
    """A tablib Dataset from an uploaded CSV or XLSX file, told apart by content."""
    kind = filetype.guess(content[:8192])
    try:
        if kind is not None and kind.extension == "xlsx":
            return XLSX().create_dataset(content)
        if kind is None:
            return CSV().create_dataset(content.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ValidationError(
            {"file": _("“%(name)s” is not UTF-8 text; save the CSV as UTF-8.") % {"name": name}}
        ) from None
    except Exception:  # a damaged workbook: openpyxl raises many kinds
        raise ValidationError(
            {"file": _("“%(name)s” could not be read as CSV or XLSX.") % {"name": name}}
        ) from None
    raise ValidationError(
        {"file": _("“%(name)s” is neither a CSV nor an XLSX file.") % {"name": name}}
    )
