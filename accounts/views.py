from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The signed-in user's account: role, State, password; API tokens are added here later."""
    return render(request, "accounts/profile.html", {"account": request.user})
