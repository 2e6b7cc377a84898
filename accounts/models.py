from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in: Secretariat staff, or a State focal point bound to one State.

    A custom user model from the first migration, as Django's documentation advises, so that
    the focal point's State can live on the user rather than in a side table.
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

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
