"""Password "validators" that act when a password changes.

Django tells every configured password validator when a user's password has been saved
(`AbstractBaseUser.save` calls `password_validation.password_changed`), whatever changed it:
the site's password change and reset forms, the admin's password form, `manage.py
changepassword`, or `set_password()` in a shell. That makes the validator list the one place
where a rule about every password change holds, where a view would cover only its own path.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from .services import api_tokens_revoke_all


class RevokeApiTokensOnPasswordChange:
    """Revoke the user's API tokens when their password changes: a token must not outlive
    the password that let it be made (whoever knew the old one may have made a token)."""

    def validate(self, password: str, user: Any = None) -> None:
        """Every password is acceptable to this rule; it only acts once one is saved."""

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is not None and user.pk is not None:
            api_tokens_revoke_all(user=user, reason="password-changed")

    def get_help_text(self) -> str:
        # Listed with the other rules under the new-password field, so nobody is surprised
        # when their scripts stop working.
        return _("Your API tokens stop working when your password changes.")
