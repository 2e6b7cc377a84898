from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import ImplementationReport, Recommendation, Theme


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


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "order")
    search_fields = ("name", "key_topics")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_at", "updated_at")


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    list_display = (
        "display_label",
        "meeting",
        "status",
        "section",
        "strength",
        "addressee",
        "theme_names",
        "short_text",
    )
    list_filter = ("meeting", "status", "themes", "strength", "addressee", "section")
    list_select_related = ("meeting",)
    search_fields = ("label", "text", "chapeau")
    autocomplete_fields = ("proposer", "adopted_as")
    raw_id_fields = ("agenda_item",)
    filter_horizontal = ("themes",)
    readonly_fields = ("created_at", "updated_at")
    inlines = (ImplementationReportInline,)
    fieldsets = (
        (None, {"fields": ("meeting", "status", "label", "order", "section", "section_title")}),
        (_("Text"), {"fields": ("chapeau", "text", "source")}),
        (
            _("Analysis"),
            {"fields": ("addressee", "strength", "legal_references", "themes", "agenda_item")},
        ),
        (_("Proposal"), {"fields": ("proposer", "adopted_as")}),
        (_("Record"), {"fields": ("created_at", "updated_at")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("themes")

    @admin.display(description=_("themes"))
    def theme_names(self, obj: Recommendation) -> str:
        return ", ".join(theme.name for theme in obj.themes.all())

    @admin.display(description=_("text"))
    def short_text(self, obj: Recommendation) -> str:
        return obj.text if len(obj.text) <= 90 else obj.text[:87] + "..."


@admin.register(ImplementationReport)
class ImplementationReportAdmin(SimpleHistoryAdmin):
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
    readonly_fields = ("submitted_by", "validated_by", "validated_at", "created_at", "updated_at")
    date_hierarchy = "as_of"
    # Evidence links are typed without a scheme more often than not; assume the safe one.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        services.implementation_report_save(report=obj, by=request.user)
