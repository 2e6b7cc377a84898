"""What the implementation-report API keeps to the State and the Secretariat.

- The Secretariat's return comment is addressed to the State: its focal points and the
  Secretariat read it; every other reader gets null, before and after validation, in JSON and
  in CSV.
- Another State's unpublished report (draft, submitted, returned) is indistinguishable from an
  id that does not exist: same status, same body, for reads, changes and the workflow's
  actions, and as the report a correction `supersedes`.
"""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db.models import Max
from rest_framework.test import APIClient

from reporting import services
from reporting.models import ImplementationReport
from tests.api.conftest import token_client
from tests.factories import ImplementationReportFactory, RecommendationFactory

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/implementation-reports/"
COMMENT = "Please give the date the law entered into force."

# Who reads, and whether the return comment is theirs to read (the report is state_a's).
READERS = {
    "anonymous": False,
    "focal_point_a": True,
    "focal_point_b": False,
    "reader": False,
    "secretariat": True,
    "superuser": True,
}
UNPUBLISHED = ["draft", "submitted", "returned"]


@pytest.fixture
def clients(focal_point_a, focal_point_b, reader, secretariat, superuser):
    return {
        "anonymous": APIClient(),
        "focal_point_a": token_client(focal_point_a),
        "focal_point_b": token_client(focal_point_b),
        "reader": token_client(reader),
        "secretariat": token_client(secretariat),
        "superuser": token_client(superuser),
    }


def _report(state, review_state: str, **fields) -> ImplementationReport:
    return ImplementationReportFactory(
        state=state,
        review_state=review_state,
        validated_at=None,
        source="focal_point",
        **fields,
    )


@pytest.fixture
def published_after_return(state_a, focal_point_a, secretariat) -> ImplementationReport:
    """A report the Secretariat returned with a comment, then published once corrected: the
    comment stays on the published report."""
    report = services.implementation_report_create(
        by=focal_point_a,
        state=state_a,
        recommendation=RecommendationFactory(),
        status="in_progress",
        as_of=datetime.date(2024, 5, 1),
        submit=True,
    )
    report = services.implementation_report_return(report=report, by=secretariat, comment=COMMENT)
    report = services.implementation_report_submit(report=report, by=focal_point_a)
    return services.implementation_report_validate(report=report, by=secretariat)


def _missing_id() -> int:
    return (ImplementationReport.objects.aggregate(top=Max("pk"))["top"] or 0) + 1000


# The return comment -------------------------------------------------------------------------


@pytest.mark.parametrize("who", list(READERS))
def test_the_return_comment_of_a_published_report_is_shown_only_to_its_state_and_the_secretariat(
    clients, published_after_return, who
):
    report = published_after_return

    body = clients[who].get(f"{REPORTS}{report.pk}/").json()

    assert body["review_state"] == "validated"
    assert body["review_comment"] == (COMMENT if READERS[who] else None)


@pytest.mark.parametrize("who", list(READERS))
def test_the_list_shows_the_return_comment_only_to_the_state_and_the_secretariat(
    clients, published_after_return, who
):
    report = published_after_return

    rows = clients[who].get(REPORTS).json()["results"]

    row = next(row for row in rows if row["id"] == report.pk)
    assert row["review_comment"] == (COMMENT if READERS[who] else None)


@pytest.mark.parametrize("who", list(READERS))
def test_the_csv_export_shows_the_return_comment_only_to_the_state_and_the_secretariat(
    clients, published_after_return, who
):
    report = published_after_return

    response = clients[who].get(REPORTS, {"format": "csv"})

    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    row = next(row for row in rows if row["id"] == str(report.pk))
    assert row["review_comment"] == (COMMENT if READERS[who] else "")


@pytest.mark.parametrize("who", [who for who, allowed in READERS.items() if allowed])
def test_a_returned_report_shows_its_state_and_the_secretariat_the_comment(clients, state_a, who):
    report = _report(state_a, "returned", review_comment=COMMENT)

    body = clients[who].get(f"{REPORTS}{report.pk}/").json()

    assert body["review_comment"] == COMMENT


@pytest.mark.parametrize("who", [who for who, allowed in READERS.items() if not allowed])
def test_no_one_else_can_read_a_returned_report_let_alone_its_comment(clients, state_a, who):
    report = _report(state_a, "returned", review_comment=COMMENT)

    response = clients[who].get(f"{REPORTS}{report.pk}/")

    assert response.status_code == 404
    assert COMMENT not in response.content.decode()


def test_a_report_never_returned_has_an_empty_comment_for_its_state(clients, state_a):
    # "" (no comment) is not null (not yours to read).
    report = _report(state_a, "draft")

    body = clients["focal_point_a"].get(f"{REPORTS}{report.pk}/").json()

    assert body["review_comment"] == ""


def test_the_schema_documents_the_comment_as_nullable_and_says_who_reads_it(api):
    schema = api.get("/api/v1/schema/", {"format": "json"}).json()

    field = schema["components"]["schemas"]["ImplementationReport"]["properties"]["review_comment"]
    assert field["type"] == ["string", "null"]
    assert "Secretariat" in field["description"]
    assert "null" in field["description"]


# Another State's unpublished reports answer as missing ones --------------------------------

REQUESTS = {
    "read": lambda client, pk: client.get(f"{REPORTS}{pk}/"),
    "change": lambda client, pk: client.patch(
        f"{REPORTS}{pk}/", {"version": 1, "status": "implemented"}, format="json"
    ),
    "submit": lambda client, pk: client.post(f"{REPORTS}{pk}/submit/", {}, format="json"),
    "validate": lambda client, pk: client.post(f"{REPORTS}{pk}/validate/", {}, format="json"),
    "return": lambda client, pk: client.post(
        f"{REPORTS}{pk}/return/", {"comment": "Why?"}, format="json"
    ),
}


@pytest.mark.parametrize("request_name", list(REQUESTS))
@pytest.mark.parametrize("review_state", UNPUBLISHED)
def test_another_states_unpublished_report_answers_byte_for_byte_as_a_missing_one(
    clients, state_a, review_state, request_name
):
    hidden = _report(state_a, review_state, review_comment=COMMENT)
    send = REQUESTS[request_name]

    for_hidden = send(clients["focal_point_b"], hidden.pk)
    for_missing = send(clients["focal_point_b"], _missing_id())

    assert for_hidden.status_code == for_missing.status_code == 404
    assert for_hidden.content == for_missing.content
    hidden.refresh_from_db()
    assert hidden.review_state == review_state  # and nothing was done


@pytest.mark.parametrize("who", ["anonymous", "reader"])
@pytest.mark.parametrize("request_name", list(REQUESTS))
@pytest.mark.parametrize("review_state", UNPUBLISHED)
def test_readers_without_a_state_cannot_tell_an_unpublished_report_from_a_missing_one(
    clients, state_a, review_state, request_name, who
):
    hidden = _report(state_a, review_state)
    send = REQUESTS[request_name]

    for_hidden = send(clients[who], hidden.pk)
    for_missing = send(clients[who], _missing_id())

    assert (for_hidden.status_code, for_hidden.content) == (
        for_missing.status_code,
        for_missing.content,
    )


def _correction(client, state, supersedes: int):
    return client.post(
        REPORTS,
        {
            "state": state.code,
            "recommendation": RecommendationFactory().pk,
            "status": "implemented",
            "as_of": "2024-06-01",
            "source": "questionnaire",  # required from staff, ignored from a focal point
            "supersedes": supersedes,
        },
        format="json",
    )


@pytest.mark.parametrize("review_state", UNPUBLISHED)
def test_superseding_another_states_unpublished_report_is_refused_as_a_missing_id(
    clients, state_a, state_b, review_state
):
    hidden = _report(state_a, review_state)
    before = ImplementationReport.objects.count()

    for_hidden = _correction(clients["focal_point_b"], state_b, hidden.pk)
    for_missing = _correction(clients["focal_point_b"], state_b, _missing_id())

    assert for_hidden.status_code == for_missing.status_code == 400
    assert for_hidden.content == for_missing.content
    assert list(for_hidden.json()["errors"]) == ["supersedes"]
    assert ImplementationReport.objects.count() == before


def test_superseding_another_states_published_report_says_why_it_cannot(clients, state_a, state_b):
    # A published report is public: naming the real reason reveals nothing.
    published = ImplementationReportFactory(state=state_a)

    response = _correction(clients["focal_point_b"], state_b, published.pk)

    assert response.status_code == 400
    assert response.json()["errors"]["supersedes"] == [
        "A correction is for the same State and recommendation."
    ]


def test_the_secretariat_is_told_why_an_unpublished_report_cannot_be_superseded(clients, state_a):
    # Staff read every report, so the service's own reason reaches them.
    draft = _report(state_a, "draft")

    response = _correction(clients["secretariat"], state_a, draft.pk)

    assert response.status_code == 400
    assert response.json()["errors"]["supersedes"] == ["Only a validated report can be corrected."]
