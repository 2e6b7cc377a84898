from __future__ import annotations

from django.contrib import admin
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)

from .models import AgendaItem, Document, Meeting, Organization, Participation, Statement


class AgendaItemInline(TranslationTabularInline):
    model = AgendaItem
    extra = 0
    fields = ("number", "sub_letter", "title", "parent")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Offer only the meeting's own items as parents, not every meeting's.
        if db_field.name == "parent":
            meeting_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = AgendaItem.objects.filter(meeting_id=meeting_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class DocumentInline(TranslationStackedInline):
    model = Document
    extra = 0
    fields = ("symbol", "kind", "title")
    show_change_link = True


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("__str__", "start_date", "end_date", "venue", "format", "chair")
    list_filter = ("format", "year")
    search_fields = ("chair", "venue", "year")
    autocomplete_fields = ("chair_state",)
    readonly_fields = ("created_at", "updated_at")
    inlines = (AgendaItemInline, DocumentInline)


@admin.register(AgendaItem)
class AgendaItemAdmin(TranslationAdmin):
    list_display = ("label", "title", "meeting")
    list_filter = ("meeting",)
    list_select_related = ("meeting",)
    search_fields = ("title",)
    raw_id_fields = ("parent",)


@admin.register(Document)
class DocumentAdmin(TranslationAdmin):
    list_display = ("symbol", "kind", "meeting", "title")
    list_filter = ("kind", "meeting", "themes")
    list_select_related = ("meeting",)
    search_fields = ("symbol", "title", "summary")
    filter_horizontal = ("themes",)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind")
    list_filter = ("kind",)
    search_fields = ("name",)


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ("participant", "capacity", "meeting")
    list_filter = ("meeting", "capacity", "state__regional_group")
    list_select_related = ("meeting", "state", "organization")
    search_fields = ("state__name", "organization__name")
    autocomplete_fields = ("state", "organization")


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "meeting", "on_behalf_of")
    list_filter = ("meeting", "kind", "on_behalf_of")
    list_select_related = ("meeting", "state", "organization", "on_behalf_of")
    search_fields = ("speaker", "state__name", "organization__name", "summary")
    autocomplete_fields = ("state", "organization")
    filter_horizontal = ("agenda_items",)
