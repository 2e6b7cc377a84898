"""A password reset answers the same for a known and an unknown address and sends nothing in
the request: the link is written to the outbox, for the known address only."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from outbox.models import Message
from tests.celery_workers import celery_app_on
from tests.factories import UserFactory
from tests.outbox.helpers import deliver_outbox

pytestmark = pytest.mark.django_db


def test_a_reset_sends_no_mail_in_the_request_and_answers_alike_whether_the_address_exists(
    anonymous, django_capture_on_commit_callbacks
):
    UserFactory(username="known", email="known@example.org")

    # A broker that only stores what is published: nothing runs in the request's process.
    with celery_app_on("memory://"), django_capture_on_commit_callbacks(execute=True):
        known = anonymous.post(reverse("password_reset"), {"email": "known@example.org"})
        assert mail.outbox == []
        unknown = anonymous.post(reverse("password_reset"), {"email": "nobody@example.org"})
        assert mail.outbox == []

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert mail.outbox == []
    [row] = Message.objects.all()
    assert row.to == ["known@example.org"] and row.status == "queued"
    [sent] = deliver_outbox()
    assert "/accounts/password/reset/" in sent.body
