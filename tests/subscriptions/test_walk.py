"""A follower's whole walk: sign up, confirm by e-mail, receive a digest of what is new, and
leave with one click, which deletes the address."""

from __future__ import annotations

from django.core import mail
from django.test import Client
from django.urls import reverse

from subscriptions.models import SignUp, Subscriber
from subscriptions.tasks import send_digests
from tests.factories import RecommendationFactory
from tests.outbox.helpers import deliver_outbox

from .conftest import confirmation_path, unsubscribe_path


def test_sign_up_confirm_receive_a_digest_and_unsubscribe_with_one_click(
    client, sign_up, technology, settings
):
    settings.SITE_URL = "https://wgsom.example.org"

    response = sign_up("Reader@Example.org", themes=[technology.pk], frequency="daily")

    assert response.status_code == 302
    assert response["Location"] == reverse("subscriptions:check_email")
    assert not Subscriber.objects.exists()  # nothing until the address confirms
    [confirmation] = mail.outbox
    assert confirmation.to == ["reader@example.org"]
    assert confirmation.subject == "WGSOM Tracker: confirm your e-mail subscription"
    assert technology.name in confirmation.body
    assert confirmation.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # Opening the link shows what will be followed; only the button confirms.
    page = client.get(confirmation_path(confirmation, settings))
    assert page.status_code == 200
    assert technology.name in page.content.decode()
    assert not Subscriber.objects.exists()
    confirmed = client.post(confirmation_path(confirmation, settings))
    assert confirmed.status_code == 200
    assert "Subscription confirmed" in confirmed.content.decode()
    subscriber = Subscriber.objects.get(email="reader@example.org")
    assert list(subscriber.themes.all()) == [technology]
    assert not SignUp.objects.exists()

    new = RecommendationFactory(themes=[technology])
    mail.outbox.clear()
    send_digests.delay("daily")
    deliver_outbox()

    [digest] = mail.outbox
    assert digest.to == ["reader@example.org"]
    assert digest.subject == "WGSOM Tracker: what is new today"
    assert new.display_label in digest.body
    assert f"https://wgsom.example.org/recommendations/{new.pk}/" in digest.body
    unsubscribe = unsubscribe_path(digest, settings)
    assert f"https://wgsom.example.org{unsubscribe}" in digest.body  # a link in the body too
    subscriber.refresh_from_db()
    assert subscriber.last_digest_at is not None

    # A mail program's one-click request: no session, no CSRF token.
    mail_program = Client(enforce_csrf_checks=True)
    response = mail_program.post(
        unsubscribe,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert not Subscriber.objects.filter(email="reader@example.org").exists()
    assert not Subscriber.themes.through.objects.filter(subscriber_id=subscriber.pk).exists()
