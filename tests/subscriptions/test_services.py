"""The rules of subscriptions: double opt-in, no enumeration, no mail bombing, digests of what
is new only, unsubscribing deletes, expired sign-ups are purged."""

from __future__ import annotations

import datetime
import smtplib
import time
from types import SimpleNamespace

import pytest
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.utils import timezone

from outbox.models import Message
from reporting.models import ImplementationReport
from subscriptions import services, tokens
from subscriptions.models import SignUp, Subscriber
from subscriptions.tasks import purge_unconfirmed, send_confirmation, send_digest, send_digests
from tests.factories import (
    DraftReportFactory,
    ImplementationReportFactory,
    MeetingFactory,
    RecommendationFactory,
)
from tests.outbox.helpers import deliver_outbox

from .conftest import confirmation_path

pytestmark = pytest.mark.usefixtures("wgsom")


def subscribe(email: str, *, frequency: str = "daily", confirmed_days_ago: int = 0, **follows):
    """A confirmed subscriber, as if it had confirmed `confirmed_days_ago` days ago (by default
    now: after the WGSOM data was loaded, so that only what a test makes is new)."""
    subscriber = Subscriber.objects.create(
        email=email,
        frequency=frequency,
        confirmed_at=timezone.now() - datetime.timedelta(days=confirmed_days_ago),
    )
    for name, values in follows.items():
        getattr(subscriber, name).set(values)
    return subscriber


# Sign-up and confirmation -----------------------------------------------------------------


def test_a_sign_up_stores_an_unconfirmed_request_and_sends_its_confirmation_on_commit(
    technology, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        signup = services.signup_create(
            email="new@example.org", frequency="weekly", themes=[technology]
        )
        assert mail.outbox == []  # never in the request's transaction

    assert len(callbacks) == 1
    callbacks[0]()
    assert [m.to for m in mail.outbox] == [["new@example.org"]]
    assert SignUp.objects.get(pk=signup.pk).email == "new@example.org"
    assert not Subscriber.objects.exists()


def test_a_sign_up_without_anything_to_follow_is_refused():
    with pytest.raises(ValidationError) as error:
        services.signup_create(email="new@example.org", frequency="daily")

    assert "themes" in error.value.message_dict


def test_an_address_gets_at_most_three_confirmation_mails_a_day(
    technology, settings, django_capture_on_commit_callbacks
):
    assert settings.SUBSCRIPTIONS_CONFIRMATIONS_PER_DAY == 3
    with django_capture_on_commit_callbacks(execute=True):
        results = [
            services.signup_create(
                email="victim@example.org", frequency="daily", themes=[technology]
            )
            for _ in range(5)
        ]

    assert [r is not None for r in results] == [True, True, True, False, False]
    assert len(mail.outbox) == 3
    assert SignUp.objects.filter(email="victim@example.org").count() == 3
    # Other addresses are not held back by it.
    with django_capture_on_commit_callbacks(execute=True):
        services.signup_create(email="other@example.org", frequency="daily", themes=[technology])
    assert len(mail.outbox) == 4


def test_confirming_twice_confirms_once_and_then_the_link_is_refused(
    technology, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signup = services.signup_create(
            email="a@example.org", frequency="daily", themes=[technology]
        )
    token = tokens.confirmation_token(signup.key)

    services.signup_confirm(token=token)
    with pytest.raises(tokens.LinkInvalid):
        services.signup_confirm(token=token)

    assert Subscriber.objects.filter(email="a@example.org").count() == 1


def test_a_confirmed_address_signing_up_again_keeps_what_it_follows_until_it_confirms(
    technology, state_a, django_capture_on_commit_callbacks
):
    subscriber = subscribe("known@example.org", frequency="weekly", themes=[technology])

    with django_capture_on_commit_callbacks(execute=True):
        signup = services.signup_create(
            email="KNOWN@example.org", frequency="daily", states=[state_a]
        )

    subscriber.refresh_from_db()
    assert subscriber.frequency == "weekly"
    assert list(subscriber.states.all()) == []
    services.signup_confirm(token=tokens.confirmation_token(signup.key))
    subscriber.refresh_from_db()
    assert subscriber.frequency == "daily"
    assert list(subscriber.themes.all()) == [technology]
    assert list(subscriber.states.all()) == [state_a]


def test_an_expired_confirmation_link_is_refused_and_subscribes_nothing(
    client, sign_up, technology, settings, monkeypatch
):
    signed_at = time.time() - (settings.SUBSCRIPTIONS_CONFIRMATION_DAYS * 86400 + 60)
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: signed_at))
    sign_up("late@example.org", themes=[technology.pk])
    monkeypatch.undo()
    path = confirmation_path(mail.outbox[0], settings)

    shown = client.get(path)
    posted = client.post(path)

    assert shown.status_code == posted.status_code == 410
    assert "This link has expired" in shown.content.decode()
    assert "Sign up again to get a new link" in posted.content.decode()
    assert not Subscriber.objects.exists()


def test_an_altered_confirmation_link_is_refused(client, sign_up, technology, settings):
    sign_up("a@example.org", themes=[technology.pk])
    path = confirmation_path(mail.outbox[0], settings)

    response = client.post(path.replace("/confirm/", "/confirm/x"))

    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_unconfirmed_sign_ups_past_their_expiry_are_purged(technology, settings):
    fresh = SignUp.objects.create(email="fresh@example.org", frequency="daily")
    stale = SignUp.objects.create(email="stale@example.org", frequency="daily")
    stale.themes.set([technology])
    SignUp.objects.filter(pk=stale.pk).update(
        created_at=timezone.now()
        - datetime.timedelta(days=settings.SUBSCRIPTIONS_CONFIRMATION_DAYS, minutes=1)
    )

    assert purge_unconfirmed.delay().get() >= 1

    assert list(SignUp.objects.values_list("email", flat=True)) == [fresh.email]


# Digests ----------------------------------------------------------------------------------


def test_a_digest_lists_what_is_new_on_what_the_subscriber_follows(technology, state_a):
    other_theme = technology.__class__.objects.exclude(pk=technology.pk).first()
    meeting = MeetingFactory()
    subscriber = subscribe(
        "f@example.org", themes=[technology], states=[state_a], meetings=[meeting]
    )
    on_theme = RecommendationFactory(themes=[technology], label="901")
    RecommendationFactory(meeting=meeting, themes=[other_theme], label="902")
    elsewhere = RecommendationFactory(themes=[other_theme], label="903")
    RecommendationFactory(themes=[technology], status="draft", label="904")
    ImplementationReportFactory(state=state_a, recommendation=elsewhere, status="in_progress")
    on_theme_report = ImplementationReportFactory(recommendation=on_theme, status="implemented")
    DraftReportFactory(state=state_a, recommendation=on_theme, review_state="submitted")

    assert send_digest.delay(subscriber.pk).get() is True

    [digest] = deliver_outbox()
    body = digest.body
    assert "Recommendation 901" in body and "Recommendation 902" in body
    assert "Recommendation 903," not in body.split("Newly validated")[0]
    assert "Recommendation 904" not in body
    assert f"{state_a.name}: In progress on {elsewhere}" in body
    assert f"{on_theme_report.state.name}: Implemented on {on_theme}" in body
    assert body.count(state_a.name) == 1  # the submitted report is not announced


def test_nothing_new_sends_no_digest_and_records_nothing(technology):
    subscriber = subscribe("quiet@example.org", themes=[technology])
    RecommendationFactory(themes=[technology.__class__.objects.exclude(pk=technology.pk).first()])

    assert send_digests.delay("daily").get() == 1

    assert mail.outbox == []
    subscriber.refresh_from_db()
    assert subscriber.last_digest_at is None


def test_a_digest_covers_only_what_is_new_since_the_last_one(technology):
    subscriber = subscribe("f@example.org", themes=[technology])
    RecommendationFactory(themes=[technology], label="911")
    send_digest.delay(subscriber.pk)
    RecommendationFactory(themes=[technology], label="912")

    send_digest.delay(subscriber.pk)
    send_digest.delay(subscriber.pk)  # run twice: nothing new the second time

    assert len(deliver_outbox()) == 2
    assert "Recommendation 911" not in mail.outbox[1].body
    assert "Recommendation 912" in mail.outbox[1].body


def test_recommendations_older_than_the_confirmation_are_not_news(technology):
    RecommendationFactory(themes=[technology])
    subscriber = subscribe("new@example.org", themes=[technology])

    assert send_digest.delay(subscriber.pk).get() is False
    assert mail.outbox == []


def test_only_the_frequency_due_is_sent(technology):
    daily = subscribe("daily@example.org", frequency="daily", themes=[technology])
    weekly = subscribe("weekly@example.org", frequency="weekly", themes=[technology])
    RecommendationFactory(themes=[technology])

    send_digests.delay("weekly")

    assert [m.to for m in deliver_outbox()] == [[weekly.email]]
    assert daily.email not in {address for m in mail.outbox for address in m.to}


def test_no_digest_reaches_an_unconfirmed_or_unsubscribed_address(
    technology, sign_up, settings, client
):
    sign_up("unconfirmed@example.org", themes=[technology.pk])
    gone = subscribe("gone@example.org", themes=[technology])
    services.unsubscribe(token=tokens.unsubscribe_token(gone.key))
    RecommendationFactory(themes=[technology])
    mail.outbox.clear()

    assert send_digests.delay("daily").get() == 0

    assert mail.outbox == []


def test_one_failing_address_does_not_stop_the_others_and_gets_its_digest_later(
    technology, monkeypatch
):
    failing = subscribe("bounces@example.org", themes=[technology])
    fine = subscribe("fine@example.org", themes=[technology])
    RecommendationFactory(themes=[technology], label="921")
    real_send = mail.EmailMessage.send

    def send(message, *args, **kwargs):
        if "bounces@example.org" in message.to:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMessage, "send", send)

    send_digests.delay("daily")

    assert [m.to for m in deliver_outbox()] == [[fine.email]]
    # Both digests are recorded: the failing one waits in the outbox, with its news.
    waiting = Message.objects.get(to=[failing.email])
    assert (waiting.status, waiting.attempts) == ("queued", 1)
    monkeypatch.undo()
    deliver_outbox()
    assert "Recommendation 921" in mail.outbox[-1].body


def test_mail_tasks_retry_mail_server_errors_with_back_off(settings):
    for task in (send_digest, send_confirmation):
        assert smtplib.SMTPException in task.autoretry_for
        assert task.retry_backoff is True
        assert task.retry_jitter is True
        assert task.acks_late is True
        assert task.max_retries == settings.SUBSCRIPTIONS_MAX_RETRIES


def test_a_digest_is_written_once_and_its_mail_server_error_retried_by_the_outbox(
    technology, monkeypatch
):
    subscriber = subscribe("f@example.org", themes=[technology])
    RecommendationFactory(themes=[technology])
    real_send = mail.EmailMessage.send
    attempts = []

    def flaky(message, *args, **kwargs):
        attempts.append(message.to)
        if len(attempts) == 1:
            raise smtplib.SMTPServerDisconnected("try again")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMessage, "send", flaky)

    assert send_digest.apply(args=[subscriber.pk]).get() is True
    assert send_digest.apply(args=[subscriber.pk]).get() is False  # nothing new since
    deliver_outbox()
    deliver_outbox()

    assert len(attempts) == 2
    assert len(mail.outbox) == 1


# Unsubscribing ----------------------------------------------------------------------------


def test_unsubscribing_deletes_the_address_its_follows_and_its_waiting_sign_ups(
    technology, state_a
):
    subscriber = subscribe("leaving@example.org", themes=[technology], states=[state_a])
    SignUp.objects.create(email="leaving@example.org", frequency="weekly")

    assert services.unsubscribe(token=tokens.unsubscribe_token(subscriber.key)) is True
    assert services.unsubscribe(token=tokens.unsubscribe_token(subscriber.key)) is False

    assert not Subscriber.objects.filter(email="leaving@example.org").exists()
    assert not SignUp.objects.filter(email="leaving@example.org").exists()
    assert not Subscriber.states.through.objects.filter(subscriber_id=subscriber.pk).exists()


def test_the_unsubscribe_link_of_a_confirmation_mail_deletes_the_sign_up(
    client, sign_up, technology, settings
):
    from .conftest import unsubscribe_path

    sign_up("mistaken@example.org", themes=[technology.pk])

    client.post(unsubscribe_path(mail.outbox[0], settings))

    assert not SignUp.objects.exists()


def test_an_unsubscribe_link_cannot_confirm_nor_a_confirmation_link_unsubscribe(technology):
    subscriber = subscribe("a@example.org", themes=[technology])

    with pytest.raises(tokens.LinkInvalid):
        services.signup_confirm(token=tokens.unsubscribe_token(subscriber.key))
    with pytest.raises(tokens.LinkInvalid):
        services.unsubscribe(token=tokens.confirmation_token(subscriber.key))
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()


def test_reports_are_announced_only_once_validated(technology, state_a):
    subscriber = subscribe("f@example.org", states=[state_a])
    DraftReportFactory(state=state_a, review_state="returned", review_comment="Fix it")

    assert send_digest.delay(subscriber.pk).get() is False
    assert ImplementationReport.objects.filter(state=state_a).count() == 1
