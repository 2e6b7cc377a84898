"""Pages of the reporting workflow: focal points write and submit, the Secretariat reviews.

Views stay thin: they check the permission (recommendations/permissions.py) to choose between
the page and a refusal, validate the form, call one service and render. The services check
the permission again, so a forged request is refused (403) however it was built.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.storage import PrivateAttachmentStorage
from states.models import State

from . import permissions, selectors, services
from .forms import (
    ActionForm,
    BulkEntryForm,
    BulkRowFormSet,
    ImportConfirmForm,
    ImportForm,
    ReportForm,
    ReturnForm,
)
from .models import ImplementationReport
from .resources import REQUIRED_COLUMNS, dataset_from_upload

_IMPORT_SALT = "reporting.import"
_import_storage = PrivateAttachmentStorage()


def _refuse(request: HttpRequest) -> HttpResponse:
    """Anonymous users are asked to sign in; signed-in users who may not are refused (403)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def _form_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form, on the field it names where there is one."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _staff_only(request: HttpRequest) -> HttpResponse | None:
    if permissions.is_secretariat(request.user):
        return None
    return _refuse(request)


# A State's reporting ------------------------------------------------------------------------


@login_required
def my_state(request: HttpRequest) -> HttpResponse:
    """A focal point's own State; staff, who have no State, go to the review queue."""
    user = request.user
    if permissions.is_secretariat(user):
        return redirect("reporting:review_queue")
    if not user.is_focal_point:
        raise PermissionDenied
    return _state_page(request, user.state)


@login_required
def state_reports(request: HttpRequest, code: str) -> HttpResponse:
    state = get_object_or_404(State.objects.select_related("regional_group"), code=code)
    if not permissions.can_write_for_state(request.user, state.pk):
        raise PermissionDenied
    return _state_page(request, state)


def _state_page(request: HttpRequest, state: State) -> HttpResponse:
    return render(
        request,
        "reporting/state.html",
        {"state": state, "rows": selectors.state_reporting_rows(state=state)},
    )


# Writing a report -----------------------------------------------------------------------------


def report_new(request: HttpRequest) -> HttpResponse:
    """Write a new report; `?corrects=<id>` starts a correction of a validated report."""
    user = request.user
    if not (permissions.is_secretariat(user) or getattr(user, "is_focal_point", False)):
        return _refuse(request)
    staff = permissions.is_secretariat(user)
    corrects = None
    initial: dict = {}
    if request.GET.get("corrects"):
        corrects = get_object_or_404(
            ImplementationReport.objects.select_related("state", "recommendation"),
            pk=request.GET["corrects"],
        )
        if not permissions.can_correct_report(user, corrects):
            raise PermissionDenied
        initial = {
            **services.report_fields_from(corrects),
            "state": corrects.state.code,
            "recommendation": corrects.recommendation_id,
        }
    else:
        initial = {
            "state": request.GET.get("state") or (user.state.code if user.state_id else None),
            "recommendation": request.GET.get("recommendation"),
        }
    form = ReportForm(request.POST or None, request.FILES or None, staff=staff, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                report = services.implementation_report_create(
                    by=user,
                    state=data["state"],
                    recommendation=data["recommendation"],
                    attachments=data["attachments"],
                    validate=data.get("validate", False),
                    supersedes=corrects,
                    **form.content(),
                )
                if "submit" in request.POST and report.review_state != report.ReviewState.VALIDATED:
                    report = services.implementation_report_submit(report=report, by=user)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _saved_message(report))
            return redirect("reporting:report_detail", pk=report.pk)
    return render(
        request,
        "reporting/report_form.html",
        {"form": form, "corrects": corrects, "staff": staff},
    )


def _saved_message(report: ImplementationReport) -> str:
    ReviewState = ImplementationReport.ReviewState
    return {
        ReviewState.DRAFT: _("Draft saved. Submit it for validation when it is ready."),
        ReviewState.SUBMITTED: _("Report submitted to the Secretariat for validation."),
        ReviewState.VALIDATED: _("Report recorded as validated: it is now published."),
        ReviewState.RETURNED: _("Report saved."),
    }[report.review_state]


def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(selectors.report_for_page(), pk=pk)
    if not permissions.can_edit_report(request.user, report):
        return _refuse(request)
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        instance=report,
        staff=permissions.is_secretariat(request.user),
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                saved = services.implementation_report_update(
                    report=report,
                    by=request.user,
                    version=form.cleaned_data["version"],
                    attachments=form.cleaned_data["attachments"],
                    **form.content(),
                )
                if "submit" in request.POST:
                    saved = services.implementation_report_submit(report=saved, by=request.user)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _saved_message(saved))
            return redirect("reporting:report_detail", pk=saved.pk)
    return render(
        request,
        "reporting/report_form.html",
        {"form": form, "report": report, "staff": permissions.is_secretariat(request.user)},
    )


# Reading a report and acting on it ------------------------------------------------------------


def report_detail(request: HttpRequest, pk: int, return_form: ReturnForm | None = None):
    report = get_object_or_404(selectors.report_for_page(), pk=pk)
    user = request.user
    if not permissions.can_read_report(user, report):
        return _refuse(request)
    can_write = permissions.can_write_for_state(user, report.state_id)
    return render(
        request,
        "reporting/report_detail.html",
        {
            "report": report,
            # The steps of the review are the State's and the Secretariat's business.
            "steps": selectors.report_steps(report=report) if can_write else None,
            "can_edit": permissions.can_edit_report(user, report),
            "can_submit": permissions.can_submit_report(user, report),
            "can_review": permissions.can_review_report(user, report),
            "can_correct": permissions.can_correct_report(user, report),
            "return_form": return_form or ReturnForm(initial={"version": report.version}),
        },
    )


def _action(request: HttpRequest, pk: int, service, done: str, **extra) -> HttpResponse:
    report = get_object_or_404(ImplementationReport, pk=pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The request was not understood; try again."))
        return redirect("reporting:report_detail", pk=pk)
    try:
        service(report=report, by=request.user, version=form.cleaned_data["version"], **extra)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("reporting:report_detail", pk=pk)


@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return _refuse(request)
    return _action(
        request,
        pk,
        services.implementation_report_submit,
        _("Report submitted to the Secretariat for validation."),
    )


@require_POST
def report_validate(request: HttpRequest, pk: int) -> HttpResponse:
    if refused := _staff_only(request):
        return refused
    return _action(
        request,
        pk,
        services.implementation_report_validate,
        _("Report validated: it is now published, and the State is told."),
    )


@require_POST
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    if refused := _staff_only(request):
        return refused
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return report_detail(request, pk, return_form=form)
    return _action(
        request,
        pk,
        services.implementation_report_return,
        _("Report returned to the State with your comment."),
        comment=form.cleaned_data["comment"],
    )


def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Serve an attachment to a user allowed to read its report; there is no other way in."""
    attachment = get_object_or_404(selectors.attachment_for_download(), pk=pk)
    if not permissions.can_read_attachment(request.user, attachment):
        return _refuse(request)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    # Unpublished evidence must not linger in shared caches.
    response["Cache-Control"] = "private, no-store"
    return response


# The Secretariat's pages --------------------------------------------------------------------


def review_queue(request: HttpRequest) -> HttpResponse:
    if refused := _staff_only(request):
        return refused
    return render(
        request,
        "reporting/review_queue.html",
        {"reports": selectors.review_queue()},
    )


def bulk_entry(request: HttpRequest) -> HttpResponse:
    """One recommendation across many States in one form, all recorded or none."""
    if refused := _staff_only(request):
        return refused
    form = BulkEntryForm(request.POST or None)
    formset = BulkRowFormSet(request.POST or None, prefix="rows")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            reports = services.implementation_reports_bulk_create(
                by=request.user,
                recommendation=data["recommendation"],
                as_of=data["as_of"],
                source=data["source"],
                source_meeting=data["source_meeting"],
                evidence_url=data["evidence_url"],
                validate=data["validate"],
                entries=formset.entries(),
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("%(count)s reports recorded.") % {"count": len(reports)})
            return redirect("reporting:bulk_entry")
    return render(
        request,
        "reporting/bulk_entry.html",
        {"form": form, "formset": formset},
    )


def import_reports(request: HttpRequest) -> HttpResponse:
    """Upload a CSV or XLSX file: a dry run shows what would be imported, or every error."""
    if refused := _staff_only(request):
        return refused
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form, "columns": REQUIRED_COLUMNS}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            dataset = dataset_from_upload(content=content, name=upload.name)
            outcome = services.implementation_reports_import(
                by=request.user,
                dataset=dataset,
                dry_run=True,
                validate=form.cleaned_data["validate"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            context["outcome"] = outcome
            if not outcome.has_errors:
                # Kept privately until confirmed; the signed token names it and its uploader.
                name = _import_storage.save(
                    f"imports/{uuid.uuid4().hex}.upload", ContentFile(content)
                )
                token = signing.dumps(
                    {"name": name, "file": upload.name, "user": request.user.pk},
                    salt=_IMPORT_SALT,
                )
                context["confirm_form"] = ImportConfirmForm(
                    initial={"token": token, "validate": form.cleaned_data["validate"]}
                )
    return render(request, "reporting/import.html", context)


@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    """Import the file previewed; every row is checked again, and all or none is written."""
    if refused := _staff_only(request):
        return refused
    form = ImportConfirmForm(request.POST)
    try:
        if not form.is_valid():
            raise signing.BadSignature
        stash = signing.loads(form.cleaned_data["token"], salt=_IMPORT_SALT, max_age=3600)
        if stash["user"] != request.user.pk or not _import_storage.exists(stash["name"]):
            raise signing.BadSignature
    except signing.BadSignature:
        messages.error(request, _("This preview has expired; upload the file again."))
        return redirect("reporting:import")
    with _import_storage.open(stash["name"], "rb") as stashed:
        content = stashed.read()
    outcome = services.implementation_reports_import(
        by=request.user,
        dataset=dataset_from_upload(content=content, name=stash["file"]),
        dry_run=False,
        validate=form.cleaned_data["validate"],
    )
    if outcome.has_errors:
        # The data changed between preview and confirmation; nothing was imported.
        return render(
            request,
            "reporting/import.html",
            {"form": ImportForm(), "outcome": outcome, "columns": REQUIRED_COLUMNS},
        )
    _import_storage.delete(stash["name"])
    messages.success(
        request,
        _("%(count)s reports imported from %(file)s.")
        % {"count": outcome.created, "file": stash["file"]},
    )
    return redirect("reporting:review_queue")
