"""Two people editing the same report or recommendation: the second save, on a stale copy, is
refused with a message showing what changed; nothing is silently overwritten."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from recommendations.models import Recommendation
from reporting import services
from reporting.models import ImplementationReport
from tests.factories import (
    DraftReportFactory,
    ImplementationReportFactory,
    RecommendationFactory,
    SecretariatUserFactory,
)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def admin_form_data(response) -> dict:
    """What the admin change page would post back unchanged: its form and inline forms."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(item) for item in value]
        else:
            data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
    return data


@pytest.fixture
def two_staff(db):
    return SecretariatUserFactory(username="anna", email="anna@unodc.example"), (
        SecretariatUserFactory(username="ben", email="ben@unodc.example")
    )


def test_the_second_admin_save_of_a_recommendation_is_refused_with_what_changed(two_staff):
    anna, ben = (signed_in(user) for user in two_staff)
    recommendation = RecommendationFactory(text="States parties should share data.")
    url = reverse("admin:recommendations_recommendation_change", args=[recommendation.pk])
    annas_copy, bens_copy = admin_form_data(anna.get(url)), admin_form_data(ben.get(url))

    saved = anna.post(url, {**annas_copy, "text": "States parties should share data quickly."})
    assert saved.status_code == 302
    refused = ben.post(url, {**bens_copy, "section": "B"})

    assert refused.status_code == 200
    errors = refused.context["adminform"].form.non_field_errors()
    assert errors[0].startswith("Someone else saved this record after you opened it")
    assert "Changed by anna@unodc.example" in errors[1]
    assert (
        "Text: “States parties should share data.” → “States parties should share data "
        "quickly.”" in errors
    )
    recommendation.refresh_from_db()
    assert (recommendation.text, recommendation.section, recommendation.version) == (
        "States parties should share data quickly.",
        "",
        2,
    )


def test_the_second_admin_save_of_a_report_is_refused(two_staff):
    anna, ben = (signed_in(user) for user in two_staff)
    report = DraftReportFactory(
        source="questionnaire", status="in_progress", description="First words."
    )
    url = reverse("admin:reporting_implementationreport_change", args=[report.pk])
    annas_copy, bens_copy = admin_form_data(anna.get(url)), admin_form_data(ben.get(url))

    assert anna.post(url, {**annas_copy, "status": "implemented"}).status_code == 302
    refused = ben.post(url, {**bens_copy, "description": "Other words."})

    assert refused.status_code == 200
    errors = refused.context["adminform"].form.non_field_errors()
    assert "Status: “In progress” → “Implemented”" in errors
    report.refresh_from_db()
    assert (report.status, report.description, report.version) == ("implemented", "First words.", 2)


def test_the_second_save_of_a_draft_on_the_reporting_pages_is_refused(
    focal_point, staff, state, recommendation
):
    report = services.implementation_report_create(
        by=focal_point,
        state=state,
        recommendation=recommendation,
        status="in_progress",
        as_of="2024-01-01",
    )
    url = reverse("reporting:report_edit", args=[report.pk])
    focal, secretariat = signed_in(focal_point), signed_in(staff)
    opened_version = focal.get(url).context["form"]["version"].value()

    secretariat.post(
        url,
        {
            "version": report.version,
            "status": "in_progress",
            "as_of": "2024-01-01",
            "description": "Corrected by the Secretariat.",
            "source": "focal_point",
        },
    )
    refused = focal.post(
        url,
        {"version": opened_version, "status": "implemented", "as_of": "2024-01-01"},
    )

    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Someone else saved this record after you opened it" in page
    assert "Corrected by the Secretariat." in page
    report.refresh_from_db()
    assert (report.status, report.description) == ("in_progress", "Corrected by the Secretariat.")


def test_an_action_on_a_stale_page_is_refused(client, focal_point, staff, state, recommendation):
    report = DraftReportFactory(state=state, recommendation=recommendation)
    services.implementation_report_update(
        report=report, by=staff, version=1, description="Changed meanwhile."
    )
    client.force_login(focal_point)
    response = client.post(
        reverse("reporting:report_submit", args=[report.pk]), {"version": 1}, follow=True
    )
    assert "Someone else saved this record" in response.content.decode()
    report.refresh_from_db()
    assert report.review_state == ImplementationReport.ReviewState.DRAFT


def test_a_validated_report_is_read_only_in_the_admin_with_a_correction_link(client, staff):
    report = ImplementationReportFactory()
    client.force_login(staff)
    url = reverse("admin:reporting_implementationreport_change", args=[report.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    correction = f"/admin/reporting/implementationreport/add/?supersedes={report.pk}"
    assert correction in page.content.decode()
    prefilled = client.get(correction).context["adminform"].form.initial
    assert (prefilled["state"], prefilled["status"]) == (report.state_id, report.status)
    assert client.post(url, {"status": "not_implemented"}).status_code == 403


def test_staff_validate_submitted_reports_from_the_admin_list(client, staff, focal_point, state):
    report = services.implementation_report_submit(
        report=DraftReportFactory(state=state), by=focal_point
    )
    client.force_login(staff)
    client.post(
        reverse("admin:reporting_implementationreport_changelist"),
        {"action": "validate_selected", "_selected_action": [report.pk]},
    )
    report.refresh_from_db()
    assert report.review_state == ImplementationReport.ReviewState.VALIDATED
    assert report.validated_by == staff


def test_the_recommendation_version_is_shown_and_counts_saves(client, staff):
    recommendation = RecommendationFactory()
    client.force_login(staff)
    url = reverse("admin:recommendations_recommendation_change", args=[recommendation.pk])
    client.post(url, admin_form_data(client.get(url)))
    client.post(url, admin_form_data(client.get(url)))
    assert Recommendation.objects.get(pk=recommendation.pk).version == 3
