"""Who someone is, and the one way each policy refuses access.

Three roles, decided here only:

- Secretariat staff: active members of the group named by SECRETARIAT_GROUP_NAME, and
  superusers. They read everything and write for every State.
- State focal points: active users bound to one State, who are not Secretariat staff. They
  read what is published and their own State's work, and write only for their own State.
- Everyone else reads only what is published.

Pages use the decorators, the API the DRF permission classes, services `ensure`: one per
policy, so a page, the API and a service refuse the same people. An anonymous visitor to a
signed-in page is sent to sign in; a signed-in person without the role gets a 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from rest_framework import permissions as drf_permissions
from rest_framework.request import Request
from rest_framework.views import APIView

ViewT = TypeVar("ViewT", bound=Callable[..., HttpResponse])

if TYPE_CHECKING:
    from .models import User

    class AuthenticatedHttpRequest(HttpRequest):
        """The request of a view behind login_required or a role decorator (typing only)."""

        user: User


def is_secretariat(user: Any) -> bool:
    """Secretariat staff (cached on the user for the request). Anonymous users never are."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_secretariat", False))


def is_focal_point(user: Any) -> bool:
    """A focal point of some State, who is not Secretariat staff."""
    return (
        bool(getattr(user, "is_authenticated", False))
        and bool(getattr(user, "is_focal_point", False))
        and not is_secretariat(user)
    )


def is_focal_point_of(user: Any, state_id: int | None) -> bool:
    """The focal point of the State `state_id`."""
    return state_id is not None and is_focal_point(user) and user.state_id == state_id


def can_write_for_state(user: Any, state_id: int | None) -> bool:
    """Secretariat staff for every State; a focal point for its own."""
    return is_secretariat(user) or is_focal_point_of(user, state_id)


def is_signed_in_worker(user: Any) -> bool:
    """Secretariat staff or a focal point: the people the work area is for."""
    return is_secretariat(user) or is_focal_point(user)


def ensure(allowed: bool, message: str | None = None) -> None:
    """Raise PermissionDenied (a 403 on a page and in the API) unless `allowed`."""
    if not allowed:
        raise PermissionDenied(message or _("You are not allowed to do this."))


def refuse(request: HttpRequest) -> HttpResponse:
    """Anonymous visitors are asked to sign in; signed-in people who may not are refused."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def _role_required(test: Callable[[Any], bool]) -> Callable[[ViewT], ViewT]:
    def decorator(view: ViewT) -> ViewT:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not test(request.user):
                return refuse(request)
            return view(request, *args, **kwargs)

        return cast(ViewT, wrapped)

    return decorator


# Page decorators, one per policy.
secretariat_required = _role_required(is_secretariat)
worker_required = _role_required(is_signed_in_worker)


class IsSecretariat(drf_permissions.BasePermission):
    """API: Secretariat staff only."""

    message = _("Only the Secretariat may do this.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return is_secretariat(request.user)


class IsWorkerOrReadOnly(drf_permissions.IsAuthenticatedOrReadOnly):
    """API: anyone reads; Secretariat staff and focal points write. What exactly each may write
    (which State, which review state) is the services' decision; this spares them requests
    that cannot succeed, and answers 401 to anonymous ones."""

    message = _("Only the Secretariat and States' focal points may write here.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in drf_permissions.SAFE_METHODS:
            return True
        return is_signed_in_worker(request.user)
