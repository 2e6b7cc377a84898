"""Subscription pages: sign up, check your e-mail, confirm, unsubscribe, and the Secretariat's
counts. Thin: each validates, calls one service or selector, and renders."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.roles import secretariat_required

from . import selectors, services, tokens
from .forms import SubscribeForm, initial_from


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    """The sign-up form, prefilled from ?theme=, ?state=, ?meeting=. A valid sign-up is always
    answered with the same page, whatever the address's state: no enumeration."""
    if request.method == "POST":
        form = SubscribeForm(request.POST)
        if form.is_valid():
            try:
                services.signup_create(
                    email=form.cleaned_data["email"],
                    frequency=form.cleaned_data["frequency"],
                    themes=form.cleaned_data["themes"],
                    states=form.cleaned_data["states"],
                    meetings=form.cleaned_data["meetings"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("subscriptions:check_email")
    else:
        form = SubscribeForm(initial=initial_from(request.GET))
    return render(request, "subscriptions/subscribe.html", {"form": form})


def check_email(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "subscriptions/check_email.html",
        {"confirmation_days": settings.SUBSCRIPTIONS_CONFIRMATION_DAYS},
    )


def _link_refused(request: HttpRequest, exc: tokens.LinkInvalid) -> HttpResponse:
    expired = isinstance(exc, tokens.LinkExpired)
    return render(
        request,
        "subscriptions/link_refused.html",
        {"expired": expired},
        # Gone: the link was real but its time is over; Not Found: it never named anything.
        status=410 if expired else 404,
    )


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what the sign-up follows and one button; the POST confirms. A GET never
    confirms: mail scanners open links, and only the address's owner should subscribe it."""
    try:
        if request.method == "POST":
            subscriber = services.signup_confirm(token=token)
            return render(request, "subscriptions/confirmed.html", {"subscriber": subscriber})
        signup = selectors.signup_from_token(token=token)
    except tokens.LinkInvalid as exc:
        return _link_refused(request, exc)
    return render(request, "subscriptions/confirm.html", {"signup": signup})


# The token is the authority here, not a session: mail programs POST to this address on the
# reader's behalf (RFC 8058 one-click), with no cookie and no CSRF token.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows one button; a POST (that button, or a mail program's one-click request)
    deletes the address and what it follows."""
    try:
        if request.method == "POST":
            services.unsubscribe(token=token)
            return render(request, "subscriptions/unsubscribed.html")
        holder = selectors.address_holder(key=tokens.unsubscribe_key(token))
    except tokens.LinkInvalid as exc:
        return _link_refused(request, exc)
    return render(request, "subscriptions/unsubscribe.html", {"subscribed": holder is not None})


@secretariat_required
def counts(request: HttpRequest) -> HttpResponse:
    """How many follow what, for the Secretariat; never who."""
    return render(request, "subscriptions/counts.html", {"counts": selectors.subscriber_counts()})
