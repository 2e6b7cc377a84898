"""Writes for recommendations: the admin and the importers call these, so every write path
bumps `version` and keeps the history."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.roles import is_secretariat
from core.services import check_version, model_update, save_with_history

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
    """Change some fields of a recommendation (themes as a list), refusing a stale copy.

    Only what differs is written, with one more `version` and a history entry; an update that
    changes nothing writes nothing.
    """
    if not is_secretariat(by):
        raise PermissionDenied(_("Only the Secretariat edits recommendations."))
    current = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    check_version(current, version)
    current, _changed = model_update(
        instance=current, fields=list(fields), data=fields, by=by, reason=gettext_noop("edited")
    )
    return current
