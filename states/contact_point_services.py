"""Writes of the directory of national authorities and contact points.

A focal point keeps its own State's entries; Secretariat staff keep every State's. The rule
is accounts/roles.py's `can_write_for_state`, shared with the reports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import AuditAction
from accounts.services import audit_record
from core.services import model_update

from .models import ContactPoint, State

if TYPE_CHECKING:
    from accounts.models import User

FIELDS = ("kind", "authority", "name", "role", "email", "phone", "notes")


def _ensure_can_keep(by: User, state_id: int) -> None:
    roles.ensure(
        roles.can_write_for_state(by, state_id),
        _("You may only keep your own State's contact points."),
    )


def _audit(action: str, contact_point: ContactPoint, by: User, *, fields: list[str]) -> None:
    # Field names only: the values are personal data, and the history table keeps them.
    audit_record(
        action=action,
        actor=by,
        target=f"contact point {contact_point.pk} ({contact_point.state_id})",
        details={"state_id": contact_point.state_id, "fields": fields},
    )


@transaction.atomic
def contact_point_create(*, by: User, state: State, **fields: Any) -> ContactPoint:
    _ensure_can_keep(by, state.pk)
    contact_point = ContactPoint(state=state, **{k: v for k, v in fields.items() if k in FIELDS})
    contact_point.full_clean()
    contact_point.save()
    _audit(AuditAction.CONTACT_POINT_CREATED, contact_point, by, fields=sorted(fields))
    return contact_point


@transaction.atomic
def contact_point_update(*, contact_point: ContactPoint, by: User, **fields: Any) -> ContactPoint:
    """Change an entry's details; an entry stays with its State."""
    _ensure_can_keep(by, contact_point.state_id)
    contact_point, changed = model_update(instance=contact_point, fields=list(FIELDS), data=fields)
    if changed:
        _audit(AuditAction.CONTACT_POINT_UPDATED, contact_point, by, fields=sorted(fields))
    return contact_point


@transaction.atomic
def contact_point_delete(*, contact_point: ContactPoint, by: User) -> None:
    """Remove an entry (a person who left, an office that closed)."""
    _ensure_can_keep(by, contact_point.state_id)
    _audit(AuditAction.CONTACT_POINT_DELETED, contact_point, by, fields=[])
    contact_point.delete()
