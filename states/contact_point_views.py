"""The directory of national authorities and contact points, for signed-in focal points and
the Secretariat (2020 Recommendation 3; listed by regional group, as the United States asked).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts import roles

from . import contact_point_selectors, contact_point_services
from .forms import ContactPointForm
from .models import ContactPoint

if TYPE_CHECKING:
    from accounts.roles import AuthenticatedHttpRequest


def _show(form, exc: ValidationError) -> None:
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _ensure_reader(request: HttpRequest) -> None:
    if not roles.is_signed_in_worker(request.user):
        raise PermissionDenied


@login_required
def contact_point_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _ensure_reader(request)
    user = request.user
    return render(
        request,
        "states/contact_points/list.html",
        {
            "contact_points": contact_point_selectors.contact_point_directory(),
            "staff": roles.is_secretariat(user),
            "own_state_id": None if roles.is_secretariat(user) else user.state_id,
        },
    )


@login_required
def contact_point_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    _ensure_reader(request)
    staff = roles.is_secretariat(request.user)
    form = ContactPointForm(request.POST or None, choose_state=staff)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        state = data.pop("state", None) or request.user.state
        try:
            # A focal point has a State, and staff choose one (the form requires it of them).
            contact_point_services.contact_point_create(by=request.user, state=state, **data)  # type: ignore[arg-type]
        except ValidationError as exc:
            _show(form, exc)
        else:
            messages.success(request, _("Entry added."))
            return redirect("contact_points:list")
    return render(request, "states/contact_points/form.html", {"form": form})


@login_required
def contact_point_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contact_point = get_object_or_404(ContactPoint.objects.select_related("state"), pk=pk)
    if not roles.can_write_for_state(request.user, contact_point.state_id):
        raise PermissionDenied
    form = ContactPointForm(request.POST or None, instance=contact_point, choose_state=False)
    if request.method == "POST" and form.is_valid():
        try:
            contact_point_services.contact_point_update(
                contact_point=ContactPoint.objects.get(pk=pk),
                by=request.user,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _show(form, exc)
        else:
            messages.success(request, _("Entry saved."))
            return redirect("contact_points:list")
    return render(
        request, "states/contact_points/form.html", {"form": form, "contact_point": contact_point}
    )


@login_required
def contact_point_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contact_point = get_object_or_404(ContactPoint.objects.select_related("state"), pk=pk)
    if not roles.can_write_for_state(request.user, contact_point.state_id):
        raise PermissionDenied
    if request.method == "POST":
        contact_point_services.contact_point_delete(contact_point=contact_point, by=request.user)
        messages.success(request, _("Entry removed."))
        return redirect("contact_points:list")
    return render(request, "states/contact_points/delete.html", {"contact_point": contact_point})
