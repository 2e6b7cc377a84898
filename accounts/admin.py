from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class WgsomUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("WGSOM", {"fields": ("state",)}))
    list_display = ("username", "email", "state", "is_staff", "is_active")
    list_filter = (*UserAdmin.list_filter, "state__regional_group")
    list_select_related = ("state",)
    autocomplete_fields = ("state",)
