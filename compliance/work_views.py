""" "Needs your action" (/work/): where signed-in people land after signing in.

One page, three readers: a focal point sees their State's reports to finish and the
recommendations it has not reported on; the Secretariat sees what waits for validation, what
waits on States and the next reminders; anyone else signed in is pointed to the public pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from accounts.roles import is_focal_point, is_secretariat

from .work_selectors import focal_point_work, secretariat_work

if TYPE_CHECKING:
    from accounts.roles import AuthenticatedHttpRequest
else:
    AuthenticatedHttpRequest = HttpRequest


def _reminders_url() -> str | None:
    # The reminders page may not be part of this installation: link to it only where it is.
    try:
        return reverse("compliance:reminders")
    except NoReverseMatch:
        return None


@login_required
def work(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    context: dict[str, Any]
    if is_secretariat(user):
        context = {
            "role": "secretariat",
            "work": secretariat_work(),
            "reminders_url": _reminders_url(),
        }
    elif is_focal_point(user) and (state := user.state) is not None:
        context = {"role": "focal_point", "state": state, "work": focal_point_work(state=state)}
    else:
        context = {"role": "reader"}
    return render(request, "compliance/work.html", context)
