"""The OpenAPI schema, its documentation pages, and a fuzzing of every operation against it.

Schemathesis reads the live schema from the WSGI application and sends each operation a
bounded number of generated requests (valid and invalid), anonymously and with a staff token:
no answer may be a server error or break the schema (status codes, content types, headers,
bodies).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from accounts.services import api_token_create
from tests.factories import StateFactory, SuperuserFactory, UserFactory
from wgsom.wsgi import application

# Bounded so the suite stays quick (about 30 s for the three runs on 2 cores); raise it with
# API_FUZZ_EXAMPLES=200 for a deeper search before a release.
EXAMPLES_PER_OPERATION = int(os.environ.get("API_FUZZ_EXAMPLES", "25"))

CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {"max-examples": EXAMPLES_PER_OPERATION},
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
        # Every check runs. A value the schema allows may still name nothing
        # (`?meeting=8192`, `?theme=xyz`: a 400 naming the parameter, or a 404 for an
        # address), and a write allowed by the schema may need other credentials (401, 403):
        # those answers are documented, and accepted as answers to valid data.
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2XX", "304", "400", "401", "403", "404"]
            }
        },
    }
)


@schemathesis.deserializer("text/csv")
def _csv_as_text(ctx, response):
    """A CSV export is described as a string whose pattern is its exact header row: read
    the body as that string, so the schema checks the columns of every CSV answer."""
    return response.content.decode("utf-8")


# Read once, when the tests are collected: drawing the schema needs no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application, config=CONFIG)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    # Schemathesis calls the WSGI application itself, not through Django's test client, so
    # Django would close the database connection after a request whenever CONN_MAX_AGE says
    # so or a query failed, and with it the test's transaction. The test client disconnects
    # these handlers the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    # Generated requests come fast: no throttle here (throttling has its own tests).
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None},
    }


@pytest.fixture
def staff_token(db):
    return api_token_create(user=SuperuserFactory(), name="Schema tests")[1]


@pytest.fixture
def focal_point_token(db):
    return api_token_create(user=UserFactory(state=StateFactory()), name="Schema tests")[1]


FUZZ = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    database=None,  # no .hypothesis/ folder left in the working tree
    # The fixtures (database, tokens) hold for every example of an operation on purpose.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@schema.parametrize()
@FUZZ
def test_every_operation_answers_within_its_schema_anonymously(case, wgsom):
    case.call_and_validate()


@schema.parametrize()
@FUZZ
def test_every_operation_answers_within_its_schema_with_a_staff_token(case, wgsom, staff_token):
    case.call_and_validate(headers={"Authorization": f"Token {staff_token}"})


@schema.parametrize()
@FUZZ
def test_every_operation_answers_within_its_schema_with_a_focal_points_token(
    case, wgsom, focal_point_token
):
    case.call_and_validate(headers={"Authorization": f"Token {focal_point_token}"})


# --- The schema documents every operation -------------------------------------------------


@pytest.fixture
def openapi(api):
    response = api.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def _operations(openapi):
    for path, item in openapi["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield f"{method.upper()} {path}", operation


def test_the_schema_lists_every_resource_of_the_api(openapi):
    prefixes = {path.split("/")[3] for path in openapi["paths"]}

    assert {
        "meetings",
        "agenda-items",
        "documents",
        "themes",
        "recommendations",
        "states",
        "regional-groups",
        "implementation-reports",
        "compliance",
    } <= prefixes
    assert "/api/v1/states/{code}/status/" in openapi["paths"]
    assert "/api/v1/recommendations/{id}/status/" in openapi["paths"]


def test_every_operation_has_a_summary_a_description_and_documented_errors(openapi):
    for name, operation in _operations(openapi):
        assert operation.get("summary"), name
        assert operation.get("description"), name
        assert {"400", "401", "404", "429"} <= set(operation["responses"]), name
        throttled = operation["responses"]["429"]
        assert "Retry-After" in throttled["headers"], name


def test_every_parameter_has_a_description_and_every_filter_an_example(openapi):
    for name, operation in _operations(openapi):
        for parameter in operation.get("parameters", []):
            where = f"{name} {parameter['name']}"
            assert parameter.get("description"), where
            if parameter["in"] == "path" or parameter["name"] not in {"page", "format"}:
                has_example = (
                    "example" in parameter
                    or parameter.get("examples")
                    or "example" in parameter.get("schema", {})
                    or "enum" in parameter.get("schema", {})
                )
                assert has_example, where


def test_every_successful_json_answer_and_request_body_has_an_example(openapi):
    for name, operation in _operations(openapi):
        if "/api/v1/compliance/" in name:
            continue  # documented by the compliance summaries (compliance/apis.py)
        for code, response in operation["responses"].items():
            content = response.get("content", {}).get("application/json")
            if code.startswith("2") and content:
                assert content.get("examples"), f"{name} {code}"
        body = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if body and not name.startswith("POST /api/v1/implementation-reports/{id}/submit"):
            assert body.get("examples"), f"{name} request"


@pytest.mark.parametrize("address", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_the_documentation_pages_are_served_from_this_site_without_a_cdn(api, address):
    response = api.get(address)

    page = response.content.decode()
    assert response.status_code == 200
    assert "/static/drf_spectacular_sidecar/" in page
    assert "cdn" not in page.lower()
    assert "https://" not in page.replace("https://github.com", "")
