"""The API resource `compliance`: the latest figures and their history, JSON and CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from compliance.models import ComplianceSnapshot
from compliance.selectors import compliance_figures
from compliance.services import compliance_snapshot_compute
from tests.compliance.oracle import COUNT_KEYS, figures_by_hand
from tests.factories import ImplementationReportFactory

pytestmark = pytest.mark.usefixtures("wgsom")


def test_latest_gives_the_latest_snapshot_and_its_overall_figures(client, reports):
    snapshot = compliance_snapshot_compute(force=True).snapshot

    response = client.get(reverse("api:compliance-latest"))

    assert response.status_code == 200
    body = response.json()
    assert body["snapshot"]["sequence"] == snapshot.sequence
    assert body["snapshot"]["validated_reports"] == snapshot.validated_reports
    assert body["overall"] == compliance_figures()["overall"]
    assert body["overall"] == figures_by_hand()["overall"]
    assert "figures" not in body  # the rows of each dimension are paged by figures/
    assert "ETag" in response


def test_latest_costs_one_query_however_much_data(client, grow, django_assert_num_queries):
    grow(3)
    compliance_snapshot_compute(force=True)
    # 1 the overall row of the latest snapshot, its snapshot joined
    with django_assert_num_queries(1):
        client.get(reverse("api:compliance-latest"))
    grow(30)
    compliance_snapshot_compute()
    with django_assert_num_queries(1):
        client.get(reverse("api:compliance-latest"))


def test_latest_without_any_snapshot_gives_the_overall_figures_computed_live(client, reports):
    ComplianceSnapshot.objects.all().delete()

    body = client.get(reverse("api:compliance-latest")).json()

    assert body["snapshot"] is None
    assert body["overall"] == figures_by_hand()["overall"]


def test_latest_as_csv_is_one_streamed_table_of_every_row(client, reports):
    snapshot = compliance_snapshot_compute(force=True).snapshot

    response = client.get(reverse("api:compliance-latest"), {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == snapshot.figures.count()
    assert rows[0]["dimension"] == "overall"
    assert {"dimension", "key", "name", "reported", "share_implementing"} <= set(rows[0])


def test_latest_refuses_an_unknown_parameter_naming_it(client):
    response = client.get(reverse("api:compliance-latest"), {"dimensoin": "theme"})

    assert response.status_code == 400
    assert "dimensoin" in response.json()["errors"]


def test_figures_list_one_dimension_a_page_at_a_time(client, reports):
    compliance_snapshot_compute(force=True)
    expected = [str(row["id"]) for row in compliance_figures()["by_recommendation"]]
    url = reverse("api:compliance-figures")

    first = client.get(url, {"dimension": "recommendation", "page_size": 5}).json()
    second = client.get(url, {"dimension": "recommendation", "page_size": 5, "page": 2}).json()

    assert first["count"] == len(expected)
    assert [row["key"] for row in first["results"]] == expected[:5]
    assert [row["key"] for row in second["results"]] == expected[5:10]
    assert first["next"].endswith("page=2&page_size=5") or "page=2" in first["next"]
    assert second["previous"] is not None
    row = first["results"][0]
    assert row["dimension"] == "recommendation"
    assert set(row["identity"]) == {"id", "label", "meeting"}
    assert row["name"].startswith("Recommendation ")


def test_figures_equal_the_figures_derived_by_hand_in_every_dimension(client, reports):
    compliance_snapshot_compute(force=True)
    by_hand = figures_by_hand()
    keys = {"recommendation": "by_recommendation", "theme": "by_theme", "meeting": "by_meeting"}
    keys |= {"state": "by_state", "regional_group": "by_regional_group"}

    for dimension, list_key in keys.items():
        body = client.get(
            reverse("api:compliance-figures"), {"dimension": dimension, "page_size": 500}
        ).json()
        assert body["next"] is None
        got = {
            row["key"]: {k: row[k] for k in COUNT_KEYS}
            for row in body["results"]
            if row["reported"] + row["no_information"]
        }
        assert got == {str(key): counts for key, counts in by_hand[list_key].items()}


def test_the_overall_dimension_is_one_row_named_overall(client, reports):
    compliance_snapshot_compute(force=True)

    body = client.get(reverse("api:compliance-figures"), {"dimension": "overall"}).json()

    (row,) = body["results"]
    assert (row["key"], row["name"], row["identity"]) == ("", "Overall", {})
    assert {k: row[k] for k in COUNT_KEYS} == figures_by_hand()["overall"]


def test_figures_cost_the_same_queries_on_any_page_and_data_size(
    client, grow, django_assert_num_queries
):
    grow(3)
    compliance_snapshot_compute(force=True)
    url = reverse("api:compliance-figures")
    # 1 the latest snapshot, 1 the number of rows (the last position), 1 the page's rows
    with django_assert_num_queries(3):
        assert client.get(url, {"dimension": "state", "page_size": 2}).status_code == 200
    grow(30)
    compliance_snapshot_compute()
    with django_assert_num_queries(3):
        response = client.get(url, {"dimension": "state", "page_size": 2, "page": 40})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 2


def test_figures_need_a_known_dimension_and_refuse_a_page_past_the_last(client, reports):
    url = reverse("api:compliance-figures")

    assert "dimension" in client.get(url).json()["errors"]
    assert "dimension" in client.get(url, {"dimension": "planet"}).json()["errors"]
    assert "thme" in client.get(url, {"dimension": "theme", "thme": "x"}).json()["errors"]
    assert client.get(url, {"dimension": "theme", "page": 999}).status_code == 404


def test_figures_as_csv_stream_every_row_of_the_dimension(client, reports):
    snapshot = compliance_snapshot_compute(force=True).snapshot

    response = client.get(reverse("api:compliance-figures-csv"), {"dimension": "theme"})

    assert response.status_code == 200
    assert response["X-Total-Count"] == "9"
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == snapshot.figures.filter(dimension="theme").count() == 9
    assert {row["dimension"] for row in rows} == {"theme"}
    assert list(rows[0])[:4] == ["dimension", "key", "name", "identity"]
    # Whole, never a page.
    paged = client.get(reverse("api:compliance-figures-csv"), {"dimension": "theme", "page": 2})
    assert paged.status_code == 400


def test_history_gives_the_overall_figures_of_every_snapshot_newest_first(
    client, reports, django_assert_num_queries
):
    compliance_snapshot_compute(force=True)
    ImplementationReportFactory(
        state=reports["silent_party"], recommendation=reports["recommendations"][0]
    )
    latest = compliance_snapshot_compute().snapshot

    # the page of figure rows with their snapshots, the count
    with django_assert_num_queries(2):
        response = client.get(reverse("api:compliance-history"))

    body = response.json()
    assert response.status_code == 200
    assert body["results"][0]["snapshot"] == latest.sequence
    assert {row["dimension"] for row in body["results"]} == {"overall"}
    assert body["results"][0]["reported"] == body["results"][1]["reported"] + 1


def test_history_follows_one_row_by_dimension_and_key(client, reports):
    state = reports["silent_party"]
    compliance_snapshot_compute(force=True)
    ImplementationReportFactory(state=state, recommendation=reports["recommendations"][0])
    compliance_snapshot_compute()

    response = client.get(
        reverse("api:compliance-history"), {"dimension": "state", "key": state.code}
    )

    rows = response.json()["results"]
    assert [row["key"] for row in rows] == [state.code, state.code] + [state.code for _ in rows[2:]]
    assert rows[0]["identity"] == {"code": state.code, "name": state.name}
    assert (rows[0]["implemented"], rows[1]["implemented"]) == (1, 0)


def test_history_as_csv(client, reports):
    compliance_snapshot_compute(force=True)

    response = client.get(reverse("api:compliance-history"), {"format": "csv"})

    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows and rows[0]["dimension"] == "overall"


def test_history_of_a_dimension_needs_the_row_to_follow(client, reports):
    response = client.get(reverse("api:compliance-history"), {"dimension": "recommendation"})

    assert response.status_code == 400
    assert "key" in response.json()["errors"]


def test_history_refuses_an_unknown_dimension_naming_it(client):
    response = client.get(reverse("api:compliance-history"), {"dimension": "planet"})

    assert response.status_code == 400
    assert "dimension" in response.json()["errors"]
