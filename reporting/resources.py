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

import csv
import datetime
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import filetype
import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.formats.base_formats import CSV
from openpyxl import load_workbook

from core.archives import ArchiveRefused, check_zip
from core.statuses import ImplementationStatus
from meetings.models import Meeting
from recommendations.models import Recommendation
from states.models import State

from .models import ImplementationReport

if TYPE_CHECKING:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

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


class _Lookups:
    """States, meetings and recommendations read once per import, not once per row: a file of
    every State on every recommendation of a meeting is over 4,000 rows."""

    def __init__(self) -> None:
        self._states: dict[str, State] | None = None
        self._meetings: dict[int, Meeting] | None = None
        self._recommendations: dict[tuple[int, str], Recommendation] | None = None

    def state(self, text: str) -> State | None:
        if self._states is None:
            by_code: dict[str, State] = {}
            by_other: dict[str, State] = {}
            for state in State.objects.all():
                for key in (state.code, state.iso3, state.name):
                    if key:
                        by_code.setdefault(key.casefold(), state)
                # Names the documents use besides the UN name ("Turkey"), compared exactly.
                for name in state.other_names or []:
                    by_other.setdefault(name.casefold(), state)
            self._states = {**by_other, **by_code}
        return self._states.get(text.casefold())

    def meeting(self, ordinal: int) -> Meeting | None:
        if self._meetings is None:
            self._meetings = {meeting.ordinal: meeting for meeting in Meeting.objects.all()}
        return self._meetings.get(ordinal)

    def recommendation(self, ordinal: int, label: str) -> Recommendation | None:
        if self._recommendations is None:
            self._recommendations = {}
            for recommendation in (
                Recommendation.objects.exclude(status=Recommendation.Status.PROPOSED)
                .select_related("meeting")
                .order_by("-pk")
            ):
                key = (recommendation.meeting.ordinal, recommendation.label.casefold())
                self._recommendations[key] = recommendation
        return self._recommendations.get((ordinal, label.casefold()))


class StateWidget(widgets.Widget):
    def __init__(self, lookups: _Lookups | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.lookups = lookups or _Lookups()

    def clean(self, value, row=None, **kwargs) -> State | None:
        text = _text(value)
        if not text:
            raise ValueError(_("Give the State (ISO3 code or UN name)."))
        state = self.lookups.state(text)
        if state is None:
            raise ValueError(_("No State is called or coded “%(value)s”.") % {"value": text})
        return state


class MeetingWidget(widgets.Widget):
    def __init__(self, lookups: _Lookups | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.lookups = lookups or _Lookups()

    def clean(self, value, row=None, **kwargs) -> Meeting | None:
        text = _text(value)
        if not text:
            return None
        if not text.isdigit():
            raise ValueError(
                _("“%(value)s” is not a meeting number (7 for the 7th meeting).") % {"value": text}
            )
        meeting = self.lookups.meeting(int(text))
        if meeting is None:
            raise ValueError(_("There is no meeting number %(value)s.") % {"value": text})
        return meeting


class RecommendationWidget(widgets.Widget):
    """The recommendation named by its label and the `meeting` column of the same row."""

    def __init__(self, lookups: _Lookups | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.lookups = lookups or _Lookups()

    def clean(self, value, row=None, **kwargs) -> Recommendation | None:
        label = _text(value)
        meeting = _text((row or {}).get("meeting"))
        if not label or not meeting:
            raise ValueError(_("Give the meeting number and the recommendation's label."))
        recommendation = (
            self.lookups.recommendation(int(meeting), label) if meeting.isdigit() else None
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
        # validate_instance below checks what a row says; implementation_report_create's
        # full_clean checks it again with the database (related records, constraints).
        clean_model_instances = False
        skip_diff = True
        store_instance = True
        use_transactions = True

    def __init__(
        self, *, by: User, validate: bool, create: Callable[..., ImplementationReport]
    ) -> None:
        """`create` is the service that records one report (the import service passes
        `implementation_report_create`), so every row obeys the rules of one typed in."""
        super().__init__()
        # One set of look-ups for the whole file, shared by the widgets of this resource
        # (fields are declared on the class: each resource gets its own copies here).
        lookups = _Lookups()
        for name in ("state", "recommendation", "source_meeting"):
            self.fields[name].widget.lookups = lookups
        self.by = by
        self.validate = validate
        self.create = create

    def before_import(self, dataset, **kwargs) -> None:
        headers = [_text(h).casefold() for h in (dataset.headers or [])]
        dataset.headers = headers
        check_headers(headers)
        missing = [name for name in REQUIRED_COLUMNS if name not in headers]
        if missing:
            raise ValueError(
                _("The first line must name the columns; missing: %(missing)s.")
                % {"missing": ", ".join(missing)}
            )
        unknown = [h for h in headers if h and h not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
        if unknown:
            raise ValueError(_("Unknown columns: %(unknown)s.") % {"unknown": ", ".join(unknown)})

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """Every error of the row at once: its columns' (from the widgets) and the report's own
        rules (a date in the future), without the database's checks, which the service makes
        when it saves the row. A full_clean here would repeat them, as many queries again."""
        errors = dict(import_validation_errors or {})
        related = [field.name for field in instance._meta.fields if field.is_relation]
        try:
            instance.clean_fields(exclude=[*errors, *related])
            instance.clean()
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

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

    def describe_errors(self, result, *, offset: int = 0) -> list[str]:
        """Every problem in the file, one line each, naming its line and column; `offset` is
        the number of rows before the batch `result` is of."""
        if result.base_errors:
            # A file-wide problem (a missing column) would otherwise repeat on every line.
            return [
                _("The file: %(error)s") % {"error": error.error} for error in result.base_errors
            ]
        messages: list[str] = []
        for invalid in result.invalid_rows:
            line = invalid.number + offset + 1  # the first line names the columns
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
                _("Line %(line)s: %(error)s") % {"line": number + offset + 1, "error": error.error}
                for error in errors
            )
        return messages


def check_headers(headers: list[str]) -> None:
    """Refuse (ValueError) a column named twice: tablib would keep one of the two silently,
    and which one the file meant cannot be known."""
    seen: set[str] = set()
    for header in headers:
        if header and header in seen:
            raise ValueError(
                _("The column “%(column)s” appears more than once; name each column once.")
                % {"column": header}
            )
        seen.add(header)


def _refuse_file(name: str, message: str) -> ValidationError:
    return ValidationError(
        {"file": _("“%(name)s”: %(reason)s") % {"name": name, "reason": message}}
    )


def check_upload_size(*, size: int, name: str) -> None:
    """Refuse a spreadsheet larger than REPORTING_IMPORT_MAX_UPLOAD_BYTES, before reading it."""
    limit = settings.REPORTING_IMPORT_MAX_UPLOAD_BYTES
    if size > limit:
        raise _refuse_file(
            name,
            _("the file is %(size)s bytes; the limit is %(limit)s bytes.")
            % {"size": f"{size:,}", "limit": f"{limit:,}"},
        )


_Read = TypeVar("_Read")


@dataclass(frozen=True)
class UploadOutline:
    """What the upload request reads of a file: its first line (the columns) and the number
    of rows after it."""

    headers: list[Any]
    rows: int


def upload_outline(*, content: bytes, name: str) -> UploadOutline:
    """The columns and the number of rows of an uploaded CSV or XLSX file, refused
    (ValidationError on "file") as `dataset_from_upload` refuses it, without reading the rows
    where the file says how many it holds.

    A workbook's row count is its declared dimension (`<dimension ref="A1:F4247">`), read with
    the first line alone. A workbook without one (some writers omit it, or write A1) and a CSV
    are counted row by row, stopping as soon as the count passes REPORTING_IMPORT_MAX_ROWS. A
    dimension that understates the rows costs nothing: the check job reads the real rows
    (`dataset_from_upload`) and refuses them past the limit.
    """
    return _read_upload(content, name, read_xlsx=_xlsx_outline, read_csv=_csv_outline)


def dataset_from_upload(*, content: bytes, name: str) -> tablib.Dataset:
    """A tablib Dataset from an uploaded CSV or XLSX file, told apart by content.

    Refused (ValidationError on "file", one line naming the limit and the value): a file
    larger than REPORTING_IMPORT_MAX_UPLOAD_BYTES, a workbook that unpacks past
    IMPORT_MAX_UNZIPPED_BYTES or IMPORT_MAX_ZIP_RATIO (checked before openpyxl inflates it),
    more rows than REPORTING_IMPORT_MAX_ROWS (a workbook's rows as the file holds them,
    whatever its dimension says).
    """
    return _read_upload(
        content,
        name,
        read_xlsx=_xlsx_dataset,
        read_csv=lambda text, name: _checked_rows(CSV().create_dataset(text), name),
    )


def _read_upload(
    content: bytes,
    name: str,
    *,
    read_xlsx: Callable[[bytes, str], _Read],
    read_csv: Callable[[str, str], _Read],
) -> _Read:
    check_upload_size(size=len(content), name=name)
    kind = filetype.guess(content[:8192])
    try:
        if kind is not None and kind.extension == "xlsx":
            check_zip(
                content,
                max_unzipped_bytes=settings.IMPORT_MAX_UNZIPPED_BYTES,
                max_ratio=settings.IMPORT_MAX_ZIP_RATIO,
            )
            return read_xlsx(content, name)
        if kind is None:
            return read_csv(content.decode("utf-8-sig"), name)
    except ArchiveRefused as exc:
        raise _refuse_file(name, str(exc)) from None
    except ValidationError:
        raise
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


def _checked_rows(dataset, name: str):
    _check_row_count(dataset.height, name)
    return dataset


def _check_row_count(rows: int, name: str) -> None:
    limit = settings.REPORTING_IMPORT_MAX_ROWS
    if rows > limit:
        raise _refuse_file(
            name,
            _("the file holds %(rows)s rows; the limit is %(limit)s.")
            % {"rows": f"{rows:,}", "limit": f"{limit:,}"},
        )


def _too_many_rows(name: str) -> ValidationError:
    # Rows counted one by one are counted no further than one past the limit.
    return _refuse_file(
        name,
        _("the file holds more than %(limit)s rows; the limit is %(limit)s.")
        % {"limit": f"{settings.REPORTING_IMPORT_MAX_ROWS:,}"},
    )


def _count_to_limit(rows: Iterator[Any], name: str) -> int:
    """The rows left in `rows`, read one at a time and no further than one past the limit."""
    limit = settings.REPORTING_IMPORT_MAX_ROWS
    count = 0
    for count, _row in enumerate(rows, 1):
        if count > limit:
            raise _too_many_rows(name)
    return count


def _csv_outline(text: str, name: str) -> UploadOutline:
    # As tablib reads a CSV: the first line names the columns, an empty line is no row, and a
    # line longer than the first cannot be read (refused here as the check job would).
    lines = csv.reader(io.StringIO(text))
    headers: list[Any] = next(lines, [])

    def rows() -> Iterator[list[str]]:
        for line in lines:
            if len(line) > len(headers):
                raise ValueError("a line longer than the first")
            if line:
                yield line

    return UploadOutline(headers=headers, rows=_count_to_limit(rows(), name))


@contextmanager
def _first_sheet(content: bytes) -> Iterator[ReadOnlyWorksheet]:
    # read_only: the sheet is parsed as it is iterated, never loaded whole.
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        yield workbook.active
    finally:
        workbook.close()


def _xlsx_outline(content: bytes, name: str) -> UploadOutline:
    with _first_sheet(content) as sheet:
        declared = sheet.max_row  # from <dimension>; None without one
        # The first line as the check job reads it, not cut to the dimension's width.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        headers = list(next(rows, ()))
        if declared is not None and declared > 1:
            count = declared - 1
            _check_row_count(count, name)
        else:
            count = _count_to_limit(rows, name)
    return UploadOutline(headers=headers, rows=count)


def _xlsx_dataset(content: bytes, name: str) -> tablib.Dataset:
    """Every row the workbook holds: openpyxl's read-only sheet would otherwise stop at the
    rows and columns its dimension declares, and a file that understates them would be
    checked and imported in part."""
    limit = settings.REPORTING_IMPORT_MAX_ROWS
    with _first_sheet(content) as sheet:
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        headers = list(next(rows, ()))
        width = len(headers)
        dataset = tablib.Dataset(headers=headers)
        for count, row in enumerate(rows, 1):
            if count > limit:
                raise _too_many_rows(name)
            # Without a dimension a row ends at its last cell; a cell past the last column
            # the first line names belongs to no column.
            values = list(row[:width])
            dataset.append(values + [None] * (width - len(values)))
    return dataset
