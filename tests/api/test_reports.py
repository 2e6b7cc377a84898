"""Writing implementation reports through the API: who may do what, and the workflow's rules.

The rules are the reporting services' (recommendations/services.py); these tests check that
the API reaches them for every role and answers their refusals as JSON errors.
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from reporting.models import ImplementationReport
from tests.api.conftest import token_client
from tests.factories import ImplementationReportFactory, RecommendationFactory, UserFactory

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/implementation-reports/"

ROLES = ["anonymous", "focal_point", "other_focal_point", "staff"]


@pytest.fixture
def clients(focal_point, other_focal_point, staff):
    return {
        "anonymous": APIClient(),
        "focal_point": token_client(focal_point),
        "other_focal_point": token_client(other_focal_point),
        "staff": token_client(staff),
    }


def _report(state, review_state: str, **kwargs) -> ImplementationReport:
    return ImplementationReportFactory(
        state=state,
        review_state=review_state,
        validated_at=None if review_state != "validated" else kwargs.pop("validated_at", None),
        source="focal_point",
        **kwargs,
    )


def _to_implemented(report: ImplementationReport) -> dict:
    return {"version": report.version, "status": "implemented"}


def _create(client, state, recommendation):
    return client.post(
        REPORTS,
        {
            "state": state.code,
            "recommendation": recommendation.pk,
            "status": "in_progress",
            "as_of": "2024-05-01",
            "description": "A national action plan is being drafted.",
            "source": "questionnaire",
        },
        format="json",
    )


def _update(client, state, recommendation):
    report = _report(state, "draft", recommendation=recommendation)
    return client.patch(
        f"{REPORTS}{report.pk}/",
        {"version": report.version, "status": "implemented"},
        format="json",
    )


def _submit(client, state, recommendation):
    report = _report(state, "draft", recommendation=recommendation)
    return client.post(f"{REPORTS}{report.pk}/submit/", {}, format="json")


def _validate(client, state, recommendation):
    report = _report(state, "submitted", recommendation=recommendation)
    return client.post(f"{REPORTS}{report.pk}/validate/", {}, format="json")


def _return(client, state, recommendation):
    report = _report(state, "submitted", recommendation=recommendation)
    return client.post(
        f"{REPORTS}{report.pk}/return/", {"comment": "Please give the law's date."}, format="json"
    )


OPERATIONS = {
    "create": _create,
    "update": _update,
    "submit": _submit,
    "validate": _validate,
    "return": _return,
}

# The State's focal point writes and submits, only staff review; another State's focal point
# cannot even see the State's unpublished reports (404), nor write for it (403); anonymous
# clients are asked for credentials (401).
EXPECTED = {
    "create": {"anonymous": 401, "focal_point": 201, "other_focal_point": 403, "staff": 201},
    "update": {"anonymous": 401, "focal_point": 200, "other_focal_point": 404, "staff": 200},
    "submit": {"anonymous": 401, "focal_point": 200, "other_focal_point": 404, "staff": 200},
    "validate": {"anonymous": 401, "focal_point": 403, "other_focal_point": 404, "staff": 200},
    "return": {"anonymous": 401, "focal_point": 403, "other_focal_point": 404, "staff": 200},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_permission_matrix_of_every_role_against_every_write(clients, state, operation, role):
    recommendation = RecommendationFactory()

    response = OPERATIONS[operation](clients[role], state, recommendation)

    assert response.status_code == EXPECTED[operation][role], response.content
    assert response["Content-Type"].startswith("application/json")
    if response.status_code >= 400:
        assert response.json()["code"]


def test_a_focal_point_cannot_change_a_validated_report_of_its_own_state(clients, state):
    report = _report(state, "validated", validated_at="2024-01-01T00:00:00Z")

    response = clients["focal_point"].patch(
        f"{REPORTS}{report.pk}/",
        {"version": report.version, "status": "implemented"},
        format="json",
    )

    assert response.status_code == 403
    assert "correction" in response.json()["detail"]


def test_another_states_focal_point_cannot_change_a_published_report(clients, state):
    report = _report(state, "validated", validated_at="2024-01-01T00:00:00Z")

    response = clients["other_focal_point"].patch(
        f"{REPORTS}{report.pk}/",
        {"version": report.version, "status": "implemented"},
        format="json",
    )

    assert response.status_code == 403


def test_a_focal_points_report_is_a_draft_from_the_focal_point_whatever_it_sends(
    clients, state, focal_point
):
    response = _create(clients["focal_point"], state, RecommendationFactory())

    body = response.json()
    assert (body["review_state"], body["source"], body["state"]) == (
        "draft",
        "focal_point",
        state.code,
    )
    assert ImplementationReport.objects.get(pk=body["id"]).submitted_by == focal_point


def test_the_whole_workflow_through_the_api_publishes_the_report(clients, state):
    recommendation = RecommendationFactory()
    created = _create(clients["focal_point"], state, recommendation).json()
    address = f"{REPORTS}{created['id']}/"

    submitted = clients["focal_point"].post(f"{address}submit/", {}, format="json").json()
    returned = (
        clients["staff"].post(f"{address}return/", {"comment": "Which law?"}, format="json").json()
    )
    edited = (
        clients["focal_point"]
        .patch(
            address, {"version": returned["version"], "description": "Law 12/2024."}, format="json"
        )
        .json()
    )
    clients["focal_point"].post(f"{address}submit/", {}, format="json")
    validated = clients["staff"].post(f"{address}validate/", {}, format="json").json()

    assert submitted["review_state"] == "submitted"
    assert (returned["review_state"], returned["review_comment"]) == ("returned", "Which law?")
    assert edited["description"] == "Law 12/2024."
    assert validated["review_state"] == "validated"
    status = APIClient().get(f"/api/v1/states/{state.code}/status/", {"status": "in_progress"})
    assert [row["recommendation"] for row in status.json()["results"]] == [recommendation.pk]


def test_staff_record_a_validated_report_at_once_and_it_supersedes_the_current_one(clients, state):
    recommendation = RecommendationFactory()
    earlier = ImplementationReportFactory(state=state, recommendation=recommendation)

    response = clients["staff"].post(
        REPORTS,
        {
            "state": state.code,
            "recommendation": recommendation.pk,
            "status": "implemented",
            "as_of": "2024-06-01",
            "source": "questionnaire",
            "validate": True,
        },
        format="json",
    )

    body = response.json()
    assert response.status_code == 201, body
    assert (body["review_state"], body["supersedes"]) == ("validated", earlier.pk)


def test_a_focal_point_cannot_validate_its_own_report_on_creation(clients, state):
    response = clients["focal_point"].post(
        REPORTS,
        {
            "state": state.code,
            "recommendation": RecommendationFactory().pk,
            "status": "implemented",
            "as_of": "2024-06-01",
            "validate": True,
        },
        format="json",
    )

    assert response.status_code == 403


def test_bad_fields_are_a_400_naming_each_field_and_nothing_is_written(clients, state):
    before = ImplementationReport.objects.count()

    response = clients["focal_point"].post(
        REPORTS,
        {"state": "ZZZ", "recommendation": 0, "status": "finished", "as_of": "someday"},
        format="json",
    )

    body = response.json()
    assert response.status_code == 400
    assert set(body["errors"]) == {"state", "recommendation", "status", "as_of"}
    assert ImplementationReport.objects.count() == before


def test_a_rule_of_the_service_comes_back_as_a_400_naming_the_field(clients, state):
    proposal = RecommendationFactory(status="proposed", proposer=state)

    response = _create(clients["focal_point"], state, proposal)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["recommendation"]


def test_a_date_in_the_future_is_refused_by_the_models_rule(clients, state):
    response = clients["focal_point"].post(
        REPORTS,
        {
            "state": state.code,
            "recommendation": RecommendationFactory().pk,
            "status": "implemented",
            "as_of": "2999-01-01",
        },
        format="json",
    )

    assert response.status_code == 400
    assert "as_of" in response.json()["errors"]


def test_a_change_needs_the_version_it_was_based_on(clients, state):
    report = _report(state, "draft")

    response = clients["focal_point"].patch(
        f"{REPORTS}{report.pk}/", {"status": "implemented"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["version"]


def test_a_change_based_on_an_old_version_is_refused_and_says_what_changed(clients, state):
    report = _report(state, "draft")
    address = f"{REPORTS}{report.pk}/"
    first = clients["staff"].patch(
        address, {"version": report.version, "description": "By staff."}, format="json"
    )
    assert first.status_code == 200, first.content

    late = clients["focal_point"].patch(
        address, {"version": report.version, "description": "Mine."}, format="json"
    )

    assert late.status_code == 400
    assert list(late.json()["errors"]) == ["version"]
    report.refresh_from_db()
    assert report.description == "By staff."


def test_returning_a_report_needs_a_comment(clients, state):
    report = _report(state, "submitted")

    response = clients["staff"].post(f"{REPORTS}{report.pk}/return/", {}, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["comment"]


def test_a_focal_point_lists_its_own_states_drafts_but_no_one_elses(clients, state, other_state):
    own = _report(state, "draft")
    others = _report(other_state, "draft")

    ids = [row["id"] for row in clients["focal_point"].get(REPORTS).json()["results"]]

    assert own.pk in ids
    assert others.pk not in ids


def test_a_session_write_needs_the_csrf_token(state, focal_point):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(focal_point)

    response = _create(client, state, RecommendationFactory())

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_listing_reports_costs_the_same_queries_for_staff_whatever_their_number(
    clients, state, django_assert_num_queries
):
    for _ in range(3):
        _report(state, "draft")
    # token with its user, the token's first use noted, the user's Secretariat group, newest
    # change, count, page with States and meetings
    with django_assert_num_queries(6):
        clients["staff"].get(REPORTS)
    for _ in range(20):
        _report(state, "submitted")
    # the same, but the use is not noted again within a minute
    with django_assert_num_queries(5):
        response = clients["staff"].get(REPORTS, {"page_size": 100})
    assert response.json()["count"] >= 23


def test_a_reader_without_a_role_is_refused_before_the_service(db):
    response = token_client(UserFactory()).post(REPORTS, {}, format="json")

    assert response.status_code == 403
