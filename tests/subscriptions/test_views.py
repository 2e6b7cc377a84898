"""The subscription pages: the GOV.UK-style sign-up form, answers that reveal nothing about an
address, the unsubscribe page, and the Secretariat's counts (never an address)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from subscriptions import tokens
from subscriptions.models import SignUp, Subscriber

pytestmark = pytest.mark.usefixtures("wgsom")


def test_the_sign_up_form_asks_for_an_address_what_to_follow_and_how_often(client):
    response = client.get(reverse("subscriptions:subscribe"))

    page = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_email">E-mail address</label>' in page
    assert 'id="id_email-hint"' in page  # the hint below the label, tied to the field
    form = page.split('class="form subscribe-form"')[1].split("</form>")[0]
    assert form.count("<legend>") == 4  # themes, States, meetings, frequency
    assert form.count("<button") == 1  # one primary button
    assert 'name="frequency" value="weekly"' in page


def test_a_link_from_a_theme_state_or_meeting_page_prefills_the_form(client):
    response = client.get(
        reverse("subscriptions:subscribe"), {"theme": "technology", "state": "aut", "meeting": "7"}
    )

    initial = response.context["form"].initial
    assert [t.slug for t in initial["themes"]] == ["technology"]
    assert [s.code for s in initial["states"]] == ["AUT"]
    assert [m.ordinal for m in initial["meetings"]] == [7]
    page = response.content.decode()
    technology = next(w for w in response.context["form"]["themes"] if "Technology" in str(w))
    assert f'value="{technology.data["value"]}"' in page
    assert technology.data["selected"]


def test_a_sign_up_with_errors_shows_the_error_summary_linked_to_the_fields(client):
    response = client.post(
        reverse("subscriptions:subscribe"), {"email": "not an address", "frequency": "daily"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in page
    assert '<a href="#id_email">' in page
    assert (
        '<a href="#id_themes_0">Choose at least one theme, State or meeting to follow.</a>' in page
    )
    assert 'id="id_themes_0"' in page
    assert mail.outbox == []


def test_a_known_address_is_answered_exactly_like_an_unknown_one(sign_up, client, technology):
    Subscriber.objects.create(
        email="known@example.org", frequency="daily", confirmed_at=timezone.now()
    )
    SignUp.objects.create(email="waiting@example.org", frequency="daily")

    answers = [
        sign_up(address, themes=[technology.pk])
        for address in ("known@example.org", "waiting@example.org", "unknown@example.org")
    ]

    assert {(a.status_code, a["Location"]) for a in answers} == {
        (302, reverse("subscriptions:check_email"))
    }
    page = client.get(reverse("subscriptions:check_email")).content.decode()
    assert "known@example.org" not in page
    assert "Check your e-mail" in page


def test_the_confirmation_page_confirms_only_on_its_button(client, sign_up, technology, settings):
    from .conftest import confirmation_path

    sign_up("a@example.org", themes=[technology.pk])
    path = confirmation_path(mail.outbox[0], settings)

    for _ in range(2):
        assert client.get(path).status_code == 200
    assert not Subscriber.objects.exists()
    assert client.post(path).status_code == 200
    assert Subscriber.objects.filter(email="a@example.org").exists()


def test_the_unsubscribe_page_shows_one_button_and_needs_no_csrf_token(technology):
    subscriber = Subscriber.objects.create(
        email="a@example.org", frequency="daily", confirmed_at=timezone.now()
    )
    url = reverse("subscriptions:unsubscribe", args=[tokens.unsubscribe_token(subscriber.key)])
    browser = Client(enforce_csrf_checks=True)

    page = browser.get(url).content.decode()
    assert page.count('<button type="submit">Unsubscribe</button>') == 1
    assert "csrfmiddlewaretoken" not in page.split("<main")[1]
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()

    response = browser.post(url)
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    assert not Subscriber.objects.filter(pk=subscriber.pk).exists()
    # Again, or for an address already gone: the same answer, nothing to delete.
    assert browser.post(url).status_code == 200
    assert "is not subscribed" in browser.get(url).content.decode()


def test_an_altered_unsubscribe_link_is_refused(client):
    response = client.post(reverse("subscriptions:unsubscribe", args=["not-a-token"]))
    assert response.status_code == 404


def test_only_the_unsubscribe_view_is_exempt_from_csrf(technology):
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(
        reverse("subscriptions:subscribe"),
        {"email": "a@example.org", "frequency": "daily", "themes": [technology.pk]},
    )

    assert response.status_code == 403
    assert not SignUp.objects.exists()


def test_the_footer_invites_to_follow_by_e_mail(client):
    page = client.get(reverse("home")).content.decode()
    footer = page.split('<footer class="site-footer">')[1]
    assert reverse("subscriptions:subscribe") in footer


# The Secretariat's counts -----------------------------------------------------------------


def test_the_secretariat_sees_counts_by_frequency_theme_state_and_meeting_never_addresses(
    secretariat_client, technology, state_a, django_assert_max_num_queries
):
    seventh = Meeting.objects.get(ordinal=7)
    for index, frequency in enumerate(["daily", "weekly", "weekly"]):
        subscriber = Subscriber.objects.create(
            email=f"follower{index}@example.org", frequency=frequency, confirmed_at=timezone.now()
        )
        subscriber.themes.set([technology])
        if index:
            subscriber.states.set([state_a])
            subscriber.meetings.set([seventh])
    SignUp.objects.create(email="waiting@example.org", frequency="daily")

    # 2 session and user, 1 Secretariat group, 1 subscribers by frequency, 1 sign-ups waiting,
    # 1 themes, 1 States, 1 meetings with their counts
    with django_assert_max_num_queries(9):
        response = secretariat_client.get(reverse("subscriptions:counts"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "3 confirmed subscribers." in page
    assert "1 sign-up waits for its confirmation." in page
    assert dict(response.context["counts"].by_frequency) == {"Daily": 1, "Weekly": 2}
    themes = {t.slug: t.subscriber_count for t in response.context["counts"].themes}
    assert themes["technology"] == 3
    assert [(s.name, s.subscriber_count) for s in response.context["counts"].states] == [
        (state_a.name, 2)
    ]
    assert [(m.ordinal, m.subscriber_count) for m in response.context["counts"].meetings] == [
        (7, 2)
    ]
    assert "@example.org" not in page


def test_the_counts_page_is_linked_for_the_secretariat(secretariat_client):
    page = secretariat_client.get(reverse("home")).content.decode()
    assert reverse("subscriptions:counts") in page


def test_visitors_and_focal_points_cannot_see_the_counts(anonymous, focal_point_a, reader):
    url = reverse("subscriptions:counts")

    response = anonymous.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    for user in (focal_point_a, reader):
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == 403


def test_the_admin_lists_subscribers_without_their_addresses(superuser_client):
    Subscriber.objects.create(
        email="private@example.org", frequency="daily", confirmed_at=timezone.now()
    )

    listing = superuser_client.get(reverse("admin:subscriptions_subscriber_changelist"))
    subscriber = Subscriber.objects.get(email="private@example.org")
    change = superuser_client.get(
        reverse("admin:subscriptions_subscriber_change", args=[subscriber.pk])
    )

    assert listing.status_code == change.status_code == 200
    assert "private@example.org" not in listing.content.decode()
    assert "private@example.org" not in change.content.decode()
