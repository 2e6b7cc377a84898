"""Helpers for the subscription tests: signing up through the page, and reading the links
out of the e-mails the way a reader's mail program would."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from recommendations.models import Theme

LINK = re.compile(r"https?://\S+")


def links_in(message: mail.EmailMessage) -> list[str]:
    return LINK.findall(message.body)


def path_of(url: str, settings) -> str:
    assert url.startswith(settings.SITE_URL), url
    return url.removeprefix(settings.SITE_URL)


def confirmation_path(message: mail.EmailMessage, settings) -> str:
    [url] = [link for link in links_in(message) if "/subscriptions/confirm/" in link]
    return path_of(url, settings)


def unsubscribe_path(message: mail.EmailMessage, settings) -> str:
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<") and header.endswith(">")
    return path_of(header[1:-1], settings)


@pytest.fixture
def technology(wgsom) -> Theme:
    return Theme.objects.get(slug="technology")


@pytest.fixture
def sign_up(client, django_capture_on_commit_callbacks):
    """Fill in the sign-up form as a visitor would; the confirmation is sent on commit."""

    def sign_up(email: str, frequency: str = "daily", **choices) -> object:
        data = {"email": email, "frequency": frequency, **choices}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("subscriptions:subscribe"), data)

    return sign_up
