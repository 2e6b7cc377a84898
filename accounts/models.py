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
