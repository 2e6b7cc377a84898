"""Snapshots and reminders in the admin: read-only records of what the tasks did.

The schedules themselves are django-celery-beat's Periodic tasks (same admin), created by
migration 0002; staff change their times or disable them there. A snapshot is computed by
hand with `python manage.py compute_compliance`.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import ComplianceSnapshot, ReminderLog, ReminderSettings, SecretariatReport
from .services import reminder_settings_update


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written only by the tasks: the admin shows, it never adds or edits."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(ComplianceSnapshot)
class ComplianceSnapshotAdmin(ReadOnlyAdmin):
    list_display = (
        "sequence",
        "computed_at",
        "trigger",
        "validated_reports",
        "demonstration_reports",
        "figure_count",
    )
    list_filter = ("trigger",)
    date_hierarchy = "computed_at"
    fields = (
        "sequence",
        "computed_at",
        "trigger",
        "validated_reports",
        "demonstration_reports",
        "reports_updated_at",
        "fingerprint",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(figure_count=Count("figures"))

    @admin.display(description=_("figure rows"), ordering="figure_count")
    def figure_count(self, snapshot: ComplianceSnapshot) -> int:
        return snapshot.figure_count


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnlyAdmin):
    list_display = (
        "state",
        "iso_year",
        "iso_week",
        "meeting",
        "missing_recommendations",
        "sent_at",
    )
    list_filter = ("iso_year", "meeting")
    list_select_related = ("state", "meeting")
    search_fields = ("state__name",)
    date_hierarchy = "sent_at"


@admin.register(SecretariatReport)
class SecretariatReportAdmin(ReadOnlyAdmin):
    """The reports the Secretariat asked for; built by their task, downloaded from their page."""

    list_display = ("meeting", "snapshot", "language", "status", "progress", "requested_at")
    list_filter = ("status", "language")
    list_select_related = ("meeting", "snapshot")


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(admin.ModelAdmin):
    """The one row of reminder settings (also kept on the Secretariat's Reminders page); saved
    through the same service, so the admin and the page apply the same rules."""

    list_display = ("__str__", "days_after_meeting", "updated_at", "updated_by")
    fields = ("days_after_meeting", "updated_at", "updated_by")
    readonly_fields = ("updated_at", "updated_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the migration makes the row, the service remakes it if missing

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: ReminderSettings, form: object, change: bool
    ) -> None:
        saved = reminder_settings_update(
            days_after_meeting=obj.days_after_meeting,
            by=request.user,  # type: ignore[arg-type]  # the admin is for signed-in staff
        )
        obj.updated_at, obj.updated_by = saved.updated_at, saved.updated_by
