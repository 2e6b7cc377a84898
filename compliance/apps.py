from __future__ import annotations

from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "compliance"

    def ready(self) -> None:
        # Reporting sits below compliance and never imports it: a validated report reaches the
        # snapshot refresh through this one signal (reporting/signals.py). Imported here, as
        # Django's documentation advises for receivers, once every app's models are loaded.
        from reporting.signals import report_validated

        from .receivers import refresh_after_validation

        report_validated.connect(refresh_after_validation, dispatch_uid="compliance-refresh")
