from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from recommendations.admin import RecommendationAdmin
from recommendations.models import Recommendation
from states.admin import StateAdmin
from states.models import State

from . import permissions, services
from .forms import ImplementationReportAdminForm
from .models import ImplementationReport, ReportAttachment


class ImplementationReportInline(admin.TabularInline):
    """Reports shown on a recommendation and on a State.

    Read-only here: a report is entered or corrected through its own admin page, where the
    service keeps who and when; never deleted.
    """

    model = ImplementationReport
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ("state", "recommendation", "status", "as_of", "source", "review_state")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .select_related("state", "recommendation__meeting")
            .order_by("-as_of", "-pk")
        )


class ReportAttachmentInline(admin.TabularInline):
    """Attachments are listed with a link through the permission-checked view; never deleted."""

    model = ReportAttachment
    extra = 0
    can_delete = False
    fields = ("download", "content_type", "size", "uploaded_by", "uploaded_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("uploaded_by")

    @admin.display(description=_("file"))
    def download(self, obj: ReportAttachment) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("reporting:attachment", args=[obj.pk]), obj.original_name
        )


@admin.register(ImplementationReport)
class ImplementationReportAdmin(SimpleHistoryAdmin):
    """Staff entry and review of reports, through the same services as the reporting pages.

    A new report is a draft or, checked by staff, validated at once. A validated report is
    read-only here: a correction is a new report that supersedes it ("Record a correction").
    Edits carry the version the editor started from; a stale copy is refused.
    """

    form = ImplementationReportAdminForm
    list_display = ("state", "recommendation", "status", "as_of", "source", "review_state")
    list_filter = (
        "review_state",
        "status",
        "source",
        "state__regional_group",
        "recommendation__meeting",
        "recommendation__themes",
    )
    list_select_related = ("state", "recommendation__meeting")
    search_fields = ("state__name", "recommendation__text", "description")
    autocomplete_fields = ("state", "recommendation", "supersedes")
    date_hierarchy = "as_of"
    inlines = (ReportAttachmentInline,)
    actions = ("validate_selected",)
    # Evidence links are typed without a scheme more often than not; assume the safe one.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    ALWAYS_READ_ONLY = (
        "submitted_by",
        "validated_by",
        "validated_at",
        "created_at",
        "updated_at",
        "version",
        "review_comment",
        # Only load_demo_reports makes demonstration data.
        "is_demonstration",
    )

    change_form_template = "reporting/admin_report_change_form.html"

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        if obj is None:
            return self.ALWAYS_READ_ONLY
        # A report stays with its State and recommendation; its review moves through actions.
        return (*self.ALWAYS_READ_ONLY, "state", "recommendation", "review_state", "supersedes")

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        # A validated report never changes: the admin shows it read-only, with a link to
        # record a correction instead.
        if obj is not None and obj.review_state == ImplementationReport.ReviewState.VALIDATED:
            return False
        return super().has_change_permission(request, obj)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        initial = super().get_changeform_initial_data(request)
        wanted = request.GET.get("supersedes", "")
        corrected = (
            ImplementationReport.objects.filter(pk=wanted).first() if wanted.isdigit() else None
        )
        if corrected is not None:
            initial.update(
                state=corrected.state_id,
                recommendation=corrected.recommendation_id,
                source=corrected.source,
                source_meeting=corrected.source_meeting_id,
                **services.report_fields_from(corrected),
            )
        return initial

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_inlines(self, request: HttpRequest, obj=None):
        # Files are attached on the reporting pages, where they are checked by content.
        return self.inlines if obj is not None else ()

    def save_model(self, request, obj, form, change) -> None:
        # The form has checked the values and the version; the service checks them again
        # under a row lock (a race with another editor aborts the admin's transaction).
        data = form.cleaned_data
        if not change:
            saved = services.implementation_report_create(
                by=request.user,
                state=data["state"],
                recommendation=data["recommendation"],
                source=data["source"],
                source_meeting=data.get("source_meeting"),
                supersedes=data.get("supersedes"),
                validate=data.get("review_state") == ImplementationReport.ReviewState.VALIDATED,
                **{name: data.get(name) for name in services.REPORT_CONTENT_FIELDS},
            )
        else:
            editable = services.REPORT_CONTENT_FIELDS + services.REPORT_SOURCE_FIELDS
            saved = services.implementation_report_update(
                report=obj,
                by=request.user,
                version=data.get("expected_version"),
                **{name: data[name] for name in form.changed_data if name in editable},
            )
        # The admin logs and redirects using `obj`; make it the record the service saved.
        obj.pk = saved.pk
        obj.refresh_from_db()

    @admin.action(description=_("Validate the selected submitted reports"))
    def validate_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        if not permissions.can_review(request.user):
            raise PermissionDenied
        done = 0
        for report in queryset.filter(review_state=ImplementationReport.ReviewState.SUBMITTED):
            try:
                services.implementation_report_validate(report=report, by=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{report}: {'; '.join(exc.messages)}", messages.ERROR)
            else:
                done += 1
        self.message_user(
            request, _("%(count)s reports validated.") % {"count": done}, messages.SUCCESS
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.review_state == ImplementationReport.ReviewState.VALIDATED:
            context["correction_url"] = (
                reverse("admin:reporting_implementationreport_add") + f"?supersedes={obj.pk}"
            )
        return super().render_change_form(request, context, add, change, form_url, obj)


# Reports are shown on the pages of the records they are about. Those admins belong to the
# apps below this one, so this app extends them rather than them importing reports.
admin.site.unregister(Recommendation)
admin.site.unregister(State)


@admin.register(Recommendation)
class RecommendationWithReportsAdmin(RecommendationAdmin):
    inlines = (*RecommendationAdmin.inlines, ImplementationReportInline)


@admin.register(State)
class StateWithReportsAdmin(StateAdmin):
    inlines = (*StateAdmin.inlines, ImplementationReportInline)
