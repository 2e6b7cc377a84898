"""The API resource `compliance`: the latest figures and their history, JSON and CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from compliance.selectors import compliance_figures
from compliance.services import compliance_snapshot_compute
from tests.factories import ImplementationReportFactory

pytestmark = pytest.mark.usefixtures("wgsom")


def test_latest_gives_the_latest_snapshot_and_its_figures(client, reports):
    snapshot = compliance_snapshot_compute(force=True).snapshot

    response = client.get(reverse("api:compliance-latest"))

    assert response.status_code == 200
    body = response.json()
    assert body["snapshot"]["sequence"] == snapshot.sequence
    assert body["snapshot"]["validated_reports"] == snapshot.validated_reports
    assert body["figures"] == compliance_figures()
    assert "ETag" in response


def test_latest_costs_the_same_queries_however_much_data(client, grow, django_assert_num_queries):
    grow(2)
    compliance_snapshot_compute(force=True)
    # the latest snapshot, its figure rows
    with django_assert_num_queries(2):
        client.get(reverse("api:compliance-latest"))
    grow(15)
    compliance_snapshot_compute()
    with django_assert_num_queries(2):
        client.get(reverse("api:compliance-latest"))


def test_latest_as_csv_is_one_table_of_every_row(client, reports):
    snapshot = compliance_snapshot_compute(force=True).snapshot

    response = client.get(reverse("api:compliance-latest"), {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == snapshot.figures.count()
    assert {"dimension", "key", "name", "reported", "share_implementing"} <= set(rows[0])


def test_latest_refuses_an_unknown_parameter_naming_it(client):
    response = client.get(reverse("api:compliance-latest"), {"dimensoin": "theme"})

    assert response.status_code == 400
    assert "dimensoin" in response.json()["errors"]


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


def test_history_refuses_an_unknown_dimension_naming_it(client):
    response = client.get(reverse("api:compliance-history"), {"dimension": "planet"})

    assert response.status_code == 400
    assert "dimension" in response.json()["errors"]
