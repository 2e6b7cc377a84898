"""The API's contract as a data user meets it: a schema that lints clean, names that read, nulls
that are null, filters that validate alike, and the schema outside the throttle."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from reporting.models import ImplementationReport
from tests.factories import ImplementationReportFactory

ROOT = Path(django_settings.BASE_DIR)
REDOCLY = ROOT / "scripts" / "openapi-lint" / "node_modules" / ".bin" / "redocly"


@pytest.fixture
def openapi(api):
    response = api.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def _operations(openapi):
    for path, item in openapi["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method, operation


# --- The schema ---------------------------------------------------------------------------


def test_the_schema_lints_clean_with_redoclys_strict_rules(openapi, tmp_path):
    if not REDOCLY.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{REDOCLY} is missing: run `make lint-api` (npm ci) first")
        pytest.skip("the schema linter is not installed (make lint-api installs it)")
    if shutil.which("node") is None:
        pytest.fail("node is missing: the schema linter needs Node.js")
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps(openapi))

    result = subprocess.run(
        [
            str(REDOCLY),
            "lint",
            "--config",
            str(REDOCLY.parents[2] / "redocly.yaml"),
            "--format",
            "summary",
            str(schema),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_names_its_servers_licence_and_contact(openapi):
    assert openapi["openapi"].startswith("3.1")
    assert openapi["servers"][0]["url"] == django_settings.SITE_URL
    assert openapi["info"]["license"]["url"].startswith("https://")
    assert openapi["info"]["contact"]["name"]


def test_component_names_read_without_doubling(openapi):
    names = set(openapi["components"]["schemas"])

    assert "PaginatedRecommendationList" in names
    assert not [name for name in names if "ListList" in name]


def test_sort_options_are_public_names_with_names_a_client_can_use(openapi):
    for path, _method, operation in _operations(openapi):
        for parameter in operation.get("parameters", []):
            if parameter["name"] != "ordering":
                continue
            values = parameter["schema"]["enum"]
            names = parameter["schema"]["x-enum-varnames"]
            assert not [value for value in values if "__" in value], path
            assert len(names) == len(values), path
            assert all(name.isidentifier() for name in names), path
            if "-updated_at" in values:
                assert names[values.index("-updated_at")] == "updated_at_desc"


def test_updated_since_is_documented_as_a_date_or_a_date_time(openapi):
    parameter = next(
        p
        for p in openapi["paths"]["/api/v1/recommendations/"]["get"]["parameters"]
        if p["name"] == "updated_since"
    )

    formats = {option["format"] for option in parameter["schema"]["anyOf"]}
    assert formats == {"date", "date-time"}


def test_json_operations_describe_json_and_csv_exports_describe_csv(openapi):
    for path, _method, operation in _operations(openapi):
        content = operation["responses"].get("200", {}).get("content", {})
        if path.endswith(".xlsx"):
            assert list(content) == [
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            ], path
        elif path.endswith(".csv"):
            assert list(content) == ["text/csv"], path
            assert content["text/csv"]["schema"]["type"] == "string", path
            assert "X-Total-Count" in operation["responses"]["200"]["headers"], path
            assert not {"page", "page_size"} & {p["name"] for p in operation["parameters"]}
        elif content:
            assert list(content) == ["application/json"], path


def test_the_csv_export_documents_its_columns(openapi):
    export = openapi["paths"]["/api/v1/recommendations.csv"]["get"]
    schema = export["responses"]["200"]["content"]["text/csv"]["schema"]

    assert export["operationId"] == "recommendations_export_csv"
    assert "themes" in schema["description"]
    assert schema["pattern"].startswith("^\ufeff?id,")


def test_a_nullable_field_is_typed_with_null(openapi):
    report = openapi["components"]["schemas"]["ImplementationReport"]["properties"]

    assert report["evidence_url"]["type"] == ["string", "null"]
    assert report["evidence_url"]["format"] == "uri"


# --- Answers that keep the contract -------------------------------------------------------


@pytest.mark.django_db
def test_a_report_without_a_link_serves_null_not_an_empty_string(api):
    report = ImplementationReportFactory(
        evidence_url="", review_state=ImplementationReport.ReviewState.VALIDATED
    )

    answer = api.get(f"/api/v1/implementation-reports/{report.pk}/").json()

    assert answer["evidence_url"] is None


def test_updated_since_takes_a_plain_date_or_a_date_time(api, wgsom):
    by_date = api.get("/api/v1/recommendations/", {"updated_since": "2000-01-31"})
    by_moment = api.get("/api/v1/recommendations/", {"updated_since": "2000-01-31T00:00:00Z"})

    assert by_date.status_code == by_moment.status_code == 200
    assert by_date.json()["count"] == by_moment.json()["count"] > 0


@pytest.mark.parametrize(
    ("address", "parameter", "value"),
    [
        ("/api/v1/recommendations/", "meeting", "0.5"),
        ("/api/v1/recommendations/", "meeting", "7.0"),
        ("/api/v1/meetings/", "year", "2020.5"),
        ("/api/v1/meetings/", "year", "2020.0"),
        ("/api/v1/implementation-reports/", "recommendation", "1e3"),
    ],
)
def test_every_number_parameter_takes_whole_numbers_only(api, wgsom, address, parameter, value):
    response = api.get(address, {parameter: value})

    assert response.status_code == 400
    assert response.json()["errors"][parameter] == ["Enter a whole number, such as 7."]


@pytest.mark.parametrize("parameter", ["meeting", "theme", "search", "ordering", "page_size"])
def test_an_empty_parameter_means_not_given(api, wgsom, parameter):
    everything = api.get("/api/v1/recommendations/").json()

    response = api.get("/api/v1/recommendations/", {parameter: ""})

    assert response.status_code == 200
    assert response.json()["count"] == everything["count"]


def test_an_unknown_parameter_is_still_refused_even_empty(api, wgsom):
    response = api.get("/api/v1/recommendations/", {"thme": ""})

    assert response.status_code == 400
    assert "thme" in response.json()["errors"]


def test_public_sort_names_sort(api, wgsom):
    rows = api.get("/api/v1/recommendations/", {"ordering": "-meeting", "page_size": 500}).json()
    ordinals = [row["meeting"] for row in rows["results"]]

    assert ordinals == sorted(ordinals, reverse=True)
    refused = api.get("/api/v1/recommendations/", {"ordering": "meeting__ordinal"})
    assert refused.status_code == 400


def test_the_schema_and_its_pages_are_outside_the_throttle(api, wgsom, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": None},
    }

    schema_answers = [api.get("/api/v1/schema/").status_code for _ in range(4)]
    page_answers = [api.get(address).status_code for address in ("/api/v1/docs/",) * 3]
    list_answers = [api.get("/api/v1/themes/").status_code for _ in range(3)]

    assert schema_answers == [200] * 4
    assert page_answers == [200] * 3
    assert list_answers == [200, 200, 429]
