from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = _("E-mail outbox")

    def ready(self) -> None:
        # Registers the send task in every process, so that a web process running tasks
        # in-process (no REDIS_URL) finds it by name; workers would discover it anyway.
        from . import tasks  # noqa: F401
