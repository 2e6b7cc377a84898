"""Every e-mail the application sends, kept until the mail server has accepted it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Message(models.Model):
    """One e-mail, written in the transaction of the change it is about, so that it is sent
    if and only if that change committed, whether or not the broker was up at the time.

    Addresses and bodies (which may hold sign-in and unsubscribe links) are read by nobody:
    the admin shows the subject and the delivery state only.
    """

    from_email = models.CharField(max_length=254)
    to = models.JSONField(default=list)
    subject = models.TextField()
    body = models.TextField()
    headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the sweep may (re)try it: a minute after it was queued, so that the send queued on
    # commit goes first, then after each failure with an exponential back-off.
    next_attempt_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail message")
        verbose_name_plural = _("e-mail messages")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return self.subject
