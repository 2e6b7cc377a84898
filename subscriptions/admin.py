"""Subscribers in the admin, without their addresses: the Secretariat sees how many follow
what on the counts page, and nobody reads the addresses (unsubscribing deletes them)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import Subscriber


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ("__str__", "frequency", "confirmed_at", "last_digest_at")
    list_filter = ("frequency",)
    exclude = ("email",)
    readonly_fields = ("frequency", "language", "confirmed_at", "last_digest_at")
    # Nothing searches by address, and nothing shows one.
    search_fields = ()
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
