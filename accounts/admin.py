from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from .models import AuditEvent, User


@admin.register(User)
class WgsomUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("WGSOM", {"fields": ("state",)}))
    list_display = ("username", "email", "state", "is_staff", "is_active")
    list_filter = (*UserAdmin.list_filter, "state__regional_group")
    list_select_related = ("state",)
    autocomplete_fields = ("state",)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit log, for superusers only and read-only: an event is evidence, so nobody,
    Secretariat staff included, may add, change or remove one here."""

    list_display = ("at", "action", "actor_name", "target", "ip")
    list_filter = ("action", ("at", admin.DateFieldListFilter))
    search_fields = ("actor_name", "target", "ip")
    date_hierarchy = "at"
    readonly_fields = ("at", "actor", "actor_name", "action", "target", "ip", "details")
    list_select_related = ("actor",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False
