"""A report's whole life through the pages: draft, submitted, returned, resubmitted, validated.

At each step: what the public sees (the public State page, the public selectors) and that the
history holds every step.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from reporting.models import ImplementationReport
from reporting.selectors import (
    recommendations_with_state_status,
    reports_visible_to,
    status_history,
)

ReviewState = ImplementationReport.ReviewState
MEASURES = "Act No. 4711 criminalizes the smuggling of migrants"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def public_sees(state, recommendation) -> dict:
    """What an anonymous visitor is shown about `state` on `recommendation`."""
    page = Client().get(reverse("states:detail", kwargs={"code": state.code}))
    assert page.status_code == 200
    status = recommendations_with_state_status(state=state).get(pk=recommendation.pk)
    return {
        "on_state_page": MEASURES in page.content.decode(),
        "status": status.current_status,
        "history": [r.status for r in status_history(state=state)],
        "readable": reports_visible_to(AnonymousUser()).filter(state=state).count(),
    }


NOTHING_PUBLIC = {"on_state_page": False, "status": None, "history": [], "readable": 0}


@pytest.mark.usefixtures("private_media")
def test_a_report_from_draft_to_validated_is_public_only_at_the_end(
    focal_point, staff, state, recommendation, pdf, django_capture_on_commit_callbacks
):
    focal = signed_in(focal_point)
    secretariat = signed_in(staff)

    # 1. The focal point writes a draft, with a file.
    response = focal.post(
        reverse("reporting:report_new"),
        {
            "state": state.code,
            "recommendation": recommendation.pk,
            "status": "partially_implemented",
            "as_of": "2024-02-01",
            "description": MEASURES,
            "attachments": [pdf],
        },
    )
    assert response.status_code == 302, response.content
    report = ImplementationReport.objects.get(state=state)
    assert report.review_state == ReviewState.DRAFT
    assert report.attachments.count() == 1
    assert public_sees(state, recommendation) == NOTHING_PUBLIC

    # 2. ... and submits it.
    with django_capture_on_commit_callbacks(execute=True):
        response = focal.post(
            reverse("reporting:report_submit", args=[report.pk]), {"version": report.version}
        )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.review_state == ReviewState.SUBMITTED
    assert public_sees(state, recommendation) == NOTHING_PUBLIC
    assert report in secretariat.get(reverse("reporting:review_queue")).context["reports"]

    # 3. The Secretariat returns it with a comment.
    with django_capture_on_commit_callbacks(execute=True):
        secretariat.post(
            reverse("reporting:report_return", args=[report.pk]),
            {"version": report.version, "comment": "Please cite the date of the law."},
        )
    report.refresh_from_db()
    assert report.review_state == ReviewState.RETURNED
    assert (
        "Please cite the date of the law."
        in focal.get(reverse("reporting:report_edit", args=[report.pk])).content.decode()
    )
    assert public_sees(state, recommendation) == NOTHING_PUBLIC

    # 4. The focal point changes it and submits it again, in one go.
    response = focal.post(
        reverse("reporting:report_edit", args=[report.pk]),
        {
            "version": report.version,
            "status": "implemented",
            "as_of": "2024-03-01",
            "description": MEASURES + " (adopted 1 March 2024).",
            "submit": "1",
        },
    )
    assert response.status_code == 302, response.content
    report.refresh_from_db()
    assert (report.review_state, report.status) == (ReviewState.SUBMITTED, "implemented")
    assert public_sees(state, recommendation) == NOTHING_PUBLIC

    # 5. The Secretariat validates it: now, and only now, the public sees it.
    with django_capture_on_commit_callbacks(execute=True):
        secretariat.post(
            reverse("reporting:report_validate", args=[report.pk]), {"version": report.version}
        )
    report.refresh_from_db()
    assert report.review_state == ReviewState.VALIDATED
    assert public_sees(state, recommendation) == {
        "on_state_page": True,
        "status": "implemented",
        "history": ["implemented"],
        "readable": 1,
    }

    # The history holds every step, each with who took it.
    steps = [
        (step.review_state, step.history_user, step.history_change_reason)
        for step in report.history.order_by("history_id")
    ]
    assert steps == [
        (ReviewState.DRAFT, focal_point, "created"),
        (ReviewState.SUBMITTED, focal_point, "submitted for validation"),
        (ReviewState.RETURNED, staff, "returned for changes"),
        (ReviewState.RETURNED, focal_point, "edited"),
        (ReviewState.SUBMITTED, focal_point, "submitted for validation"),
        (ReviewState.VALIDATED, staff, "validated"),
    ]
    # ... and the report's page shows them to the State and the Secretariat.
    page = focal.get(reverse("reporting:report_detail", args=[report.pk])).content.decode()
    assert "returned for changes" in page and "staff@unodc.example" in page
