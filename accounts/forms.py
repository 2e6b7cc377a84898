from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.mail import EmailMessage
from django.db import transaction
from django.template import loader
from django.utils.translation import gettext_lazy as _

from outbox.services import outbox_enqueue

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
