"""Making and revoking a user's API tokens, from the profile page.

A user may hold several named tokens (one per program, say), each expiring after
settings.API_TOKEN_DAYS. A key is shown in full once, on the page that answers its creation,
and never again: only its hash and first characters are stored (accounts.models.ApiToken).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .forms import ApiTokenForm
from .reauth import recent_authentication_required
from .services import api_token_create, api_token_revoke, client_ip
from .views import profile_context

if TYPE_CHECKING:
    from .roles import AuthenticatedHttpRequest


@never_cache
@require_POST
@login_required
@recent_authentication_required(then="profile")
def token_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Make a new token for the signed-in user and show its key once.

    Answered with the profile page itself rather than a redirect, so the key never travels
    in a URL, a cookie or the session, and is gone once the page is left.
    """
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            token, key = api_token_create(
                user=request.user, name=form.cleaned_data["name"], ip=client_ip(request)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            context = profile_context(request, new_token=token, new_token_key=key)
            return render(request, "accounts/profile.html", context)
    return render(request, "accounts/profile.html", profile_context(request, token_form=form))


@require_POST
@login_required
@recent_authentication_required(then="profile")
def token_revoke(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Revoke one of the signed-in user's tokens: requests sending it are refused from now on."""
    try:
        token_id = int(request.POST.get("token", ""))
    except ValueError:
        token_id = 0
    if api_token_revoke(user=request.user, token_id=token_id, ip=client_ip(request)):
        messages.success(request, _("The API token was revoked."))
    else:
        messages.info(request, _("There was no such API token to revoke."))
    return redirect("profile")
