"""The staff page that imports a meeting report: upload, preview, confirm.

Upload parses the file and shows what importing it would create or change (the import runs in
a transaction that is rolled back), with the parser's warnings and the near-duplicates of
each incoming recommendation. Confirm imports, in one transaction, exactly what was previewed:
the parsed report travels in a signed token, so the file is neither stored nor read twice.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from meetings.models import Meeting, Participation
from recommendations.models import Recommendation
from recommendations.similarity import NEAR_DUPLICATE_SCORE

from .forms import ReportConfirmForm, ReportUploadForm, preview_token
from .report_parser import ParsedReport
from .services import (
    ReportImportResult,
    report_import,
    report_import_preview,
    report_language_import,
    validation_error_line,
)


def staff_required(view):
    """Secretariat only (the same rule as the review queue): others are sent to sign in, or
    refused (403) if signed in."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_secretariat:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@staff_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    form = ReportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and "language_version" in form.cleaned_data:
        # A language version writes only the texts of recommendations on record, all or
        # nothing, and never the English: imported at once, its outcome shown label by label.
        try:
            outcome = report_language_import(
                version=form.cleaned_data["language_version"],
                meeting_ordinal=form.cleaned_data["meeting"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, validation_error_line(exc))
        else:
            return render(request, "ingest/import/language_done.html", {"result": outcome})
    elif request.method == "POST" and form.is_valid():
        report = form.cleaned_data["parsed"]
        meeting, update = form.cleaned_data["meeting"], form.cleaned_data["update"]
        try:
            result = report_import_preview(report=report, meeting_ordinal=meeting, update=update)
        except ValidationError as exc:
            form.add_error(None, validation_error_line(exc))
        else:
            filename = form.cleaned_data["report"].name
            token = preview_token(
                user=request.user,
                report=report,
                meeting=meeting,
                update=update,
                names=result.unresolved_names,
                filename=filename,
            )
            confirm_form = ReportConfirmForm(
                initial={"token": token}, user=request.user, names=result.unresolved_names
            )
            return _preview(request, report, result, confirm_form, filename=filename, update=update)
    status = 400 if request.method == "POST" else 200
    return render(request, "ingest/import/upload.html", {"form": form}, status=status)


def _preview(
    request: HttpRequest,
    report: ParsedReport,
    result: ReportImportResult,
    confirm_form: ReportConfirmForm,
    *,
    filename: str,
    update: bool,
    status: int = 200,
) -> HttpResponse:
    outcomes = {change.label: change for change in result.changes if change.label}
    rows = [
        {
            "recommendation": recommendation,
            "change": outcomes.get(recommendation.label),
            "similar": result.near_duplicates.get(recommendation.label, []),
        }
        for recommendation in report.recommendations
    ]
    return render(
        request,
        "ingest/import/preview.html",
        {
            "report": report,
            "result": result,
            "rows": rows,
            "filename": filename,
            "near_duplicate_score": NEAR_DUPLICATE_SCORE,
            "attendance": [
                (Participation.Capacity(capacity).label, names)
                for capacity, names in report.attendance.items()
                if names
            ],
            "update": update,
            # Confirm is offered only when it would do something: write a record, or record
            # how the Secretariat resolved a name.
            "nothing_to_confirm": not result.changes_anything and not confirm_form.names,
            "confirm_form": confirm_form,
            "form": confirm_form,
        },
        status=status,
    )


@staff_required
@require_POST
def confirm(request: HttpRequest) -> HttpResponse:
    form = ReportConfirmForm(request.POST, user=request.user)
    if form.is_valid():
        chosen = form.cleaned_data["token"]
        try:
            result = report_import(
                report=chosen["report"],
                meeting_ordinal=chosen["meeting"],
                update=chosen["update"],
                aliases=form.aliases(),
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, validation_error_line(exc))
        else:
            counts = result.counts()
            messages.success(
                request,
                _(
                    "Report imported: %(created)s records created, %(updated)s updated, "
                    "%(overwritten)s overwritten, %(kept)s edited by staff kept, "
                    "%(unchanged)s unchanged."
                )
                % counts,
            )
            return redirect("report_import:done", ordinal=result.meeting_ordinal)
    elif "token" not in form.errors:
        # Only a name left unresolved: the same preview again, with the error summary.
        chosen = form.cleaned_data["token"]
        result = report_import_preview(
            report=chosen["report"], meeting_ordinal=chosen["meeting"], update=chosen["update"]
        )
        return _preview(
            request,
            chosen["report"],
            result,
            form,
            filename=chosen["filename"],
            update=chosen["update"],
            status=400,
        )
    # Back to the upload form, saying why: a new upload is the way on.
    errors = [*form.errors.get("token", []), *form.non_field_errors()]
    return render(
        request,
        "ingest/import/upload.html",
        {"form": ReportUploadForm(), "confirm_errors": errors},
        status=400,
    )


@staff_required
def done(request: HttpRequest, ordinal: int) -> HttpResponse:
    """The meeting as it now is on record: its agenda and its recommendations."""
    recommendations = Recommendation.objects.exclude(
        status=Recommendation.Status.PROPOSED
    ).select_related("agenda_item")
    meeting = get_object_or_404(
        Meeting.objects.prefetch_related(
            "agenda_items", Prefetch("recommendations", queryset=recommendations)
        ),
        ordinal=ordinal,
    )
    return render(request, "ingest/import/done.html", {"meeting": meeting})
