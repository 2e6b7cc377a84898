"""The staff pages that import a meeting report: upload, the job's page (progress, preview,
confirm, result) and the meeting as imported.

Uploading only checks the file's size and kind, holds it and queues the job that reads it
(ingest.import_jobs); the job page refreshes itself while a worker reads or imports, then shows
the preview with Confirm, then the result. Only the staff member who uploaded a file sees its
job. A report's version in another language (only the texts of the recommendations on record,
matched by their numbers) has no preview: its job imports it at once.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from meetings.models import Meeting
from recommendations.models import Recommendation
from recommendations.similarity import NEAR_DUPLICATE_SCORE

from .forms import ReportConfirmForm, ReportUploadForm
from .import_jobs import nothing_to_confirm, report_import_job_confirm, report_import_job_create
from .models import ReportImportJob
from .report_parser import ReportParseError
from .selectors import report_import_job_preview

# Seconds between two loads of a working job's page.
REFRESH_SECONDS = 2


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
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["report"]
        try:
            job = report_import_job_create(
                by=request.user,
                content=upload.read(),
                filename=upload.name or "",
                meeting_ordinal=form.cleaned_data["meeting"],
                update=form.cleaned_data["update"],
                language=request.LANGUAGE_CODE,
                report_language=form.cleaned_data["language"] or "en",
            )
        except ReportParseError as exc:
            form.add_error("report", str(exc))
        else:
            return redirect("report_import:job", pk=job.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "ingest/import/upload.html", {"form": form}, status=status)


@staff_required
def job(request: HttpRequest, pk: int) -> HttpResponse:
    """A meeting report's job: its progress while a worker reads or imports it (the page
    reloads itself, no JavaScript needed), then the preview with Confirm, then the result."""
    found = get_object_or_404(ReportImportJob, pk=pk, created_by=request.user)
    form = ReportConfirmForm(names=found.preview.get("unresolved_names", []))
    return _job_page(request, found, form)


@staff_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue the import previewed, once: a second confirmation finds it under way."""
    found = get_object_or_404(ReportImportJob, pk=pk, created_by=request.user)
    form = ReportConfirmForm(request.POST, names=found.preview.get("unresolved_names", []))
    if found.status == ReportImportJob.Status.CHECKED and not form.is_valid():
        # Only a name left unresolved: the same preview again, with the error summary.
        return _job_page(request, found, form, status=400)
    if form.is_valid():
        report_import_job_confirm(job_id=found.pk, by=request.user, aliases=form.aliases())
    return redirect("report_import:job", pk=found.pk)


def _job_page(
    request: HttpRequest, found: ReportImportJob, form: ReportConfirmForm, *, status: int = 200
) -> HttpResponse:
    context = {
        "job": found,
        "refresh_seconds": REFRESH_SECONDS,
        "step": found.steps(),
        "near_duplicate_score": NEAR_DUPLICATE_SCORE,
        "confirm_form": form,
        "form": form,
    }
    if found.status == ReportImportJob.Status.CHECKED:
        context.update(report_import_job_preview(found))
        context["nothing_to_confirm"] = nothing_to_confirm(found.preview)
    elif found.status == ReportImportJob.Status.DONE and found.report_language == "en":
        context["meeting"] = _meeting_on_record(found.result.get("meeting_ordinal"))
    return render(request, "ingest/import/job.html", context, status=status)


def _meeting_on_record(ordinal: int | None) -> Meeting | None:
    recommendations = Recommendation.objects.exclude(
        status=Recommendation.Status.PROPOSED
    ).select_related("agenda_item")
    return (
        Meeting.objects.prefetch_related(
            "agenda_items", Prefetch("recommendations", queryset=recommendations)
        )
        .filter(ordinal=ordinal)
        .first()
    )


@staff_required
def done(request: HttpRequest, ordinal: int) -> HttpResponse:
    """The meeting as it now is on record: its agenda and its recommendations."""
    meeting = _meeting_on_record(ordinal)
    if meeting is None:
        raise Http404
    return render(request, "ingest/import/done.html", {"meeting": meeting})
