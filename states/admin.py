from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import contact_point_services
from .models import ContactPoint, RegionalGroup, State


@admin.register(RegionalGroup)
class RegionalGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "abbreviation", "slug")
    search_fields = ("name", "abbreviation")
    prepopulated_fields = {"slug": ("name",)}


class ContactPointInline(admin.TabularInline):
    model = ContactPoint
    extra = 0
    fields = ("kind", "authority", "name", "role", "email", "phone")


@admin.register(State)
class StateAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "code",
        "iso2",
        "regional_group",
        "protocol_status",
        "protocol_consent_date",
        "kind",
    )
    list_filter = ("protocol_status", "regional_group", "kind")
    list_select_related = ("regional_group",)
    search_fields = ("name", "code", "iso2", "other_names")
    readonly_fields = ("created_at", "updated_at")
    inlines = (ContactPointInline,)
    fieldsets = (
        (None, {"fields": ("name", "other_names", "kind", "code", "iso3", "iso2")}),
        (_("Regional group"), {"fields": ("regional_group", "regional_group_note")}),
        (
            _("Smuggling of Migrants Protocol"),
            {
                "fields": (
                    "protocol_status",
                    "protocol_signature_date",
                    "protocol_consent_date",
                    "protocol_consent_kind",
                    "protocol_status_source",
                )
            },
        ),
        (_("Record"), {"fields": ("created_at", "updated_at")}),
    )


@admin.register(ContactPoint)
class ContactPointAdmin(admin.ModelAdmin):
    """The directory, kept through the same services as the contact point pages."""

    list_display = ("authority", "state", "kind", "name", "email", "updated_at")
    list_filter = ("kind", "state__regional_group")
    list_select_related = ("state",)
    search_fields = ("authority", "name", "email", "state__name")
    autocomplete_fields = ("state",)

    def save_model(self, request, obj, form, change) -> None:
        fields = {name: form.cleaned_data[name] for name in contact_point_services.FIELDS}
        if change:
            contact_point_services.contact_point_update(
                contact_point=obj, by=request.user, **fields
            )
        else:
            saved = contact_point_services.contact_point_create(
                by=request.user, state=form.cleaned_data["state"], **fields
            )
            obj.pk = saved.pk

    def delete_model(self, request, obj) -> None:
        contact_point_services.contact_point_delete(contact_point=obj, by=request.user)
