"""Reads about users: who hears of a submission or a review, and their API tokens. Roles are
decided in roles.py."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q, QuerySet

from .models import ApiToken, User


def secretariat_users() -> QuerySet[User]:
    """Active Secretariat staff with an e-mail address: who hears of a new submission."""
    return (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .filter(Q(is_superuser=True) | Q(groups__name=settings.SECRETARIAT_GROUP_NAME))
        .distinct()
        .order_by("pk")
    )


def focal_points_of(*, state_id: int) -> QuerySet[User]:
    """Active focal points of the State `state_id` with an e-mail address: who hears of a
    review."""
    return User.objects.filter(state_id=state_id, is_active=True).exclude(email="").order_by("pk")


def api_tokens_active(*, user: User) -> QuerySet[ApiToken]:
    """`user`'s tokens not revoked, newest first, expired ones included (shown as such)."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by(
        "-created_at", "-pk"
    )
