"""Writes of subscriptions: sign-up, confirmation, unsubscribing, the e-mails and the purge.

The rules:

- Double opt-in. A sign-up stores a `SignUp` and its one confirmation e-mail (in the outbox,
  outbox/, sent once the sign-up commits);
  only its signed link, within SUBSCRIPTIONS_CONFIRMATION_DAYS, makes the address a
  `Subscriber`. Nothing else is ever sent to an address that has not confirmed.
- No enumeration. A sign-up is answered the same whether the address is unknown, waiting or
  subscribed; what the address already follows is kept and the new choices are added on
  confirmation, so a stranger can neither read nor change someone's subscription.
- No mail bombing. At most SUBSCRIPTIONS_CONFIRMATIONS_PER_DAY confirmation e-mails per address
  a day; beyond that a sign-up stores and sends nothing (and is answered the same).
- Unsubscribing deletes the address: the subscriber, what it follows, and its sign-ups.
- A digest lists what is new since the last one and is recorded as sent when it is written to
  the outbox, in the same transaction (the outbox then keeps trying the mail server); an empty
  digest is not sent.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from meetings.models import Meeting
from outbox.services import outbox_enqueue
from recommendations.models import Theme
from states.models import State

from . import selectors, tokens
from .models import Frequency, SignUp, Subscriber

_DAY = 24 * 60 * 60


def normalise_email(email: str) -> str:
    """One spelling per address, so that case cannot make two subscribers of one mailbox."""
    return email.strip().lower()


def _confirmation_allowed(email: str) -> bool:
    # The count is kept in the cache (Redis in production, shared by every process) under a
    # keyed hash of the address: the limit outlives deleted sign-ups and stores no address.
    key = "subscriptions:confirmations:" + salted_hmac("subscriptions.limit", email).hexdigest()
    cache.add(key, 0, timeout=_DAY)
    try:
        count = cache.incr(key)
    except ValueError:
        # Expired between add and incr, or the cache is down (core.cache answers a miss). A
        # count that cannot be kept refuses the mail (fail closed): a sign-up can be repeated
        # once Redis is back, a flooded mailbox cannot be emptied.
        if not cache.add(key, 1, timeout=_DAY):
            return False
        count = 1
    return count <= settings.SUBSCRIPTIONS_CONFIRMATIONS_PER_DAY


@transaction.atomic
def signup_create(
    *,
    email: str,
    frequency: str,
    themes: Iterable[Theme] = (),
    states: Iterable[State] = (),
    meetings: Iterable[Meeting] = (),
    language: str | None = None,
) -> SignUp | None:
    """Record a sign-up and its confirmation e-mail, sent once the sign-up is committed.

    Returns None, storing and sending nothing, when the address has had its confirmation
    e-mails for the day. Raises ValidationError (on `themes`) when nothing is chosen, and on
    `frequency` for an unknown frequency.
    """
    themes, states, meetings = list(themes), list(states), list(meetings)
    if not (themes or states or meetings):
        raise ValidationError(
            {"themes": _("Choose at least one theme, State or meeting to follow.")}
        )
    if frequency not in Frequency.values:
        raise ValidationError({"frequency": _("Choose how often to receive e-mail.")})
    email = normalise_email(email)
    if not _confirmation_allowed(email):
        return None
    signup = SignUp(
        email=email, frequency=frequency, language=language or translation.get_language() or "en"
    )
    signup.full_clean()
    signup.save()
    signup.themes.set(themes)
    signup.states.set(states)
    signup.meetings.set(meetings)
    _confirmation_queue(signup)
    return signup


@transaction.atomic
def signup_confirm(*, token: str) -> Subscriber:
    """Make the sign-up a confirmation link names a subscription, and delete the sign-up.

    An address already subscribed keeps what it follows and adds the sign-up's choices; its
    frequency becomes the one just chosen. Raises tokens.LinkExpired past
    SUBSCRIPTIONS_CONFIRMATION_DAYS, tokens.LinkInvalid for an altered or used link.
    """
    # Locked, so that two clicks on the same link confirm once and the second finds nothing.
    signup = SignUp.objects.select_for_update().filter(key=tokens.confirmation_key(token)).first()
    if signup is None:
        raise tokens.LinkInvalid
    now = timezone.now()
    subscriber, created = Subscriber.objects.select_for_update().get_or_create(
        email=signup.email,
        defaults={"frequency": signup.frequency, "language": signup.language, "confirmed_at": now},
    )
    if not created:
        subscriber.frequency = signup.frequency
        subscriber.language = signup.language
        subscriber.save(update_fields=["frequency", "language"])
    subscriber.themes.add(*signup.themes.all())
    subscriber.states.add(*signup.states.all())
    subscriber.meetings.add(*signup.meetings.all())
    signup.delete()
    return subscriber


@transaction.atomic
def address_forget(*, email: str) -> int:
    """Delete an address: its subscription, what it follows, and its waiting sign-ups.
    Returns how many records named it (0 when it was already gone)."""
    email = normalise_email(email)
    subscribers, _detail = Subscriber.objects.filter(email=email).delete()
    signups, _detail = SignUp.objects.filter(email=email).delete()
    return int(bool(subscribers)) + int(bool(signups))


def unsubscribe(*, token: str) -> bool:
    """Unsubscribe the address an unsubscribe link names, deleting it (see address_forget).

    Raises tokens.LinkInvalid for an altered link; returns False when the address was already
    gone, so that a second click, or a mail program's one-click POST after it, is harmless.
    """
    holder = selectors.address_holder(key=tokens.unsubscribe_key(token))
    if holder is None:
        return False
    return address_forget(email=holder.email) > 0


def signups_purge_expired(*, now: datetime.datetime | None = None) -> int:
    """Delete the sign-ups whose confirmation link has expired; return how many."""
    cutoff = (now or timezone.now()) - tokens.confirmation_max_age()
    deleted, _detail = SignUp.objects.filter(created_at__lt=cutoff).delete()
    return deleted


# --- E-mail ------------------------------------------------------------------------------


def site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _message(
    *, template: str, context: dict[str, object], to: str, unsubscribe_url: str
) -> EmailMessage:
    context = {**context, "unsubscribe_url": unsubscribe_url, "site_url": settings.SITE_URL}
    subject = render_to_string(f"subscriptions/email/{template}_subject.txt", context)
    body = render_to_string(f"subscriptions/email/{template}.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        # RFC 8058 one-click unsubscribe: mail programs POST to the address without asking.
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def _unsubscribe_url(holder: Subscriber | SignUp) -> str:
    return site_url(
        reverse("subscriptions:unsubscribe", args=[tokens.unsubscribe_token(holder.key)])
    )


@transaction.atomic
def confirmation_send(*, signup_id: int) -> bool:
    """Write a sign-up's confirmation e-mail to the outbox; False when the sign-up is gone
    (confirmed, unsubscribed or purged meanwhile)."""
    signup = (
        SignUp.objects.prefetch_related("themes", "states", "meetings").filter(pk=signup_id).first()
    )
    if signup is None:
        return False
    _confirmation_queue(signup)
    return True


def _confirmation_queue(signup: SignUp) -> None:
    with translation.override(signup.language):
        context: dict[str, object] = {
            "signup": signup,
            "confirm_url": site_url(
                reverse("subscriptions:confirm", args=[tokens.confirmation_token(signup.key)])
            ),
            "days": settings.SUBSCRIPTIONS_CONFIRMATION_DAYS,
        }
        message = _message(
            template="confirmation",
            context=context,
            to=signup.email,
            unsubscribe_url=_unsubscribe_url(signup),
        )
    outbox_enqueue(message)


@transaction.atomic
def digest_send(*, subscriber_id: int, now: datetime.datetime | None = None) -> bool:
    """Write to the outbox what is new for one subscriber since its last digest; True when an
    e-mail was queued.

    Nothing new, no e-mail, and nothing recorded (the next digest looks back as far). The
    moment covered is recorded in the transaction that writes the message to the outbox, so
    the two stand or fall together; the outbox then retries the mail server.
    """
    subscriber = selectors.subscriber_for_digest(subscriber_id=subscriber_id)
    if subscriber is None:
        return False
    until = now or timezone.now()
    since = subscriber.last_digest_at or subscriber.confirmed_at
    news = selectors.digest_news(subscriber=subscriber, since=since, until=until)
    if news.is_empty:
        return False
    with translation.override(subscriber.language):
        message = _message(
            template="digest",
            context={
                "subscriber": subscriber,
                "news": news,
                "daily": subscriber.frequency == Frequency.DAILY,
                "subscribe_url": site_url(reverse("subscriptions:subscribe")),
            },
            to=subscriber.email,
            unsubscribe_url=_unsubscribe_url(subscriber),
        )
    outbox_enqueue(message)
    Subscriber.objects.filter(pk=subscriber.pk).update(last_digest_at=until)
    return True
