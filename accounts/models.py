from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
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
    """The security events kept: who got in (or failed to), who gained or lost a role or a
    token, who changed whom a State lists as its contacts, what came in by import, and who
    took away a private file."""

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
