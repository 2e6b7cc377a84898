"""The outbox in the admin, read-only, for staff to see what was sent and what failed.

Only the subject and the delivery state are shown: addresses and bodies (sign-in and
unsubscribe links) are nobody's to read.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("subject", "status", "attempts", "created_at", "sent_at")
    list_filter = ("status",)
    fields = ("subject", "status", "attempts", "created_at", "next_attempt_at", "sent_at")
    readonly_fields = fields
    search_fields = ()
    show_full_result_count = False

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
