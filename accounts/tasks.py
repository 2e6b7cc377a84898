"""E-mail about accounts, written to the outbox (outbox/): the invitation in the transaction that
creates the account; the task remains for invitations already waiting in a broker."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from outbox.services import outbox_enqueue

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


def invitation_queue(user: User) -> bool:
    """Write `user`'s invitation, a link to choose a password, to the outbox; False when the
    account has no address or is inactive."""
    if not user.is_active or not user.email:
        return False
    context = {"user": user, "link": password_set_link(user), "site_url": settings.SITE_URL}
    subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
    body = render_to_string("accounts/email/invitation.txt", context)
    outbox_enqueue(
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]),
    )
    return True


@shared_task
@transaction.atomic
def send_account_invitation(user_id: int) -> None:
    """Tell a user their account exists and how to choose a password.

    Running it twice queues a second, equally valid link; nothing else changes.
    """
    user = User.objects.filter(pk=user_id, is_active=True).select_related("state").first()
    if user is not None:
        invitation_queue(user)
