"""Reads about users and their roles, shared by views, the API and the services.

Three roles, decided here only: Secretariat staff (members of the group named by
SECRETARIAT_GROUP_NAME, and superusers), State focal points (active users bound to a State,
who are not staff), and everyone else, who reads only what is published.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q, QuerySet

from states.models import State

from .models import User


def user_is_secretariat(user) -> bool:
    """Whether `user` is Secretariat staff. Anonymous and inactive users never are."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name=settings.SECRETARIAT_GROUP_NAME).exists()


def user_is_focal_point(user) -> bool:
    """Whether `user` is an active focal point, bound to one State."""
    return (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and getattr(user, "state_id", None) is not None
    )


def secretariat_users() -> QuerySet[User]:
    """Active Secretariat staff with an e-mail address: who hears of a new submission."""
    return (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .filter(Q(is_superuser=True) | Q(groups__name=settings.SECRETARIAT_GROUP_NAME))
        .distinct()
        .order_by("pk")
    )


def focal_points_of(*, state: State) -> QuerySet[User]:
    """Active focal points of `state` with an e-mail address: who hears of a review."""
    return User.objects.filter(state=state, is_active=True).exclude(email="").order_by("pk")
