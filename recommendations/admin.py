from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .forms import RecommendationAdminForm, ThesaurusEntryAdminForm
from .models import Recommendation, RecommendationText, Theme, ThesaurusEntry


@admin.register(Theme)
class ThemeAdmin(TabbedTranslationAdmin):
    """Themes, with a tab per language for the name and key topics (English the original)."""

    list_display = ("name", "slug", "order")
    search_fields = ("name", "key_topics")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_at", "updated_at")


class RecommendationTextInline(admin.StackedInline):
    """The official texts in the other languages, each with its source; saved through
    `services.recommendation_text_record` (RecommendationAdmin.save_formset)."""

    model = RecommendationText
    extra = 0
    fields = ("language", "source", "section_title", "chapeau", "text", "entered_by", "updated_at")
    readonly_fields = ("entered_by", "updated_at")


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    """Recommendations, saved through the service: a save based on a stale copy is refused
    with what changed since (the form carries the version the editor started from)."""

    form = RecommendationAdminForm
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
    readonly_fields = ("created_at", "updated_at", "version")
    inlines = (RecommendationTextInline,)
    fieldsets = (
        (None, {"fields": ("meeting", "status", "label", "order", "section", "section_title")}),
        (_("Text"), {"fields": ("chapeau", "text", "source")}),
        (
            _("Analysis"),
            {"fields": ("addressee", "strength", "legal_references", "themes", "agenda_item")},
        ),
        (_("Proposal"), {"fields": ("proposer", "adopted_as")}),
        (_("Record"), {"fields": ("created_at", "updated_at", "version")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("themes")

    def save_model(self, request, obj, form, change) -> None:
        services.recommendation_save(
            recommendation=obj, by=request.user, version=form.cleaned_data.get("expected_version")
        )

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model is not RecommendationText:
            super().save_formset(request, form, formset, change)
            return
        # What formset.save() would have recorded, for the admin's change message.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.deleted_forms:
            if inline_form.instance.pk is not None:
                services.recommendation_text_delete(version=inline_form.instance, by=request.user)
                formset.deleted_objects.append(inline_form.instance)
        for inline_form in formset.forms:
            if not inline_form.has_changed() or inline_form in formset.deleted_forms:
                continue
            data = inline_form.cleaned_data
            is_new = inline_form.instance.pk is None
            version = services.recommendation_text_record(
                recommendation=form.instance,
                language=data["language"],
                text=data["text"],
                source=data["source"],
                chapeau=data.get("chapeau", ""),
                section_title=data.get("section_title", ""),
                by=request.user,
            )
            if is_new:
                formset.new_objects.append(version)
            else:
                formset.changed_objects.append((version, inline_form.changed_data))

    @admin.display(description=_("themes"))
    def theme_names(self, obj: Recommendation) -> str:
        return ", ".join(theme.name for theme in obj.themes.all())

    @admin.display(description=_("text"))
    def short_text(self, obj: Recommendation) -> str:
        return obj.text if len(obj.text) <= 90 else obj.text[:87] + "..."


@admin.register(ThesaurusEntry)
class ThesaurusEntryAdmin(admin.ModelAdmin):
    """The search thesaurus: terms that find each other (recommendations/search.py), kept by
    the Secretariat, saved and deleted through the services."""

    form = ThesaurusEntryAdminForm
    list_display = ("__str__", "note", "updated_at")
    search_fields = ("terms", "note")
    readonly_fields = ("created_at", "updated_at")

    def save_model(self, request, obj, form, change) -> None:
        services.thesaurus_entry_save(entry=obj, by=request.user)

    def delete_model(self, request, obj) -> None:
        services.thesaurus_entry_delete(entry=obj, by=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for entry in queryset:
            services.thesaurus_entry_delete(entry=entry, by=request.user)
