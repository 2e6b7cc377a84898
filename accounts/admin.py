from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import ApiToken, AuditEvent, User
from .reauth import recent_authentication_required
from .services import api_token_revoke, client_ip, second_factor_reset


@admin.register(User)
class WgsomUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("WGSOM", {"fields": ("state",)}))
    list_display = ("username", "email", "state", "is_staff", "is_active")
    list_filter = (*UserAdmin.list_filter, "state__regional_group")
    list_select_related = ("state",)
    autocomplete_fields = ("state",)
    actions = ["reset_second_factor"]

    # Roles and admin rights are changed here: the password (or a code) again first.
    @method_decorator(recent_authentication_required)
    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=_("Reset the second factor (they set up a new app)"))
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        count = 0
        for user in queryset:
            second_factor_reset(user=user, by=request.user, ip=client_ip(request))  # type: ignore[arg-type]
            count += 1
        self.message_user(
            request,
            ngettext(
                "The second factor of %(count)d user was reset.",
                "The second factor of %(count)d users were reset.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


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


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Users' API tokens, for superusers: seen and revoked, never made or edited here (a key
    is made by its owner on the profile page and shown only to them)."""

    list_display = ("key_prefix", "name", "user", "created_at", "expires_at", "last_used_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter), "expires_at")
    search_fields = ("key_prefix", "name", "user__username", "user__email")
    readonly_fields = (
        "user",
        "name",
        "key_prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    exclude = ("key_hash",)
    list_select_related = ("user",)
    actions = ("revoke",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False

    @admin.action(description=_("Revoke the selected API tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        revoked = sum(
            api_token_revoke(
                user=token.user, token_id=token.pk, ip=client_ip(request), by=request.user
            )
            for token in queryset.select_related("user")
        )
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", revoked)
            % {"count": revoked},
            messages.SUCCESS,
        )
