"""JSON pages of the API's lists kept under the data version: a client polling a list between
two writes is answered without reading its rows, and never with rows a write has changed."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recommendations.models import Recommendation
from tests.factories import ImplementationReportFactory, RecommendationFactory

pytestmark = pytest.mark.usefixtures("wgsom")

RECOMMENDATIONS = "/api/v1/recommendations/"


@pytest.fixture
def cache_on(settings):
    settings.VERSIONED_CACHE_SECONDS = 300


@pytest.mark.parametrize(
    ("address", "params"),
    [
        (RECOMMENDATIONS, {"status": "adopted", "page_size": 3}),
        # Its Last-Modified also reads the State's reports: kept with the page.
        ("/api/v1/states/{code}/status/", {"page_size": 3}),
    ],
)
def test_the_same_page_again_reads_only_the_versions(
    api, cache_on, committed_write, address, params
):
    report = committed_write(lambda: ImplementationReportFactory(review_state="validated"))
    address = address.format(code=report.state.code)
    first = api.get(address, params)
    with CaptureQueriesContext(connection) as queries:
        again = api.get(address, params)

    # The versions, and the State the address names (an unknown one is still a 404).
    read = [q["sql"] for q in queries]
    assert any("data_versions" in sql for sql in read)
    assert all("data_versions" in sql or 'FROM "states_state"' in sql for sql in read)
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert again["Last-Modified"] == first["Last-Modified"]
    assert again["Link"] == first["Link"]


def test_a_committed_write_is_seen_at_once(api, cache_on, committed_write):
    committed_write(lambda: RecommendationFactory(status="adopted"))
    before = api.get(RECOMMENDATIONS, {"status": "adopted"}).json()

    committed_write(lambda: RecommendationFactory(status="adopted"))
    after = api.get(RECOMMENDATIONS, {"status": "adopted"}).json()

    assert after["count"] == before["count"] + 1
    assert after["count"] == Recommendation.objects.filter(status="adopted").count()


def test_each_reader_language_and_page_has_its_own(
    api, secretariat_client, cache_on, committed_write
):
    committed_write(lambda: ImplementationReportFactory(review_state="submitted"))
    public = api.get("/api/v1/implementation-reports/").json()
    secretariat = secretariat_client.get("/api/v1/implementation-reports/").json()
    assert secretariat["count"] == public["count"] + 1

    english = api.get("/api/v1/themes/").json()["results"]
    french = api.get("/api/v1/themes/", HTTP_ACCEPT_LANGUAGE="fr").json()["results"]
    assert [t["name"] for t in english] != [t["name"] for t in french]

    one = api.get(RECOMMENDATIONS, {"page_size": 2}).json()
    two = api.get(RECOMMENDATIONS, {"page_size": 2, "page": 2}).json()
    assert one["results"] != two["results"]


def test_the_browsable_api_is_rendered_as_ever(api, cache_on, committed_write):
    committed_write(lambda: RecommendationFactory(status="adopted"))
    for _ in range(2):
        page = api.get(RECOMMENDATIONS, {"format": "api"}, HTTP_ACCEPT="text/html")
        assert page.status_code == 200
        assert b"<html" in page.content.lower()


STATUS_MATRIX = "/api/v1/status-matrix/"


def test_a_status_matrix_page_again_reads_only_the_versions(api, cache_on, committed_write):
    committed_write(lambda: ImplementationReportFactory(review_state="validated"))
    first = api.get(STATUS_MATRIX, {"page_size": 5})
    with CaptureQueriesContext(connection) as queries:
        again = api.get(STATUS_MATRIX, {"page_size": 5})

    assert [q["sql"] for q in queries if "data_versions" not in q["sql"]] == []
    assert again.content == first.content
    assert again["Last-Modified"] == first["Last-Modified"]


def test_a_validated_report_moves_the_status_matrix_at_once(api, cache_on, committed_write):
    report = committed_write(lambda: ImplementationReportFactory(review_state="validated"))
    params = {"state": report.state.code, "status": report.status}
    before = api.get(STATUS_MATRIX, params).json()

    committed_write(
        lambda: ImplementationReportFactory(
            state=report.state, status=report.status, review_state="validated"
        )
    )
    after = api.get(STATUS_MATRIX, params).json()

    assert after["count"] == before["count"] + 1


def test_a_status_matrix_export_is_never_taken_from_the_page_cache(api, cache_on, committed_write):
    committed_write(lambda: ImplementationReportFactory(review_state="validated"))
    api.get(STATUS_MATRIX)
    export = api.get(STATUS_MATRIX, {"format": "csv"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("text/csv")


def test_a_record_read_again_reads_only_the_versions(api, cache_on, committed_write):
    recommendation = committed_write(lambda: RecommendationFactory(status="adopted"))
    address = f"{RECOMMENDATIONS}{recommendation.pk}/"
    first = api.get(address)
    with CaptureQueriesContext(connection) as queries:
        again = api.get(address)

    assert [q["sql"] for q in queries if "data_versions" not in q["sql"]] == []
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert again["Last-Modified"] == first["Last-Modified"]


def test_a_record_changed_by_a_committed_write_is_seen_at_once(api, cache_on, committed_write):
    recommendation = committed_write(lambda: RecommendationFactory(status="adopted"))
    address = f"{RECOMMENDATIONS}{recommendation.pk}/"
    api.get(address)

    recommendation.text = "A text the cached copy never held."
    committed_write(lambda: recommendation.save())

    assert api.get(address).json()["text"] == "A text the cached copy never held."


def test_a_record_that_does_not_exist_is_still_a_404(api, cache_on, committed_write):
    committed_write(lambda: RecommendationFactory(status="adopted"))
    assert api.get(f"{RECOMMENDATIONS}999999/").status_code == 404


def test_a_report_kept_for_the_secretariat_is_never_shown_to_the_public(
    api, secretariat_client, cache_on, committed_write
):
    report = committed_write(lambda: ImplementationReportFactory(review_state="submitted"))
    address = f"/api/v1/implementation-reports/{report.pk}/"

    assert secretariat_client.get(address).status_code == 200
    assert secretariat_client.get(address).json()["id"] == report.pk

    assert api.get(address).status_code == 404
