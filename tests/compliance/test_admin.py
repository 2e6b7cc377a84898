"""The admin's snapshot and reminder lists: read-only, constant queries at any size."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from compliance.models import ReminderLog
from compliance.services import compliance_snapshot_compute
from meetings.models import Meeting
from tests.factories import ImplementationReportFactory, StateFactory

pytestmark = pytest.mark.usefixtures("wgsom")


def grow(n: int) -> None:
    """n more snapshots and n more reminders, each for a new State party."""
    meeting = Meeting.objects.get(ordinal=7)
    for index in range(n):
        state = StateFactory(protocol_status="party")
        ImplementationReportFactory(state=state, recommendation=meeting.recommendations.first())
        compliance_snapshot_compute()
        ReminderLog.objects.create(
            state=state,
            iso_year=2024,
            iso_week=1 + index % 52,
            meeting=meeting,
            missing_recommendations=3,
            sent_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC),
        )


@pytest.mark.parametrize(
    ("name", "queries"),
    [
        # session, user, the page's count, the full count, the rows (with their figure
        # counts annotated), the date hierarchy's first and last dates and its days
        ("compliance_compliancesnapshot", 7),
        # the same, plus the choices of the meeting and ISO year filters
        ("compliance_reminderlog", 9),
    ],
)
def test_admin_lists_cost_the_same_queries_however_many_rows(
    superuser_client, django_assert_num_queries, name, queries
):
    url = reverse(f"admin:{name}_changelist")
    grow(2)
    with django_assert_num_queries(queries):
        assert superuser_client.get(url).status_code == 200
    grow(10)
    with django_assert_num_queries(queries):
        assert superuser_client.get(url).status_code == 200


def test_snapshots_cannot_be_added_or_edited_in_the_admin(superuser_client):
    snapshot = compliance_snapshot_compute(force=True).snapshot

    assert (
        superuser_client.get(reverse("admin:compliance_compliancesnapshot_add")).status_code == 403
    )
    page = superuser_client.get(
        reverse("admin:compliance_compliancesnapshot_change", args=[snapshot.pk])
    )
    assert page.status_code == 200
    assert "Save" not in page.content.decode().split("submit-row")[-1][:400]
