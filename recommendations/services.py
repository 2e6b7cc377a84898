"""Writes for recommendations: the admin and the importers call these, so every write path
bumps `version` and keeps the history."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.roles import is_secretariat
from core.services import check_version, save_with_history

from .models import Recommendation

if TYPE_CHECKING:
    from accounts.models import User


@transaction.atomic
def recommendation_save(
    *, recommendation: Recommendation, by: User, version: int | None
) -> Recommendation:
    """Save a recommendation edited in a form (the admin), refusing a stale copy.

    `recommendation` carries the edited values; `version` is the version the editor started
    from (None for a new recommendation).
    """
    if recommendation.pk is not None:
        current = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        check_version(current, version)
        recommendation.version = current.version + 1
    save_with_history(recommendation, by=by, reason=gettext_noop("edited"))
    return recommendation


@transaction.atomic
def recommendation_update(
    *, recommendation: Recommendation, by: User, version: int, **fields: Any
) -> Recommendation:
    """Change some fields of a recommendation (themes as a list), refusing a stale copy."""
    if not is_secretariat(by):
        raise PermissionDenied(_("Only the Secretariat edits recommendations."))
    current = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    check_version(current, version)
    themes = fields.pop("themes", None)
    for name, value in fields.items():
        setattr(current, name, value)
    current.version += 1
    save_with_history(current, by=by, reason=gettext_noop("edited"))
    if themes is not None:
        current.themes.set(themes)
    return current
