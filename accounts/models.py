from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in: Secretariat staff, or a State focal point bound to one State.

    A custom user model from the first migration, as Django's documentation advises, so that
    the focal point's State can live on the user rather than in a side table.

    Roles (see accounts/roles.py): Secretariat staff are the members of the "Secretariat"
    group, and superusers; a focal point is a user with a State; everyone else reads only
    what is published.
    """

    email = models.EmailField(_("e-mail address"), unique=True)
    state = models.ForeignKey(
        "states.State",
        verbose_name=_("State (focal points only)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="focal_points",
    )
    # The interface language the user last chose with the switcher, applied again when they
    # sign in (accounts/signals.py), so a delegate who reads Arabic gets Arabic on any browser.
    # A code of settings.LANGUAGES, checked by the service that sets it; not `choices`, so
    # adding a language needs no migration. Empty: the browser's language decides.
    # A default in the database too: rows written without the column (raw SQL, a migration's
    # historical models) get "no preference" rather than failing.
    language = models.CharField(
        _("interface language"), max_length=10, blank=True, default="", db_default=""
    )

    class Meta(AbstractUser.Meta):  # type: ignore[name-defined]  # missing from django-stubs
        swappable = "AUTH_USER_MODEL"

    # Cached per request (the user object lives as long as the request): templates and
    # permission checks ask several times per page, and the group test costs a query.
    @cached_property
    def is_secretariat(self) -> bool:
        """Secretariat staff: active members of the Secretariat group, and superusers."""
        if not self.is_active:
            return False
        if self.is_superuser:
            return True
        return self.groups.filter(name=settings.SECRETARIAT_GROUP_NAME).exists()

    @property
    def is_focal_point(self) -> bool:
        """An active user bound to one State."""
        return self.is_active and self.state_id is not None


class AuditAction(models.TextChoices):
    """The security events kept: who got in (or failed to), who gained or lost a role, a
    token or a second factor, who changed whom a State lists as its contacts, what came in by
    import, and who took away a private file."""

    SIGN_IN = "sign-in", _("signed in")
    SIGN_IN_FAILED = "sign-in-failed", _("sign-in failed")
    ROLE_GRANTED = "role-granted", _("role granted")
    ROLE_REVOKED = "role-revoked", _("role revoked")
    TOKEN_CREATED = "token-created", _("API token created")
    TOKEN_REVOKED = "token-revoked", _("API token revoked")
    CONTACT_POINT_CREATED = "contact-point-created", _("contact point created")
    CONTACT_POINT_UPDATED = "contact-point-updated", _("contact point changed")
    CONTACT_POINT_DELETED = "contact-point-deleted", _("contact point removed")
    MEETING_REPORT_IMPORTED = "meeting-report-imported", _("meeting report imported")
    SPREADSHEET_IMPORTED = "spreadsheet-imported", _("spreadsheet of reports imported")
    PRIVATE_FILE_DOWNLOADED = "private-file-downloaded", _("private file downloaded")
    SECOND_FACTOR_SET_UP = "second-factor-set-up", _("second factor set up")
    SECOND_FACTOR_RESET = "second-factor-reset", _("second factor reset")


class AuditEvent(models.Model):
    """One security event, written only by `accounts.services.audit_record` and never changed.

    The actor is kept by name as well as by key: an account deleted later must not erase who
    did what, and a failed sign-in names an account that may not exist.
    """

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("actor name"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=AuditAction.choices)
    target = models.CharField(_("target"), max_length=255, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["action", "-at"], name="audit_action_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name or '-'} {self.action} {self.target}"


# API tokens
# ------------------------------------------------------------------------------
# How many characters of a key are kept in clear: enough for its owner to tell their tokens
# apart and for an administrator to match a leaked key to its row, far too few to use it.
API_TOKEN_PREFIX_LENGTH = 8


def api_token_key_hash(key: str) -> str:
    """What is stored of a key: its SHA-256, in hex.

    A fast hash on purpose, as GitHub and pretix store their tokens. Slow hashes (PBKDF2,
    Argon2) protect passwords, which people choose and which are guessed from short lists;
    a key is 40 random characters from `secrets.token_urlsafe` (about 240 bits), which no
    one guesses from a leaked hash however fast the hash. A slow hash would instead cost
    every API request hundreds of milliseconds, and the row could no longer be looked up by
    its hash, which is also what keeps the look-up free of timing differences.
    """
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_expiry() -> datetime.datetime:
    """When a token made now stops working: settings.API_TOKEN_DAYS from now."""
    return timezone.now() + datetime.timedelta(days=settings.API_TOKEN_DAYS)


class ApiToken(models.Model):
    """A key a program sends (`Authorization: Token <key>`) to use the REST API as `user`.

    Only the key's hash and first characters are kept: the key itself is shown to its owner
    once, when it is made, and a copy of the database opens no account. A token stops
    working when it expires, when its owner revokes it and when its owner's password changes
    or is reset (accounts/services.py); a revoked row is kept, so the list of what was
    revoked and when survives for the audit trail.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    key_prefix = models.CharField(_("key prefix"), max_length=API_TOKEN_PREFIX_LENGTH)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), default=api_token_expiry)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.key_prefix}… ({self.name})"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()
