from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataVersionsConfig(AppConfig):
    """core's one model: when each app's published data last changed (core.data_versions)."""

    name = "core.data_versions"
    label = "data_versions"
    verbose_name = _("Data versions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
