from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from .models import User


class SignInForm(AuthenticationForm):
    """Django's sign-in form; accounts made by `add_user` use the e-mail address as username."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("E-mail address or username")


class PasswordSetOrResetForm(PasswordResetForm):
    """Django's reset form, which also reaches accounts that have no password yet.

    Django leaves out users without a usable password; here that is every account `add_user`
    made whose owner has not chosen one (the invitation link may have expired or been lost).
    Inactive accounts are still left out.
    """

    def get_users(self, email: str):
        return User.objects.filter(email__iexact=email, is_active=True).iterator()
