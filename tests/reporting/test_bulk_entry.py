"""Bulk entry: one recommendation across many States in one form, all recorded or none."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from reporting import services
from reporting.models import ImplementationReport
from tests.factories import StateFactory


def bulk_post(recommendation, lines: list[tuple[str, str, str]], **common) -> dict:
    data = {
        "recommendation": recommendation.pk,
        "as_of": "2024-04-01",
        "source": "questionnaire",
        "rows-TOTAL_FORMS": str(len(lines) + 2),  # two blank lines, which are ignored
        "rows-INITIAL_FORMS": "0",
        **common,
    }
    for index, (code, status, description) in enumerate(lines):
        data[f"rows-{index}-state"] = code
        data[f"rows-{index}-status"] = status
        data[f"rows-{index}-description"] = description
    return data


def test_staff_record_one_recommendation_for_many_states_in_one_form(client, staff, recommendation):
    states = StateFactory.create_batch(3)
    client.force_login(staff)
    response = client.post(
        reverse("reporting:bulk_entry"),
        bulk_post(
            recommendation,
            [(s.code, "implemented", f"Measures of {s.name}") for s in states],
            validate="on",
        ),
    )
    assert response.status_code == 302, response.content
    reports = ImplementationReport.objects.filter(recommendation=recommendation)
    assert sorted(r.state.code for r in reports) == sorted(s.code for s in states)
    assert {(r.review_state, r.source, r.submitted_by) for r in reports} == {
        ("validated", "questionnaire", staff)
    }


def test_one_bad_line_records_nothing_and_says_which_line(client, staff, recommendation):
    states = StateFactory.create_batch(2)
    client.force_login(staff)
    response = client.post(
        reverse("reporting:bulk_entry"),
        bulk_post(
            recommendation,
            [(states[0].code, "implemented", ""), (states[0].code, "in_progress", "")],
        ),
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        f"Line 2 ({states[0].name}): this State is listed twice."
    ]
    assert not ImplementationReport.objects.filter(recommendation=recommendation).exists()


def test_a_national_statement_in_bulk_needs_its_meeting(staff, recommendation):
    states = StateFactory.create_batch(2)
    with pytest.raises(ValidationError) as refused:
        services.implementation_reports_bulk_create(
            by=staff,
            recommendation=recommendation,
            as_of="2024-04-01",
            source="national_statement",
            entries=[services.BulkEntry(state=s, status="implemented") for s in states],
        )
    assert refused.value.message_dict["entries"] == [
        f"Line {n} ({s.name}): source_meeting: Name the meeting at which the national "
        "statement was made."
        for n, s in enumerate(states, start=1)
    ]
    assert not ImplementationReport.objects.filter(recommendation=recommendation).exists()


def test_a_line_with_a_state_but_no_status_is_refused_in_the_form(client, staff, recommendation):
    state = StateFactory()
    client.force_login(staff)
    response = client.post(
        reverse("reporting:bulk_entry"), bulk_post(recommendation, [(state.code, "", "")])
    )
    assert response.context["formset"].errors[0] == {"status": ["Give this State's status."]}
    assert not ImplementationReport.objects.filter(recommendation=recommendation).exists()


def test_focal_points_cannot_enter_in_bulk(focal_point, state, recommendation):
    with pytest.raises(PermissionDenied):
        services.implementation_reports_bulk_create(
            by=focal_point,
            recommendation=recommendation,
            as_of="2024-04-01",
            source="questionnaire",
            entries=[services.BulkEntry(state=state, status="implemented")],
        )
