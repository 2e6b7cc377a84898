"""Writes about users: provisioning accounts and keeping the Secretariat group's permissions."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import verify_token as otp_verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import (
    API_TOKEN_PREFIX_LENGTH,
    ApiToken,
    AuditAction,
    AuditEvent,
    User,
    api_token_key_hash,
)
from .selectors import api_tokens_active
from .tasks import invitation_queue

ROLE_SECRETARIAT = "secretariat"
ROLE_FOCAL_POINT = "focal-point"
ROLES = (ROLE_SECRETARIAT, ROLE_FOCAL_POINT)

# The apps whose records the Secretariat keeps in the admin.
SECRETARIAT_APPS = ("states", "meetings", "recommendations", "reporting", "compliance")
# Records that are never deleted, by anyone: the admin refuses too.
NEVER_DELETED = ("delete_implementationreport", "delete_reportattachment")
# Beyond those apps, only some permissions of others: the schedules of the background tasks
# (django-celery-beat), whose times the Secretariat may see and change, or pause, but neither
# add nor delete (each is made by a migration, with the task it runs).
SECRETARIAT_PERMISSIONS_OF_OTHER_APPS: dict[str, tuple[str, ...]] = {
    "django_celery_beat": (
        "view_periodictask",
        "change_periodictask",
        "view_crontabschedule",
        "change_crontabschedule",
    ),
}


def secretariat_group(
    *, apps: tuple[str, ...] = (*SECRETARIAT_APPS, *SECRETARIAT_PERMISSIONS_OF_OTHER_APPS)
) -> Group:
    """The Secretariat group, granted the permissions its staff need on `apps` in the admin:
    all those of SECRETARIAT_APPS but NEVER_DELETED, and the SECRETARIAT_PERMISSIONS_OF_OTHER_APPS.

    Run after each app's migrations (accounts/apps.py) and by `add_user`, so that permissions
    of models added later reach the group without a hand-written migration for each.
    """
    group, _created = Group.objects.get_or_create(name=settings.SECRETARIAT_GROUP_NAME)
    wanted = models.Q(
        content_type__app_label__in=[app for app in apps if app in SECRETARIAT_APPS]
    ) & ~models.Q(codename__in=NEVER_DELETED)
    for app, codenames in SECRETARIAT_PERMISSIONS_OF_OTHER_APPS.items():
        if app in apps:
            wanted |= models.Q(content_type__app_label=app, codename__in=codenames)
    group.permissions.add(*Permission.objects.filter(wanted))
    return group


@transaction.atomic
def user_create(*, email: str, role: str, state: models.Model | None = None) -> User:
    """Provision an account and e-mail its owner a link to choose a password.

    The account has no usable password until its owner follows the link: a password never
    travels through a command line, a shell history or an administrator's hands.
    Secretariat staff join the Secretariat group and may use the admin; a focal point is
    bound to exactly one State and never is staff.
    """
    email = User.objects.normalize_email((email or "").strip())
    try:
        validate_email(email)
    except ValidationError:
        message = _("“%(email)s” is not an e-mail address.") % {"email": email}
        raise ValidationError({"email": message}) from None
    if (
        User.objects.filter(email__iexact=email).exists()
        or User.objects.filter(username__iexact=email).exists()
    ):
        raise ValidationError({"email": _("An account with this e-mail address already exists.")})
    if role not in ROLES:
        raise ValidationError(
            {"role": _("The role must be one of: %(roles)s.") % {"roles": ", ".join(ROLES)}}
        )
    if role == ROLE_FOCAL_POINT and state is None:
        raise ValidationError({"state": _("A focal point must be bound to a State.")})
    if role == ROLE_SECRETARIAT and state is not None:
        raise ValidationError({"state": _("Secretariat staff are not bound to a State.")})

    # `state` is a states.State, which this layer cannot import to name.
    user = User(username=email, email=email, state=state, is_staff=role == ROLE_SECRETARIAT)  # type: ignore[misc]
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    if role == ROLE_SECRETARIAT:
        user.groups.add(secretariat_group())

    invitation_queue(user)
    return user


# A user's tokens that work or may still be revoked: past that, a user with a script per
# machine is better served by fewer, named tokens, and the list stays readable.
API_TOKENS_PER_USER = 10
# A token's last use is written at most this often: the API answers many requests a minute,
# and "last used" only needs to tell a token in use from a forgotten one.
API_TOKEN_LAST_USED_PRECISION = datetime.timedelta(minutes=1)


@transaction.atomic
def api_token_create(*, user: User, name: str, ip: str | None = None) -> tuple[ApiToken, str]:
    """A new API token for `user`, and its key: the only time the key exists outside the
    request that sends it. Only its hash and first characters are stored."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Enter a name for the token.")})
    if api_tokens_active(user=user).count() >= API_TOKENS_PER_USER:
        raise ValidationError(
            {
                "name": _("You already have %(count)d tokens. Revoke one you no longer use.")
                % {"count": API_TOKENS_PER_USER}
            }
        )
    # 30 bytes make exactly 40 URL-safe characters, about 240 bits.
    key = secrets.token_urlsafe(30)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        key_prefix=key[:API_TOKEN_PREFIX_LENGTH],
        key_hash=api_token_key_hash(key),
    )
    audit_record(
        action=AuditAction.TOKEN_CREATED,
        actor=user,
        target=user.get_username(),
        ip=ip,
        details={"token": token.key_prefix, "name": token.name},
    )
    return token, key


@transaction.atomic
def api_token_revoke(
    *, user: User, token_id: int, ip: str | None = None, by: User | None = None
) -> bool:
    """Revoke `user`'s token `token_id`; whether there was such a token still working.

    Only the user's own: another user's token id revokes nothing. `by` is who revoked it
    when not the user (a superuser in the admin), for the audit log.
    """
    token = (
        ApiToken.objects.select_for_update()
        .filter(user=user, pk=token_id, revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return False
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        action=AuditAction.TOKEN_REVOKED,
        actor=by or user,
        target=user.get_username(),
        ip=ip,
        details={"token": token.key_prefix, "name": token.name},
    )
    return True


@transaction.atomic
def api_tokens_revoke_all(*, user: User, reason: str, ip: str | None = None) -> int:
    """Revoke every token of `user` still working; how many.

    Called when the password changes or is reset: whoever knew the old password may have
    made a token with it, and a token must not outlive the password that let it be made.
    """
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        audit_record(
            action=AuditAction.TOKEN_REVOKED,
            actor=user,
            target=user.get_username(),
            ip=ip,
            details={"tokens": revoked, "reason": reason},
        )
    return revoked


class ApiTokenRefused(Exception):
    """The key sent is unknown, revoked or expired, or its user may no longer sign in; the
    message says which, in words the API returns to the client."""


def api_token_authenticate(*, key: str) -> ApiToken:
    """The working token whose key is `key`, with its user, its last use noted; or
    ApiTokenRefused.

    Looked up by hash: the key itself is stored nowhere, and an index look-up of a hash
    tells an attacker nothing by its timing.
    """
    token = ApiToken.objects.select_related("user").filter(key_hash=api_token_key_hash(key)).first()
    if token is None or not token.user.is_active:
        raise ApiTokenRefused(_("Invalid token."))
    if token.revoked_at is not None:
        raise ApiTokenRefused(_("This token was revoked. Make a new one on your profile page."))
    now = timezone.now()
    if token.expires_at <= now:
        raise ApiTokenRefused(_("This token has expired. Make a new one on your profile page."))
    if token.last_used_at is None or now - token.last_used_at >= API_TOKEN_LAST_USED_PRECISION:
        # An update, not save(): concurrent requests with one token must not write over
        # a revocation made meanwhile.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def user_language_set(*, user: User, language: str) -> User:
    """Remember `language` as `user`'s interface language, applied again at each sign-in.

    Only a code of settings.LANGUAGES is kept: the switcher posts what the browser sends, and
    a code the site does not offer would make every later sign-in fall back silently.
    """
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("This language is not offered.")})
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user


def client_ip(request: HttpRequest | None) -> str | None:
    """The address the request came from, as the server saw it.

    REMOTE_ADDR only: X-Forwarded-For is written by the client unless a trusted proxy
    rewrites it, and an audit trail that an attacker can fill in is worth nothing.
    """
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def sign_in_failure_limit(request: HttpRequest, credentials: dict[str, Any] | None) -> int:
    """django-axes' failure limit (AXES_FAILURE_LIMIT) for this attempt.

    Axes counts failures per (username, address) and has a single limit. The second, per
    address, is read here from axes' own AccessAttempt rows: once the address has failed
    SIGN_IN_ADDRESS_FAILURE_LIMIT times within the cool-off, across any usernames, no
    attempt is left to it (limit 0) for any account; otherwise each account at that
    address has SIGN_IN_FAILURE_LIMIT. Failures elsewhere never count against an address,
    so nobody locks out a member of staff from another network.
    """
    ip = getattr(request, "axes_ip_address", None) or client_ip(request)
    failures = (
        AccessAttempt.objects.filter(
            ip_address=ip, attempt_time__gte=get_cool_off_threshold(request)
        ).aggregate(total=models.Sum("failures_since_start"))["total"]
        or 0
    )
    if failures >= settings.SIGN_IN_ADDRESS_FAILURE_LIMIT:
        return 0
    return settings.SIGN_IN_FAILURE_LIMIT


# Wrong current passwords on the password change form after which it refuses to check more,
# and for how long; the form is reached with a session, so whoever stole one cannot use it
# to guess the password at leisure (and then change it). Counted in the cache: without
# Redis each process counts apart, so the limit is per process there (acceptable: the form
# is behind a signed-in session, and production runs with Redis).
PASSWORD_CHANGE_FAILURE_LIMIT = 5
PASSWORD_CHANGE_WINDOW = datetime.timedelta(minutes=15)


def _password_change_keys(user: User) -> tuple[str, str]:
    return (
        f"accounts:password-change-failures:{user.pk}",
        f"accounts:password-change-lock:{user.pk}",
    )


def password_change_blocked(*, user: User) -> bool:
    """Whether `user` got the current password wrong too often lately to try again yet."""
    _count_key, lock_key = _password_change_keys(user)
    return bool(cache.get(lock_key))


def password_change_failure_record(*, user: User) -> bool:
    """Count one wrong current password for `user`; whether the form is now blocked.

    The failures count within PASSWORD_CHANGE_WINDOW from the first; the limit blocks the
    form for PASSWORD_CHANGE_WINDOW from the failure that reached it.
    """
    count_key, lock_key = _password_change_keys(user)
    window = int(PASSWORD_CHANGE_WINDOW.total_seconds())
    cache.add(count_key, 0, timeout=window)
    try:
        failures = cache.incr(count_key)
    except ValueError:  # expired between add and incr
        cache.set(count_key, 1, timeout=window)
        failures = 1
    if failures >= PASSWORD_CHANGE_FAILURE_LIMIT:
        cache.set(lock_key, True, timeout=window)
        cache.delete(count_key)
        return True
    return False


def password_change_failures_clear(*, user: User) -> None:
    """Forget `user`'s wrong current passwords: they got it right."""
    cache.delete_many(_password_change_keys(user))


def audit_record(
    *,
    action: str,
    actor: Any = None,
    actor_name: str = "",
    target: object = "",
    ip: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record one security event (AuditAction); the only writer of AuditEvent.

    Runs inside the caller's transaction, so an import that rolls back leaves no event
    claiming it happened. `actor` is a user or None (anonymous, a command); `target` is
    turned into text, as the thing acted on may be deleted later. `details` must hold no
    secret (no password, no token key): it is shown in the admin.
    """
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        actor_name=(actor_name or (actor.get_username() if actor is not None else ""))[:254],
        target=str(target)[:255],
        ip=ip,
        details=details or {},
    )


# The second factor of staff accounts ---------------------------------------------------------
# An authenticator app (django-otp's TOTPDevice) and ten single-use recovery codes (a
# StaticDevice) per user; only confirmed devices count. Codes are checked by the devices'
# verify_token, which slows down repeated failures.

RECOVERY_CODE_COUNT = 10


def second_factor_device(*, user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if they set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def totp_device_for_setup(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator device a setup page shows, made once: reloading the page
    shows the same secret, so an app that scanned it still gives codes that match."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=False)
    return device


def _normalised_code(code: str) -> str:
    # People copy codes with spaces or the hyphen of a printed recovery code.
    return "".join((code or "").split()).replace("-", "").lower()


@transaction.atomic
def totp_device_confirm(
    *, device: TOTPDevice, code: str, ip: str | None = None
) -> tuple[TOTPDevice, list[str]]:
    """Confirm `device` with a code of the app it was added to, and make new recovery codes.

    Returns the device and the recovery codes, shown to the user once and stored by
    django-otp only to be matched. Raises ValidationError on `code` when it does not match.
    """
    if not device.verify_token(_normalised_code(code)):
        raise ValidationError(
            {"code": _("This code does not match. Enter the 6-digit code your app shows now.")}
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_create(user=device.user)
    audit_record(
        action=AuditAction.SECOND_FACTOR_SET_UP,
        actor=device.user,
        target=device.user.get_username(),
        ip=ip,
    )
    return device, codes


@transaction.atomic
def recovery_codes_create(*, user: User) -> list[str]:
    """Replace `user`'s recovery codes with RECOVERY_CODE_COUNT new single-use ones."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _index in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(*, user: User) -> int:
    count: int = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    return count


def second_factor_verify(*, user: User, code: str) -> Device:
    """The confirmed device of `user` that accepts `code`: six digits are an authenticator
    app's code, anything else a recovery code (used up by this check).

    Raises ValidationError on `code` when none accepts it, saying so when failures have been
    too many for now (django-otp's throttling refuses even a right code then).
    """
    code = _normalised_code(code)
    devices: list[Device] = (
        list(TOTPDevice.objects.filter(user=user, confirmed=True))
        if code.isdigit()
        else list(StaticDevice.objects.filter(user=user, confirmed=True))
    )
    throttled = False
    for device in devices:
        allowed, _data = device.verify_is_allowed()
        throttled = throttled or not allowed
        # django_otp.verify_token locks the device's row, so two requests cannot both use
        # one recovery code or both escape the throttle.
        verified = otp_verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified
    if throttled:
        raise ValidationError(
            {"code": _("Wrong codes were entered just now. Wait a little, then try again.")}
        )
    raise ValidationError({"code": _("This code is not right. Check it and try again.")})


@transaction.atomic
def second_factor_reset(*, user: User, by: User | None, ip: str | None = None) -> bool:
    """Remove `user`'s authenticator app and recovery codes, so they set up a new one at their
    next sign-in (a lost phone, say); whether there was anything to remove. Done by a
    colleague, never by the user alone: a second factor a password could remove is no factor.
    """
    deleted = 0
    for model in (TOTPDevice, StaticDevice):
        count, _rows = model.objects.filter(user=user).delete()
        deleted += count
    audit_record(
        action=AuditAction.SECOND_FACTOR_RESET,
        actor=by,
        actor_name="" if by is not None else "manage.py",
        target=user.get_username(),
        ip=ip,
    )
    return bool(deleted)
