from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import m2m_changed, post_migrate


def _grant_secretariat_permissions(sender, **kwargs) -> None:
    # Django creates each app's permissions in post_migrate, so they can only be granted
    # after it (hence a handler rather than a migration), one app at a time. Imported here:
    # apps.py is loaded before the models that services.py imports.
    from .services import (
        SECRETARIAT_APPS,
        SECRETARIAT_PERMISSIONS_OF_OTHER_APPS,
        secretariat_group,
    )

    if sender.label in SECRETARIAT_APPS or sender.label in SECRETARIAT_PERMISSIONS_OF_OTHER_APPS:
        secretariat_group(apps=(sender.label,))


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        post_migrate.connect(_grant_secretariat_permissions, dispatch_uid="secretariat-permissions")
        from .signals import apply_profile_language

        user_logged_in.connect(apply_profile_language, dispatch_uid="profile-language")
        from .reauth import record_sign_in as start_session_clocks

        # Staff sessions' idle and maximum age, and re-authentication, count from sign-in.
        user_logged_in.connect(start_session_clocks, dispatch_uid="staff-session-clocks")

        from .audit_signals import record_role_change, record_sign_in, record_sign_in_failure
        from .models import User

        user_logged_in.connect(record_sign_in, dispatch_uid="audit-sign-in")
        user_login_failed.connect(record_sign_in_failure, dispatch_uid="audit-sign-in-failed")
        m2m_changed.connect(
            record_role_change, sender=User.groups.through, dispatch_uid="audit-role-change"
        )
