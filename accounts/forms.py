from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template import loader
from django.utils.translation import gettext_lazy as _

from outbox.services import outbox_enqueue

from .models import User
from .services import (
    password_change_blocked,
    password_change_failure_record,
    password_change_failures_clear,
)


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

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        """Write the link to the outbox instead of talking to the mail server in the request.

        So the page answers the same, as fast, whether or not the address has an account (no
        mail server's delay or error to tell them apart), and a mail server that is down
        delays the link instead of losing it. Plain text only: the site sends no HTML mail.
        """
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        with transaction.atomic():
            outbox_enqueue(EmailMessage(subject, body, from_email, [to_email]))


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """Django's password change form, which stops checking the current password after
    too many wrong ones in a row (accounts.services.password_change_failure_record)."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "too_many_attempts": _(
            "You entered a wrong current password too many times. Wait 15 minutes and try "
            "again, or sign out and reset your password by e-mail."
        ),
    }

    def clean_old_password(self) -> str:
        if password_change_blocked(user=self.user):
            raise ValidationError(
                self.error_messages["too_many_attempts"], code="too_many_attempts"
            )
        try:
            old_password = super().clean_old_password()
        except ValidationError:
            if password_change_failure_record(user=self.user):
                raise ValidationError(
                    self.error_messages["too_many_attempts"], code="too_many_attempts"
                ) from None
            raise
        password_change_failures_clear(user=self.user)
        return old_password


class ApiTokenForm(forms.Form):
    """The name of a new API token, to tell it from the owner's others."""

    name = forms.CharField(
        label=_("Token name"),
        help_text=_("What the token is for, such as the program or computer that uses it."),
        max_length=100,
    )
