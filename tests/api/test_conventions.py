"""What every endpoint shares: JSON errors, strict filters, paging, CSV, conditional GETs,
throttling."""

from __future__ import annotations

import pytest
from django.utils.http import http_date

from recommendations.models import Recommendation
from states.models import State
from tests.api.conftest import token_client
from tests.factories import ImplementationReportFactory, UserFactory

pytestmark = pytest.mark.usefixtures("wgsom")


def _is_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert body["detail"]
    return body


# --- Errors are JSON, whatever was asked for ---------------------------------------------


@pytest.mark.parametrize(
    ("parameter", "value", "address"),
    [
        ("theme", "no-such-theme", "/api/v1/recommendations/"),
        ("meeting", "99", "/api/v1/recommendations/"),
        ("meeting", "seventh", "/api/v1/recommendations/"),
        ("status", "rejected", "/api/v1/recommendations/"),
        ("strength", "must", "/api/v1/recommendations/"),
        ("proposer", "ZZZ", "/api/v1/recommendations/"),
        ("updated_since", "yesterday", "/api/v1/recommendations/"),
        ("regional_group", "nordic-states", "/api/v1/states/"),
        ("protocol_status", "friend", "/api/v1/states/"),
        ("state", "ZZZ", "/api/v1/implementation-reports/"),
        ("recommendation", "999999", "/api/v1/implementation-reports/"),
        ("review_state", "lost", "/api/v1/implementation-reports/"),
        ("current", "maybe", "/api/v1/implementation-reports/"),
        ("status", "done", "/api/v1/states/MEX/status/"),
        ("regional_group", "nowhere", "/api/v1/recommendations/29/status/"),
        ("meeting", "0", "/api/v1/documents/"),
        ("symbol", "CTOC/NOTHING", "/api/v1/documents/"),
        ("meeting", "42", "/api/v1/agenda-items/"),
        ("ordering", "text", "/api/v1/recommendations/"),
        ("page_size", "many", "/api/v1/recommendations/"),
        ("colour", "blue", "/api/v1/recommendations/"),
    ],
)
def test_a_value_that_names_nothing_is_a_400_naming_the_parameter(api, parameter, value, address):
    body = _is_error(api.get(address, {parameter: value}), 400, "invalid")

    assert list(body["errors"]) == [parameter]
    assert all(isinstance(message, str) for message in body["errors"][parameter])


def test_an_error_asked_for_as_csv_or_html_is_still_json(api):
    _is_error(api.get("/api/v1/recommendations/", {"format": "csv", "theme": "x"}), 400, "invalid")
    _is_error(api.get("/api/v1/recommendations/999999/", HTTP_ACCEPT="text/html"), 404, "not_found")


def test_an_address_under_the_api_that_names_nothing_is_a_json_404(api):
    _is_error(api.get("/api/v1/no-such-resource/"), 404, "not_found")
    _is_error(api.get("/api/v1/states/ZZZ/"), 404, "not_found")
    _is_error(api.get("/api/v1/states/ZZZ/status/"), 404, "not_found")
    _is_error(api.get("/api/v1/recommendations/999999/status/"), 404, "not_found")


def test_an_address_missing_its_final_slash_is_redirected_not_refused(api):
    response = api.get("/api/v1/recommendations", {"meeting": 7})

    assert response.status_code == 301
    assert response["Location"] == "/api/v1/recommendations/?meeting=7"


def test_a_page_past_the_last_is_a_json_404(api):
    _is_error(api.get("/api/v1/themes/", {"page": 99}), 404, "not_found")


def test_writing_a_published_resource_is_a_405(api):
    recommendation = Recommendation.objects.first()
    for method in ("post", "put", "patch", "delete"):
        response = getattr(api, method)(f"/api/v1/recommendations/{recommendation.pk}/")
        _is_error(response, 405, "method_not_allowed")
    report = ImplementationReportFactory()
    _is_error(api.delete(f"/api/v1/implementation-reports/{report.pk}/"), 405, "method_not_allowed")


def test_writing_without_credentials_is_a_401_asking_for_a_token(api):
    response = api.post("/api/v1/implementation-reports/", {}, format="json")

    _is_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Token"


def test_a_token_that_is_not_valid_is_a_401_even_for_a_read(api):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-key")

    _is_error(api.get("/api/v1/themes/"), 401, "authentication_failed")


def test_a_signed_in_reader_without_a_reporting_role_gets_a_403_on_writes():
    client = token_client(UserFactory())

    response = client.post("/api/v1/implementation-reports/", {}, format="json")

    _is_error(response, 403, "permission_denied")


def test_too_many_requests_are_a_429_saying_when_to_retry(api, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "1000/minute"},
    }
    assert api.get("/api/v1/themes/").status_code == 200
    assert api.get("/api/v1/meetings/").status_code == 200

    response = api.get("/api/v1/themes/")

    _is_error(response, 429, "throttled")
    assert 0 < int(response["Retry-After"]) <= 60


def test_signed_in_users_are_counted_apart_from_anonymous_clients(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/minute", "user": "3/minute"},
    }
    client = token_client(UserFactory())

    statuses = [client.get("/api/v1/themes/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]


# --- Paging and CSV -----------------------------------------------------------------------


def test_lists_are_paged_with_a_count_and_links(api):
    body = api.get("/api/v1/states/", {"page_size": 10, "page": 2}).json()

    assert body["count"] == 196
    assert len(body["results"]) == 10
    assert "page=3" in body["next"]
    assert body["previous"]


def test_a_page_size_above_the_maximum_is_capped(api, settings):
    settings.API_MAX_PAGE_SIZE = 25

    body = api.get("/api/v1/states/", {"page_size": 1000}).json()

    assert len(body["results"]) == 25


def test_a_list_comes_as_csv_with_a_header_row_and_every_row(api):
    response = api.get(
        "/api/v1/recommendations/", {"meeting": 7, "status": "adopted", "format": "csv"}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("id,meeting,year,status,label")
    assert len(lines) == 1 + 22
    assert response["X-Total-Count"] == "22"


def test_csv_is_also_given_for_the_accept_header(api):
    response = api.get("/api/v1/states/MEX/status/", HTTP_ACCEPT="text/csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    header = b"".join(response.streaming_content).decode().splitlines()[0]
    assert header == "state,recommendation,meeting,label,strength,themes,status,as_of,source,report"
    assert 'rel="next"' not in response.get("Link", "")


# --- Conditional GETs ---------------------------------------------------------------------


def test_a_get_carries_an_etag_and_a_matching_conditional_get_is_a_304(api):
    first = api.get("/api/v1/recommendations/", {"meeting": 7})
    etag = first["ETag"]

    again = api.get("/api/v1/recommendations/", {"meeting": 7}, HTTP_IF_NONE_MATCH=etag)

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag


def test_the_etag_changes_when_the_data_changes(api):
    recommendation = Recommendation.objects.get(meeting__ordinal=7, label="5", status="adopted")
    etag = api.get(f"/api/v1/recommendations/{recommendation.pk}/")["ETag"]
    recommendation.text += " (corrected)"
    recommendation.save()

    response = api.get(f"/api/v1/recommendations/{recommendation.pk}/", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag


def test_last_modified_is_the_newest_change_and_if_modified_since_answers_304(api):
    recommendation = Recommendation.objects.get(meeting__ordinal=7, label="5", status="adopted")
    response = api.get(f"/api/v1/recommendations/{recommendation.pk}/")
    assert response["Last-Modified"] == http_date(recommendation.updated_at.timestamp())

    again = api.get(
        f"/api/v1/recommendations/{recommendation.pk}/",
        HTTP_IF_MODIFIED_SINCE=response["Last-Modified"],
    )

    assert again.status_code == 304


def test_a_new_report_moves_the_etag_and_last_modified_of_its_states_status(api):
    mexico = State.objects.get(code="MEX")
    before = api.get("/api/v1/states/MEX/status/")
    report = ImplementationReportFactory(
        state=mexico, recommendation=Recommendation.objects.filter(status="adopted").first()
    )

    after = api.get("/api/v1/states/MEX/status/", HTTP_IF_NONE_MATCH=before["ETag"])

    assert after.status_code == 200
    assert after["Last-Modified"] == http_date(report.updated_at.timestamp())
