"""Rules every write path obeys, because they live in the services, not in one form.

- Staff record what a State said through some channel; "focal point" is the source of a
  focal point's own report, so staff never give it, whether they type a report in, send it
  through the API or import it from a spreadsheet.
- Loading reference data (`load_wgsom`, `import_report --update`) is a change like an edit:
  it adds one to a recommendation's `version`, so a copy opened in the admin before the load
  is refused as stale instead of silently putting the old text back.
"""

from __future__ import annotations

from typing import Any

import pytest
import tablib
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from core.reference_data import LoadStats, upsert_reference
from core.services import StaleVersion
from meetings.models import Meeting
from recommendations import services as recommendation_services
from recommendations.models import Recommendation, Theme
from reporting import services
from reporting.models import ImplementationReport
from tests.factories import DraftReportFactory, MeetingFactory, ThemeFactory

REPORTS = "/api/v1/implementation-reports/"
FOCAL_POINT = ImplementationReport.Source.FOCAL_POINT


# Staff never give "focal point" as a report's source --------------------------------------


def reports_of(state) -> list[ImplementationReport]:
    return list(ImplementationReport.objects.filter(state=state))


def test_staff_cannot_record_a_report_as_coming_from_a_focal_point(staff, state, recommendation):
    with pytest.raises(ValidationError) as refused:
        services.implementation_report_create(
            by=staff,
            state=state,
            recommendation=recommendation,
            status="in_progress",
            as_of="2024-05-01",
            source=FOCAL_POINT,
        )

    assert list(refused.value.message_dict) == ["source"]
    assert reports_of(state) == []


def test_staff_cannot_publish_a_report_as_coming_from_a_focal_point(staff, state, recommendation):
    with pytest.raises(ValidationError) as refused:
        services.implementation_report_create(
            by=staff,
            state=state,
            recommendation=recommendation,
            status="implemented",
            as_of="2024-05-01",
            source=FOCAL_POINT,
            validate=True,
        )

    assert list(refused.value.message_dict) == ["source"]
    assert reports_of(state) == []


def test_a_focal_points_report_always_comes_from_its_focal_point(
    focal_point, state, recommendation
):
    report = services.implementation_report_create(
        by=focal_point,
        state=state,
        recommendation=recommendation,
        status="in_progress",
        as_of="2024-05-01",
        source=ImplementationReport.Source.QUESTIONNAIRE,
    )

    assert report.source == FOCAL_POINT


def test_the_api_answers_staff_giving_a_focal_point_source_with_a_400_and_writes_nothing(
    staff, state, recommendation
):
    api = APIClient()
    api.force_authenticate(staff)

    response = api.post(
        REPORTS,
        {
            "state": state.code,
            "recommendation": recommendation.pk,
            "status": "in_progress",
            "as_of": "2024-05-01",
            "source": "focal_point",
        },
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["source"]
    assert reports_of(state) == []


def test_an_imported_row_giving_a_focal_point_source_is_refused_on_its_line(
    staff, state, recommendation
):
    dataset = tablib.Dataset(
        [
            state.code,
            recommendation.meeting.ordinal,
            recommendation.label,
            "implemented",
            "2024-01-10",
            "focal_point",
        ],
        headers=["state", "meeting", "recommendation", "status", "as_of", "source"],
    )

    outcome = services.implementation_reports_import(by=staff, dataset=dataset, dry_run=False)

    assert not outcome.imported
    assert len(outcome.errors) == 1
    assert outcome.errors[0].startswith("Line 2, column “source”: ")
    assert reports_of(state) == []


def test_staff_cannot_change_a_reports_source_to_focal_point(staff, state, recommendation):
    report = DraftReportFactory(
        state=state, recommendation=recommendation, source=ImplementationReport.Source.QUESTIONNAIRE
    )

    with pytest.raises(ValidationError) as refused:
        services.implementation_report_update(
            report=report, by=staff, version=report.version, source=FOCAL_POINT
        )

    assert list(refused.value.message_dict) == ["source"]
    report.refresh_from_db()
    assert (report.source, report.version) == (ImplementationReport.Source.QUESTIONNAIRE, 1)


def test_staff_may_still_edit_a_focal_points_own_report(staff, focal_point, state, recommendation):
    report = services.implementation_report_create(
        by=focal_point,
        state=state,
        recommendation=recommendation,
        status="in_progress",
        as_of="2024-05-01",
    )

    edited = services.implementation_report_update(
        report=report,
        by=staff,
        version=report.version,
        source=FOCAL_POINT,
        description="Corrected by the Secretariat.",
    )

    assert (edited.source, edited.description) == (FOCAL_POINT, "Corrected by the Secretariat.")


# Loading reference data makes an older copy stale ------------------------------------------


ORIGINAL = "States parties should share information on smuggling routes."
RELOADED = "States parties should share information on smuggling routes and methods."


def load_recommendation(
    meeting: Meeting, theme: Theme, *, text: str, overwrite_edits: bool = False
) -> tuple[Recommendation, LoadStats]:
    """Write recommendation 3 of `meeting` as the loaders do (ingest/loaders.py)."""
    stats = LoadStats()
    values: dict[str, Any] = {
        "text": text,
        "status": Recommendation.Status.ADOPTED,
        "order": 3,
        "addressee": Recommendation.Addressee.STATES_PARTIES,
        "strength": Recommendation.Strength.SHOULD,
        "themes": [theme],
    }
    recommendation = upsert_reference(
        Recommendation,
        lookup={"meeting": meeting, "label": "3"},
        values=values,
        stats=stats,
        overwrite_edits=overwrite_edits,
    )
    return recommendation, stats


@pytest.fixture
def meeting(db) -> Meeting:
    return MeetingFactory()


@pytest.fixture
def theme(db) -> Theme:
    return ThemeFactory()


def outcome_of(stats: LoadStats) -> str:
    ((_, outcome),) = stats.keys()
    return outcome


def test_a_reload_that_changes_a_recommendation_adds_one_to_its_version(meeting, theme):
    loaded, _ = load_recommendation(meeting, theme, text=ORIGINAL)
    opened_version = loaded.version

    reloaded, stats = load_recommendation(meeting, theme, text=RELOADED)

    assert outcome_of(stats) == "updated"
    reloaded.refresh_from_db()
    assert reloaded.text == RELOADED
    assert reloaded.version == opened_version + 1


def test_a_reload_of_the_same_data_leaves_the_version_alone(meeting, theme):
    loaded, _ = load_recommendation(meeting, theme, text=ORIGINAL)

    reloaded, stats = load_recommendation(meeting, theme, text=ORIGINAL)

    assert outcome_of(stats) == "unchanged"
    reloaded.refresh_from_db()
    assert reloaded.version == loaded.version


def test_an_admin_copy_opened_before_a_reload_is_refused_and_the_reload_kept(meeting, theme, staff):
    loaded, _ = load_recommendation(meeting, theme, text=ORIGINAL)
    # The admin opens the recommendation, and `load_wgsom` runs while the page is open.
    opened = Recommendation.objects.get(pk=loaded.pk)
    opened_version = opened.version
    load_recommendation(meeting, theme, text=RELOADED)

    opened.text = ORIGINAL + " (typo fixed)"
    with pytest.raises(StaleVersion):
        recommendation_services.recommendation_save(
            recommendation=opened, by=staff, version=opened_version
        )

    assert Recommendation.objects.get(pk=loaded.pk).text == RELOADED


def test_an_import_with_update_over_a_staff_edit_makes_the_edited_copy_stale(meeting, theme, staff):
    loaded, _ = load_recommendation(meeting, theme, text=ORIGINAL)
    edited = recommendation_services.recommendation_update(
        recommendation=loaded, by=staff, version=loaded.version, text=ORIGINAL + " Edited."
    )
    opened = Recommendation.objects.get(pk=loaded.pk)

    overwritten, stats = load_recommendation(meeting, theme, text=RELOADED, overwrite_edits=True)

    assert outcome_of(stats) == "overwritten"
    overwritten.refresh_from_db()
    assert (overwritten.text, overwritten.version) == (RELOADED, edited.version + 1)
    with pytest.raises(StaleVersion):
        recommendation_services.recommendation_save(
            recommendation=opened, by=staff, version=opened.version
        )
