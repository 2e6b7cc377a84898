"""Receivers that turn Django's authentication and group signals into audit events.

Signals rather than edits to each login view: the site's form, the admin's and a password
reset all sign in through `user_logged_in`, and group membership changes from the admin, the
shell and `add_user` alike through `m2m_changed`. Each receiver only calls `audit_record`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.http import HttpRequest
from simple_history.models import HistoricalRecords

from .models import AuditAction
from .services import audit_record, client_ip


def _current_request() -> HttpRequest | None:
    # m2m_changed carries no request; simple_history's middleware keeps the current one on
    # its thread-local, which names who made the change in the admin (None in a shell).
    return getattr(HistoricalRecords.context, "request", None)


def record_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit_record(
        action=AuditAction.SIGN_IN, actor=user, target=user.get_username(), ip=client_ip(request)
    )


def record_sign_in_failure(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Django has already replaced the password with asterisks; only the name is kept anyway.
    name = str(credentials.get("username") or credentials.get("email") or "")
    audit_record(
        action=AuditAction.SIGN_IN_FAILED, actor_name=name, target=name, ip=client_ip(request)
    )


def record_role_change(
    sender: Any,
    instance: Any,
    action: str,
    reverse: bool,
    model: Any,
    pk_set: set[int] | None,
    **kwargs: Any,
) -> None:
    """Secretariat membership given or taken, from either side of the relation."""
    if action not in {"post_add", "post_remove", "pre_clear"}:
        return
    secretariat = Group.objects.filter(name=settings.SECRETARIAT_GROUP_NAME).first()
    if secretariat is None:
        return
    if reverse:  # group.user_set.add(...): instance is the group, pk_set the users
        if instance.pk != secretariat.pk:
            return
        users = list(model.objects.filter(pk__in=pk_set or ()))
        if action == "pre_clear":
            users = list(instance.user_set.all())
    else:  # user.groups.add(...): instance is the user, pk_set the groups
        if action == "pre_clear":
            if not instance.groups.filter(pk=secretariat.pk).exists():
                return
        elif secretariat.pk not in (pk_set or ()):
            return
        users = [instance]
    granted = action == "post_add"
    request = _current_request()
    for user in users:
        audit_record(
            action=AuditAction.ROLE_GRANTED if granted else AuditAction.ROLE_REVOKED,
            actor=getattr(request, "user", None),
            target=user.get_username(),
            ip=client_ip(request),
            details={"role": settings.SECRETARIAT_GROUP_NAME},
        )
