"""E-mail subscriptions: who follows which themes, States and meetings, and how often.

An address is stored in two cases only: as a `SignUp` between the sign-up and its
confirmation (deleted on confirmation, or SUBSCRIPTIONS_CONFIRMATION_DAYS later), and as a
`Subscriber` once confirmed (deleted when it unsubscribes). Nothing is ever sent to an address
that has not confirmed, except the one confirmation e-mail it asked for.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting
from recommendations.models import Theme
from states.models import State


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class Subscriber(models.Model):
    """A confirmed address, what it follows and how often it hears of it.

    `last_digest_at` is the moment the last digest sent covered news up to; the next digest
    lists what came after it (after `confirmed_at` before the first digest). `key` names the
    subscriber in its unsubscribe links, so that a link never carries the address.
    """

    Frequency = Frequency

    email = models.EmailField(_("e-mail address"), unique=True)
    frequency = models.CharField(_("frequency"), max_length=8, choices=Frequency.choices)
    language = models.CharField(_("language"), max_length=8, default="en")
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="subscribers"
    )
    states: models.ManyToManyField[State, Any] = models.ManyToManyField(
        State, verbose_name=_("States"), blank=True, related_name="subscribers"
    )
    meetings: models.ManyToManyField[Meeting, Any] = models.ManyToManyField(
        Meeting, verbose_name=_("meetings"), blank=True, related_name="subscribers"
    )
    confirmed_at = models.DateTimeField(_("confirmed"))
    last_digest_at = models.DateTimeField(_("last digest covered up to"), null=True, blank=True)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="subscriber_frequency_valid"
            ),
        ]

    def __str__(self) -> str:
        # Never the address: this is what the admin and logs show.
        return _("Subscriber %(pk)s") % {"pk": self.pk}


class SignUp(models.Model):
    """A sign-up waiting for its confirmation: what the address asked to follow.

    One per sign-up (an address may have several waiting, each with its own link); confirming
    one merges it into the address's `Subscriber` and deletes it. Never sent a digest.
    """

    email = models.EmailField(_("e-mail address"), db_index=True)
    frequency = models.CharField(_("frequency"), max_length=8, choices=Frequency.choices)
    language = models.CharField(_("language"), max_length=8, default="en")
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="+")
    states: models.ManyToManyField[State, Any] = models.ManyToManyField(
        State, verbose_name=_("States"), blank=True, related_name="+"
    )
    meetings: models.ManyToManyField[Meeting, Any] = models.ManyToManyField(
        Meeting, verbose_name=_("meetings"), blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("unconfirmed sign-up")
        verbose_name_plural = _("unconfirmed sign-ups")
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="signup_frequency_valid"
            ),
        ]

    def __str__(self) -> str:
        return _("Sign-up %(pk)s") % {"pk": self.pk}
