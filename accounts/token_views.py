"""Creating and revoking a user's API token, from the profile page.

One token per user (DRF's authtoken). Creating one replaces any previous token, so a leaked
key is dealt with by creating a new one or revoking it. The key is shown in full once, on the
page that answers the creation, and never again: the profile shows only its last characters.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template import engines
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .services import api_token_create, api_token_revoke, client_ip

if TYPE_CHECKING:
    from .roles import AuthenticatedHttpRequest

# The profile page with this feature's section in its `tokens` block: the page is the profile
# view's, the section this module's, whichever of them renders it.
_PROFILE_WITH_TOKENS = (
    '{% extends "accounts/profile.html" %}'
    '{% block tokens %}{% include "accounts/api_tokens.html" %}{% endblock %}'
)


@never_cache
@require_POST
@login_required
def token_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Make a new token for the signed-in user (revoking the old one) and show it once.

    Answered with the profile page itself rather than a redirect, so the key never travels
    in a URL, a cookie or the session.
    """
    token = api_token_create(user=request.user, ip=client_ip(request))
    return HttpResponse(
        engines["django"]
        .from_string(_PROFILE_WITH_TOKENS)
        .render({"account": request.user, "new_token_key": token.key}, request=request)
    )


@require_POST
@login_required
def token_revoke(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Revoke the signed-in user's token: requests sending it are refused from now on."""
    if api_token_revoke(user=request.user, ip=client_ip(request)):
        messages.success(request, _("Your API token was revoked."))
    else:
        messages.info(request, _("You had no API token."))
    return redirect("profile")
