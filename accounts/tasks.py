"""E-mail about accounts, sent by Celery once the account is committed."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import User


def password_set_link(user: User) -> str:
    """An absolute link to choose a password, valid until used (Django's reset token)."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{settings.SITE_URL}{path}"


@shared_task
def send_account_invitation(user_id: int) -> None:
    """Tell a new user their account exists and how to choose a password.

    Running it twice sends a second, equally valid link; nothing else changes.
    """
    user = User.objects.filter(pk=user_id, is_active=True).select_related("state").first()
    if user is None or not user.email:
        return
    context = {"user": user, "link": password_set_link(user), "site_url": settings.SITE_URL}
    subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
    body = render_to_string("accounts/email/invitation.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
