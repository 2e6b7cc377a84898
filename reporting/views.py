"""Pages of the reporting workflow: focal points write and submit, the Secretariat reviews.

Views stay thin: a role decorator (accounts/roles.py) or a permission (reporting/permissions.py)
chooses between the page and a refusal; the view validates the form, calls one service and
renders. The services check the permission again, so a forged request is refused (403) however
it was built.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import AuditAction
from accounts.reauth import recent_authentication_required
from accounts.roles import refuse, secretariat_required, worker_required
from accounts.services import audit_record, client_ip
from core.services import check_version
from states.models import State

from . import permissions, selectors, services
from .forms import (
    ActionForm,
    BaseBulkRowFormSet,
    BulkChooseForm,
    BulkEntryForm,
    BulkRowFormSet,
    ImportConfirmForm,
    ImportForm,
    ReportForm,
    ReturnForm,
    ReviewDecision,
    ReviewDecisionForm,
    bulk_rows,
)
from .models import ImplementationReport, ImportJob
from .resources import REQUIRED_COLUMNS

if TYPE_CHECKING:
    from accounts.roles import AuthenticatedHttpRequest
else:
    AuthenticatedHttpRequest = HttpRequest


def _form_errors(form: BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form, on the field it names where there is one."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


# A State's reporting ------------------------------------------------------------------------


@login_required
def my_state(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A focal point's own State; staff, who have no State, go to the review queue."""
    user = request.user
    if permissions.is_secretariat(user):
        return redirect("reporting:review_queue")
    if not user.is_focal_point or user.state is None:
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


@worker_required
def report_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Write a new report; `?corrects=<id>` starts a correction of a validated report."""
    user = request.user
    staff = permissions.is_secretariat(user)
    corrects = None
    initial: dict[str, Any] = {}
    if request.GET.get("corrects"):
        try:
            corrects = _readable(
                request,
                ImplementationReport.objects.select_related("state", "recommendation"),
                request.GET["corrects"],
            )
        except _Hidden:
            return _hidden(request)
        if not permissions.can_correct_report(user, corrects):
            raise PermissionDenied
        initial = {
            **services.report_fields_from(corrects),
            "state": corrects.state.code,
            "recommendation": corrects.recommendation_id,
        }
    else:
        initial = {
            "state": request.GET.get("state") or (user.state.code if user.state else None),
            "recommendation": request.GET.get("recommendation"),
        }
    form = ReportForm(request.POST or None, request.FILES or None, staff=staff, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.implementation_report_create(
                by=user,
                state=data["state"],
                recommendation=data["recommendation"],
                attachments=data["attachments"],
                validate=data.get("validate", False),
                submit="submit" in request.POST,
                supersedes=corrects,
                **form.content(),
            )
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
    }[ReviewState(report.review_state)]


@worker_required
def report_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    try:
        report = _readable(request, selectors.report_for_page(), pk)
    except _Hidden:
        return _hidden(request)
    if not permissions.can_edit_report(request.user, report):
        return refuse(request)
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        instance=report,
        staff=permissions.is_secretariat(request.user),
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.implementation_report_update(
                report=report,
                by=request.user,
                version=form.cleaned_data["version"],
                attachments=form.cleaned_data["attachments"],
                submit="submit" in request.POST,
                **form.content(),
            )
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


class _Hidden(Exception):
    """A report the user may not read: answered exactly as a report that does not exist."""


def _readable(request: HttpRequest, queryset: Any, pk: int | str) -> ImplementationReport:
    """The report `pk` if the user may read it; otherwise _Hidden, whether it exists or not,
    so that another State's unpublished reports cannot be told from missing ones."""
    if not str(pk).isdigit():
        raise _Hidden
    report = queryset.filter(pk=pk).first()
    if report is None or not permissions.can_read_report(request.user, report):
        raise _Hidden
    return report


def _hidden(request: HttpRequest) -> HttpResponse:
    # Anonymous visitors are asked to sign in, whether the report exists or not (a focal
    # point following a link from an e-mail); anyone signed in gets the page for nothing.
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404


def report_detail(
    request: HttpRequest, pk: int, decision_form: ReviewDecisionForm | None = None
) -> HttpResponse:
    """A report; for the Secretariat, on a submitted report, also the page of its decision."""
    try:
        report = _readable(request, selectors.report_for_page(), pk)
    except _Hidden:
        return _hidden(request)
    user = request.user
    can_write = permissions.can_write_for_state(user, report.state_id)
    can_review = permissions.can_review_report(user, report)
    context: dict[str, Any] = {
        "report": report,
        # The steps of the review are the State's and the Secretariat's business.
        "steps": selectors.report_steps(report=report) if can_write else None,
        "can_edit": permissions.can_edit_report(user, report),
        "can_submit": permissions.can_submit_report(user, report),
        "can_review": can_review,
        "can_correct": permissions.can_correct_report(user, report),
    }
    if can_review:
        context.update(_review_context(report))
        context["decision_form"] = decision_form or ReviewDecisionForm(
            initial={"version": report.version}
        )
    return render(request, "reporting/report_detail.html", context)


def _review_context(report: ImplementationReport) -> dict[str, Any]:
    """What a reviewer weighs a report against: the State's published status on the
    recommendation, and its other reports on it (two queries)."""
    pair = {"state_id": report.state_id, "recommendation_id": report.recommendation_id}
    return {
        "previous": selectors.current_report(**pair),
        "other_reports": list(selectors.state_recommendation_reports(**pair, exclude_pk=report.pk)),
    }


def _action(
    request: HttpRequest,
    pk: int,
    service: Callable[..., ImplementationReport],
    done: str,
    **extra: Any,
) -> HttpResponse:
    try:
        report = _readable(request, ImplementationReport.objects.all(), pk)
    except _Hidden:
        return _hidden(request)
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
@worker_required
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        services.implementation_report_submit,
        _("Report submitted to the Secretariat for validation."),
    )


@require_POST
@secretariat_required
@recent_authentication_required(then="reporting:report_detail")
def report_validate(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        services.implementation_report_validate,
        _("Report validated: it is now published, and the State is told."),
    )


@require_POST
@secretariat_required
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReturnForm(request.POST)
    if not form.is_valid():
        # Shown as the decision form of the report's page, with the same errors.
        decision = ReviewDecisionForm({**request.POST.dict(), "decision": ReviewDecision.RETURN})
        decision.is_valid()
        return report_detail(request, pk, decision_form=decision)
    return _action(
        request,
        pk,
        services.implementation_report_return,
        _("Report returned to the State with your comment."),
        comment=form.cleaned_data["comment"],
    )


def _reviewable(request: HttpRequest, pk: int) -> ImplementationReport:
    """The submitted report `pk` for the reviewing Secretariat member; _Hidden if unreadable,
    _Decided (after saying why) if it is no longer waiting for a decision."""
    report = _readable(request, selectors.report_for_page(), pk)
    if not permissions.can_review_report(request.user, report):
        messages.error(
            request,
            _("This report is no longer waiting for validation: someone decided on it already."),
        )
        raise _Decided
    return report


class _Decided(Exception):
    """The report was validated or returned (or taken back) since the reviewer opened it."""


def _refused(request: HttpRequest, pk: int, exc: ValidationError) -> HttpResponse:
    """A decision the service refused (a stale version, a changed state): every reason as a
    message on the report's page, which then shows the report as it now is."""
    for message in exc.messages:
        messages.error(request, message)
    return redirect("reporting:report_detail", pk=pk)


@require_POST
@secretariat_required
def report_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The decision form of a submitted report: returning completes here; validating, which
    publishes for good, first asks for confirmation (report_review_confirm)."""
    try:
        report = _reviewable(request, pk)
    except _Hidden:
        return _hidden(request)
    except _Decided:
        return redirect("reporting:report_detail", pk=pk)
    form = ReviewDecisionForm(request.POST)
    if not form.is_valid():
        return report_detail(request, pk, decision_form=form)
    data = form.cleaned_data
    if data["decision"] == ReviewDecision.VALIDATE:
        try:
            check_version(report, data["version"])
        except ValidationError as exc:
            return _refused(request, pk, exc)
        return render(
            request,
            "reporting/report_review_confirm.html",
            {
                "report": report,
                "version": report.version if data["version"] is None else data["version"],
                **_review_context(report),
            },
        )
    try:
        services.implementation_report_return(
            report=report, by=request.user, comment=data["comment"], version=data["version"]
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "comment" in exc.error_dict:
            _form_errors(form, exc)
            return report_detail(request, pk, decision_form=form)
        return _refused(request, pk, exc)
    messages.success(
        request,
        _(
            "The report of %(state)s on %(recommendation)s was returned to the State with your "
            "comment."
        )
        % {"state": report.state.name, "recommendation": report.recommendation},
    )
    return redirect("reporting:review_queue")


@require_POST
@secretariat_required
@recent_authentication_required(then="reporting:report_detail")
def report_review_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Validate a submitted report, once confirmed: the decision and the version the reviewer
    saw come back as hidden fields, so a report changed meanwhile is refused, not published."""
    try:
        report = _reviewable(request, pk)
    except _Hidden:
        return _hidden(request)
    except _Decided:
        return redirect("reporting:report_detail", pk=pk)
    form = ReviewDecisionForm(request.POST)
    if not form.is_valid() or form.cleaned_data["decision"] != ReviewDecision.VALIDATE:
        messages.error(request, _("The request was not understood; try again."))
        return redirect("reporting:report_detail", pk=pk)
    try:
        services.implementation_report_validate(
            report=report, by=request.user, version=form.cleaned_data["version"]
        )
    except ValidationError as exc:
        return _refused(request, pk, exc)
    messages.success(
        request,
        _(
            "The report of %(state)s on %(recommendation)s was validated: it is now published, "
            "and the State is told."
        )
        % {"state": report.state.name, "recommendation": report.recommendation},
    )
    return redirect("reporting:review_queue")


def attachment_download(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    """Serve an attachment to a user allowed to read its report; there is no other way in."""
    attachment = selectors.attachment_for_download().filter(pk=pk).first()
    if attachment is None or not permissions.can_read_attachment(request.user, attachment):
        # As for reports: another State's unpublished file answers as a missing one.
        return _hidden(request)
    audit_record(
        action=AuditAction.PRIVATE_FILE_DOWNLOADED,
        actor=request.user,
        target=f"attachment {attachment.pk}",
        ip=client_ip(request),
        details={"report_id": attachment.report_id, "name": attachment.original_name},
    )
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


REVIEW_TABS: dict[str, tuple[Callable[[], Any], Any]] = {
    "submitted": (selectors.review_queue, gettext_lazy("Submitted")),
    "returned": (selectors.returned_reports, gettext_lazy("Returned")),
    "validated": (selectors.recently_validated_for_review, gettext_lazy("Recently validated")),
}
REVIEW_PAGE_SIZE = 25


@secretariat_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """The reports waiting on the Secretariat, those waiting on their States, and those
    validated lately: one tab each, `?tab=`, paged."""
    tab = request.GET.get("tab", "")
    if tab not in REVIEW_TABS:
        tab = "submitted"
    counts = selectors.review_queue_counts()
    paginator = Paginator(REVIEW_TABS[tab][0](), REVIEW_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    reports = list(page.object_list)
    if tab == "submitted":
        now = timezone.now()
        for report in reports:
            setattr(report, "days_waiting", (now - report.submitted_at).days)  # noqa: B010
    return render(
        request,
        "reporting/review_queue.html",
        {
            "tab": tab,
            "tabs": [
                {"key": key, "label": label, "count": counts[key]}
                for key, (_selector, label) in REVIEW_TABS.items()
            ],
            "reports": reports,
            "recent_days": selectors.RECENTLY_VALIDATED_DAYS,
            "page_obj": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        },
    )


# Where a bulk entry's outcome waits for its confirmation page (after the redirect).
BULK_RESULT_KEY = "reporting_bulk_entry_result"


@secretariat_required
def bulk_entry(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One recommendation across many States, in three steps on one address: choose (the
    recommendation, the States, the status), check each State's line, then see what was
    recorded (after a redirect, so a reload records nothing twice). Nothing is written
    before the last step; the choice travels in the check page's hidden fields."""
    step = request.POST.get("step") if request.method == "POST" else None
    if step == "record":
        return _bulk_entry_record(request)
    if step is None and "done" in request.GET and BULK_RESULT_KEY in request.session:
        stored = request.session[BULK_RESULT_KEY]
        result = selectors.bulk_entry_result(
            recommendation_id=stored["recommendation"],
            report_ids=stored["created"],
            skipped={pk: str(services.BULK_SKIP_REASONS[code]) for pk, code in stored["skipped"]},
        )
        return render(request, "reporting/bulk_entry_done.html", {"result": result})
    choose = BulkChooseForm(request.POST if step else None)
    if step == "check" and choose.is_valid():
        return _bulk_entry_check(
            request, choose=choose, formset=bulk_rows(data=choose.cleaned_data)
        )
    return render(request, "reporting/bulk_entry.html", {"form": choose})


def _bulk_entry_check(
    request: HttpRequest,
    *,
    choose: BulkChooseForm,
    formset: BaseBulkRowFormSet,
    form: BulkEntryForm | None = None,
) -> HttpResponse:
    labels = formset.record_labels()
    return render(
        request,
        "reporting/bulk_entry_check.html",
        {
            "choose": choose,
            "form": form,
            "summary_form": form or choose,
            "formset": formset,
            "record_labels": labels,
            "record_label": labels[formset.included_count()],
        },
    )


def _bulk_entry_record(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = BulkEntryForm(request.POST)
    recommendation = form.cleaned_data["recommendation"] if form.is_valid() else None
    formset = BulkRowFormSet(request.POST, prefix="rows", recommendation=recommendation)
    if recommendation is not None and formset.is_valid():
        data = form.cleaned_data
        try:
            outcome = services.implementation_reports_bulk_create(
                by=request.user,
                recommendation=recommendation,
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
            request.session[BULK_RESULT_KEY] = {
                "recommendation": recommendation.pk,
                "created": [report.pk for report in outcome.created],
                "skipped": [[skip.state.pk, skip.code] for skip in outcome.skipped],
            }
            return redirect(f"{reverse('reporting:bulk_entry')}?done=1")
    # The hidden fields of step one, so that "Change the choice" keeps it; not checked here.
    return _bulk_entry_check(
        request, choose=BulkChooseForm(request.POST), formset=formset, form=form
    )


@secretariat_required
def import_reports(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upload a CSV or XLSX file: refused at once if it cannot be read or its columns are
    wrong; otherwise held, its rows checked by a job, and its page opened."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.implementation_reports_import_upload(
                by=request.user, content=upload.read(), filename=upload.name
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return redirect("reporting:import_job", pk=job.pk)
    return render(request, "reporting/import.html", {"form": form, "columns": REQUIRED_COLUMNS})


@require_POST
@secretariat_required
def import_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Import a checked file; every row is checked again, and all or none is written.
    Only the staff member who uploaded it may (anyone else: 404, as for its page)."""
    job = get_object_or_404(ImportJob, pk=pk, created_by=request.user)
    form = ImportConfirmForm(request.POST)
    form.is_valid()  # one optional checkbox: always valid, unticked when absent
    try:
        services.implementation_reports_import_queue(
            by=request.user, job_id=job.pk, validate=form.cleaned_data.get("validate", False)
        )
    except services.ImportPreviewExpired as exc:
        messages.error(request, exc.messages[0])
        if job.checking:
            return redirect("reporting:import_job", pk=job.pk)
        return redirect("reporting:import")
    return redirect("reporting:import_job", pk=job.pk)


@secretariat_required
def import_job(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An upload's check and import: the progress while a job runs (the page reloads itself),
    then the preview to confirm or the errors, then the outcome. Only the staff member who
    uploaded the file sees it."""
    job = get_object_or_404(ImportJob, pk=pk, created_by=request.user)
    done = services.import_job_progress(job)
    percent = (
        job.percent if job.finished or not job.total_rows else int(100 * done / job.total_rows)
    )
    expired = job.status == ImportJob.Status.CHECKED and services.import_job_expired(job)
    return render(
        request,
        "reporting/import_job.html",
        {
            "job": job,
            "done": done,
            "percent": percent,
            "refresh_seconds": 2,
            "expired": expired,
            "confirm_form": ImportConfirmForm()
            if job.status == ImportJob.Status.CHECKED and not expired
            else None,
        },
    )
