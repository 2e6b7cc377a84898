from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate


def _grant_secretariat_permissions(sender, **kwargs) -> None:
    # Django creates each app's permissions in post_migrate, so they can only be granted
    # after it (hence a handler rather than a migration), one app at a time. Imported here:
    # apps.py is loaded before the models that services.py imports.
    from .services import SECRETARIAT_APPS, secretariat_group

    if sender.label in SECRETARIAT_APPS:
        secretariat_group(apps=(sender.label,))


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        post_migrate.connect(_grant_secretariat_permissions, dispatch_uid="secretariat-permissions")
        from .signals import apply_profile_language

        user_logged_in.connect(apply_profile_language, dispatch_uid="profile-language")
