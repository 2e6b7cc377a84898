"""The signed links of subscription e-mails.

A confirmation link names a sign-up and expires after SUBSCRIPTIONS_CONFIRMATION_DAYS
(`TimestampSigner`); an unsubscribe link names a subscriber or a sign-up and never expires,
since mail programs keep offering it (RFC 8058). Both carry the record's random key, never the
address, and each is signed with its own salt, so one kind cannot stand for the other.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core import signing

_CONFIRM_SALT = "subscriptions.confirm"
_UNSUBSCRIBE_SALT = "subscriptions.unsubscribe"


class LinkInvalid(Exception):
    """The link was altered, or names nothing we hold (already used, or deleted)."""


class LinkExpired(LinkInvalid):
    """The confirmation link is genuine but older than SUBSCRIPTIONS_CONFIRMATION_DAYS."""


def confirmation_max_age() -> datetime.timedelta:
    return datetime.timedelta(days=settings.SUBSCRIPTIONS_CONFIRMATION_DAYS)


def confirmation_token(key: uuid.UUID) -> str:
    return signing.TimestampSigner(salt=_CONFIRM_SALT).sign(str(key))


def confirmation_key(token: str) -> uuid.UUID:
    """The sign-up key a confirmation token names; LinkExpired or LinkInvalid otherwise."""
    try:
        value = signing.TimestampSigner(salt=_CONFIRM_SALT).unsign(
            token, max_age=confirmation_max_age()
        )
    except signing.SignatureExpired as exc:
        raise LinkExpired from exc
    except signing.BadSignature as exc:
        raise LinkInvalid from exc
    return _uuid(value)


def unsubscribe_token(key: uuid.UUID) -> str:
    return signing.Signer(salt=_UNSUBSCRIBE_SALT).sign(str(key))


def unsubscribe_key(token: str) -> uuid.UUID:
    """The key an unsubscribe token names; LinkInvalid when it was altered."""
    try:
        value = signing.Signer(salt=_UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature as exc:
        raise LinkInvalid from exc
    return _uuid(value)


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise LinkInvalid from exc
