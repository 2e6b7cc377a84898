"""Writes about users: provisioning accounts and keeping the Secretariat group's permissions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from .models import AuditAction, AuditEvent, User
from .tasks import invitation_queue

ROLE_SECRETARIAT = "secretariat"
ROLE_FOCAL_POINT = "focal-point"
ROLES = (ROLE_SECRETARIAT, ROLE_FOCAL_POINT)

# The apps whose records the Secretariat keeps in the admin.
SECRETARIAT_APPS = ("states", "meetings", "recommendations", "reporting", "compliance")
# Records that are never deleted, by anyone: the admin refuses too.
NEVER_DELETED = ("delete_implementationreport", "delete_reportattachment")


def secretariat_group(*, apps: tuple[str, ...] = SECRETARIAT_APPS) -> Group:
    """The Secretariat group, granted the permissions its staff need on `apps` in the admin.

    Run after each app's migrations (accounts/apps.py) and by `add_user`, so that permissions
    of models added later reach the group without a hand-written migration for each.
    """
    group, _created = Group.objects.get_or_create(name=settings.SECRETARIAT_GROUP_NAME)
    wanted = Permission.objects.filter(content_type__app_label__in=apps).exclude(
        codename__in=NEVER_DELETED
    )
    group.permissions.add(*wanted)
    return group


@transaction.atomic
def user_create(*, email: str, role: str, state: models.Model | None = None) -> User:
    """Provision an account and e-mail its owner a link to choose a password.

    The account has no usable password until its owner follows the link: a password never
    travels through a command line, a shell history or an administrator's hands.
    Secretariat staff join the Secretariat group and may use the admin; a focal point is
    bound to exactly one State and never is staff.
    """
    email = User.objects.normalize_email((email or "").strip())
    try:
        validate_email(email)
    except ValidationError:
        message = _("“%(email)s” is not an e-mail address.") % {"email": email}
        raise ValidationError({"email": message}) from None
    if (
        User.objects.filter(email__iexact=email).exists()
        or User.objects.filter(username__iexact=email).exists()
    ):
        raise ValidationError({"email": _("An account with this e-mail address already exists.")})
    if role not in ROLES:
        raise ValidationError(
            {"role": _("The role must be one of: %(roles)s.") % {"roles": ", ".join(ROLES)}}
        )
    if role == ROLE_FOCAL_POINT and state is None:
        raise ValidationError({"state": _("A focal point must be bound to a State.")})
    if role == ROLE_SECRETARIAT and state is not None:
        raise ValidationError({"state": _("Secretariat staff are not bound to a State.")})

    # `state` is a states.State, which this layer cannot import to name.
    user = User(username=email, email=email, state=state, is_staff=role == ROLE_SECRETARIAT)  # type: ignore[misc]
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    if role == ROLE_SECRETARIAT:
        user.groups.add(secretariat_group())

    invitation_queue(user)
    return user


@transaction.atomic
def api_token_create(*, user: User, ip: str | None = None) -> Token:
    """A new API token for `user`, replacing any previous one (one token per user), so a
    leaked key is dealt with by creating a new one."""
    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    audit_record(action=AuditAction.TOKEN_CREATED, actor=user, target=user.get_username(), ip=ip)
    return token


@transaction.atomic
def api_token_revoke(*, user: User, ip: str | None = None) -> bool:
    """Revoke `user`'s API token; whether there was one to revoke."""
    deleted, _rows = Token.objects.filter(user=user).delete()
    if deleted:
        audit_record(
            action=AuditAction.TOKEN_REVOKED, actor=user, target=user.get_username(), ip=ip
        )
    return bool(deleted)


def user_language_set(*, user: User, language: str) -> User:
    """Remember `language` as `user`'s interface language, applied again at each sign-in.

    Only a code of settings.LANGUAGES is kept: the switcher posts what the browser sends, and
    a code the site does not offer would make every later sign-in fall back silently.
    """
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("This language is not offered.")})
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user


def client_ip(request: HttpRequest | None) -> str | None:
    """The address the request came from, as the server saw it.

    REMOTE_ADDR only: X-Forwarded-For is written by the client unless a trusted proxy
    rewrites it, and an audit trail that an attacker can fill in is worth nothing.
    """
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    action: str,
    actor: Any = None,
    actor_name: str = "",
    target: object = "",
    ip: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record one security event (AuditAction); the only writer of AuditEvent.

    Runs inside the caller's transaction, so an import that rolls back leaves no event
    claiming it happened. `actor` is a user or None (anonymous, a command); `target` is
    turned into text, as the thing acted on may be deleted later. `details` must hold no
    secret (no password, no token key): it is shown in the admin.
    """
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        actor_name=(actor_name or (actor.get_username() if actor is not None else ""))[:254],
        target=str(target)[:255],
        ip=ip,
        details=details or {},
    )
