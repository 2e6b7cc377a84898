from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from . import contact_point_services, services
from .models import ContactPoint, ProtocolDepositaryCount, RegionalGroup, State, StateAlias


@admin.register(RegionalGroup)
class RegionalGroupAdmin(TabbedTranslationAdmin):
    list_display = ("name", "abbreviation", "slug")
    search_fields = ("name", "abbreviation")
    prepopulated_fields = {"slug": ("name",)}


class ContactPointInline(admin.TabularInline):
    model = ContactPoint
    extra = 0
    fields = ("kind", "authority", "name", "role", "email", "phone")


class StateAdminForm(forms.ModelForm):
    """Checks a correction of the Protocol status with the service's rule, field by field.

    No Meta: the admin builds it from StateAdmin's fieldsets.
    """

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if any(name in self.errors for name in services.PROTOCOL_FIELDS):
            return cleaned
        # The instance still holds the values from before this edit: the form copies the new
        # ones onto it only after clean().
        try:
            services.state_protocol_status_check(
                state=self.instance if self.instance.pk else None,
                data={name: cleaned.get(name) for name in services.PROTOCOL_FIELDS},
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(field, message)
        return cleaned


@admin.register(State)
class StateAdmin(admin.ModelAdmin):
    form = StateAdminForm
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
                "description": _(
                    "Loaded from the participants table kept in the repository. To correct "
                    "the status, dates or kind of consent, give the source of the correction "
                    "(the depositary's page, a deposit notice): the correction is kept when the "
                    "reference data is loaded again."
                ),
                "fields": services.PROTOCOL_FIELDS,
            },
        ),
        (_("Record"), {"fields": ("created_at", "updated_at")}),
    )

    def save_model(self, request: HttpRequest, obj: State, form: Any, change: bool) -> None:
        corrected = [name for name in form.changed_data if name in services.PROTOCOL_FIELDS]
        if not change or not corrected:
            super().save_model(request, obj, form, change)
            return
        # `obj` already carries the new values; the service compares them with the record as
        # it is, so the other fields are saved on a fresh copy and the correction goes
        # through the service.
        state = State.objects.get(pk=obj.pk)
        others = [name for name in form.changed_data if name not in services.PROTOCOL_FIELDS]
        if others:
            for name in others:
                setattr(state, name, getattr(obj, name))
            state.save(update_fields=[*others, "updated_at"])
        services.state_protocol_status_correct(
            state=state,
            by=request.user,  # type: ignore[arg-type]  # the admin's users are signed in
            **{name: form.cleaned_data[name] for name in services.PROTOCOL_FIELDS},
        )


@admin.register(ProtocolDepositaryCount)
class ProtocolDepositaryCountAdmin(admin.ModelAdmin):
    """The depositary's published count: a new count is a new entry, with its date."""

    list_display = ("as_of", "parties", "signatories", "url")
    readonly_fields = ("created_at", "updated_at")


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


class StateAliasAdminForm(forms.ModelForm):
    """A State's alias names its State; an organization or a name to ignore none. Checked
    here so that the admin shows the error beside the field; the service records it."""

    class Meta:
        model = StateAlias
        fields = ("name", "kind", "state")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        kind, state = cleaned.get("kind"), cleaned.get("state")
        if kind == StateAlias.Kind.STATE and state is None:
            self.add_error("state", _("Choose the State this name stands for."))
        elif kind and kind != StateAlias.Kind.STATE and state is not None:
            self.add_error("state", _("Only a name standing for a State names one."))
        return cleaned


@admin.register(StateAlias)
class StateAliasAdmin(admin.ModelAdmin):
    """Names reports use, as the Secretariat resolved them while importing (or on the command
    line), with who and when; an edit goes through the same service and is stamped anew."""

    form = StateAliasAdminForm
    list_display = ("name", "kind", "state", "created_by", "created_at")
    list_filter = ("kind",)
    list_select_related = ("state", "created_by")
    search_fields = ("name", "state__name")
    autocomplete_fields = ("state",)
    readonly_fields = ("created_by", "created_at")

    def get_readonly_fields(self, request: HttpRequest, obj: StateAlias | None = None) -> Any:
        # The name is what the alias is found by: a different name is another alias.
        readonly = self.readonly_fields
        return ("name", *readonly) if obj is not None else readonly

    def save_model(self, request: HttpRequest, obj: StateAlias, form: Any, change: bool) -> None:
        kind = form.cleaned_data["kind"]
        state = form.cleaned_data.get("state")
        saved = services.state_alias_record(
            name=obj.name,
            choice=state.code if kind == StateAlias.Kind.STATE and state else kind,
            by=request.user,  # type: ignore[arg-type]  # the admin's users are signed in
        )
        obj.pk = saved.pk
