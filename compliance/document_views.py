"""The Secretariat's implementation report for a meeting: choose, preview, build, download.

Secretariat staff only. The build runs as a Celery task (compliance/tasks.py) that records
its progress on the report; the status page polls it with htmx (without JavaScript, a link
checks again). Built files are kept with their snapshot and download unchanged ever after.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from accounts.models import AuditAction
from accounts.roles import is_secretariat, refuse, secretariat_required
from accounts.services import audit_record, client_ip

from . import selectors, services
from .documents import secretariat_report_document
from .forms import SecretariatReportForm
from .models import SecretariatReport

if TYPE_CHECKING:
    from accounts.roles import AuthenticatedHttpRequest

# htmx stops polling when a response has this status (its documented convention).
HTMX_STOP_POLLING = 286


def _form_page(
    request: HttpRequest, form: SecretariatReportForm, *, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "compliance/documents/index.html",
        {"form": form, "reports": selectors.secretariat_reports()[:50]},
        status=status,
    )


@secretariat_required
def report_index(request: HttpRequest) -> HttpResponse:
    """Choose the meeting, snapshot and language (the preview's "Change" link brings the
    choices back); and the reports already asked for."""
    choices = {
        name: request.GET[name] for name in SecretariatReportForm.base_fields if name in request.GET
    }
    return _form_page(request, SecretariatReportForm(initial=choices))


@secretariat_required
def report_preview(request: HttpRequest) -> HttpResponse:
    """The report as it will read, from the chosen snapshot, before anything is built."""
    form = SecretariatReportForm(request.GET)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    data = form.cleaned_data
    snapshot = selectors.snapshot_with_figures(pk=data["snapshot"].pk)
    with translation.override(data["language"]):
        document = secretariat_report_document(snapshot=snapshot, meeting=data["meeting"])
    return render(
        request,
        "compliance/documents/preview.html",
        {
            "form": form,
            "choices": data,
            "document": document,
            "demonstration": document.demonstration,
            "change_url": f"{reverse('compliance:reports')}?{urlencode(request.GET)}",
        },
    )


@secretariat_required
def report_generate(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Ask for the report to be built (or find the one already built), then follow it."""
    if request.method != "POST":
        return redirect("compliance:reports")
    form = SecretariatReportForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    try:
        document = services.secretariat_report_request(by=request.user, **form.cleaned_data)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
        return _form_page(request, form, status=400)
    return redirect("compliance:report_status", pk=document.pk)


@secretariat_required
def report_status(request: HttpRequest, pk: int) -> HttpResponse:
    """How far the build is; the downloads once it is done. An htmx request gets the
    progress alone, with the status that stops polling once the build has finished."""
    document = get_object_or_404(selectors.secretariat_reports(), pk=pk)
    context = {"document": document}
    if request.htmx:  # type: ignore[attr-defined]  # django-htmx's middleware sets it
        response = render(request, "compliance/documents/_progress.html", context)
        if document.is_finished:
            response.status_code = HTMX_STOP_POLLING
        return response
    return render(request, "compliance/documents/status.html", context)


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def report_download(request: HttpRequest, pk: int, file_format: str) -> HttpResponse | FileResponse:
    """A built file, as it was built (Secretariat staff only: the role is checked here, as
    the page decorator types only pages)."""
    if not is_secretariat(request.user):
        return refuse(request)
    document = get_object_or_404(SecretariatReport, pk=pk, status=SecretariatReport.Status.DONE)
    if file_format not in CONTENT_TYPES:
        raise Http404
    stored = document.pdf if file_format == "pdf" else document.docx
    if not stored:
        raise Http404
    audit_record(
        action=AuditAction.PRIVATE_FILE_DOWNLOADED,
        actor=request.user,
        target=f"Secretariat report {document.pk}",
        ip=client_ip(request),
        details={"format": file_format, "name": stored.name.rsplit("/", 1)[-1]},
    )
    return FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=stored.name.rsplit("/", 1)[-1],
        content_type=CONTENT_TYPES[file_format],
    )
