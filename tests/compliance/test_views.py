"""The /implementation/ page (the compliance app) and its CSV download."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from compliance.models import ComplianceSnapshot
from compliance.selectors import compliance_figures
from compliance.services import compliance_snapshot_compute
from tests.celery_workers import celery_app_on
from tests.factories import ImplementationReportFactory

pytestmark = pytest.mark.usefixtures("wgsom")


def test_the_page_shows_the_latest_snapshot_as_charts_and_tables(client, reports):
    snapshot = compliance_snapshot_compute(force=True).snapshot

    response = client.get(reverse("compliance:summary"))

    page = response.content.decode()
    assert response.status_code == 200
    assert f"Snapshot {snapshot.sequence}, computed" in page
    # The site's one status chart: overall, then theme, meeting, group, recommendation, State
    assert page.count('<figure class="status-chart"') == 6
    # ...each with its table, then the table of snapshots under the trend
    assert page.count('<table class="figures-table') == 7
    for section in ("by-theme", "by-meeting", "by-regional-group", "by-recommendation"):
        assert f'<h2 id="{section}">' in page
        assert f'<figcaption id="{section}-chart-caption">' in page
    # Drawn for all but the States parties: a bar each would make a chart longer than the page.
    assert page.count('<div class="chart-drawing" aria-hidden="true">') == 5
    assert '<h2 id="by-state">' in page
    assert reverse("compliance:csv") in page
    assert reverse("states:detail", args=[reports["parties"][0].code]) in page


def test_the_page_shows_the_trend_once_there_are_two_snapshots(client, reports):
    compliance_snapshot_compute(force=True)
    ImplementationReportFactory(
        state=reports["silent_party"], recommendation=reports["recommendations"][0]
    )
    compliance_snapshot_compute()

    page = client.get(reverse("compliance:summary")).content.decode()

    assert "<polyline" in page
    assert page.count("<polyline") == 2  # reporting, implementing


def test_the_page_costs_the_same_queries_however_many_snapshots_and_states(
    client, grow, django_assert_num_queries
):
    compliance_snapshot_compute(force=True)
    grow(2)
    compliance_snapshot_compute()
    # the latest snapshot, its figure rows, the overall rows of recent snapshots for the trend
    with django_assert_num_queries(3):
        assert client.get(reverse("compliance:summary")).status_code == 200
    for size in (5, 10, 15):
        grow(size)
        compliance_snapshot_compute()
    with django_assert_num_queries(3):
        response = client.get(reverse("compliance:summary"))
    assert len(response.context["trend"]) >= 5


def test_without_any_snapshot_the_page_shows_figures_computed_live(client, reports):
    ComplianceSnapshot.objects.all().delete()

    response = client.get(reverse("compliance:summary"))

    assert response.status_code == 200
    assert "computed just now" in response.content.decode()
    assert response.context["snapshot"] is None


def test_the_page_serves_with_redis_down(client, reports):
    with celery_app_on("redis://127.0.0.1:1/0"):
        response = client.get(reverse("compliance:summary"))

    assert response.status_code == 200


def test_the_csv_download_holds_every_row_of_the_latest_snapshot(client, reports):
    snapshot = compliance_snapshot_compute(force=True).snapshot
    figures = compliance_figures()

    response = client.get(reverse("compliance:csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f"wgsom-implementation-{snapshot.sequence}-" in response["Content-Disposition"]
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    assert len(rows) == snapshot.figures.count()
    assert rows[0]["dimension"] == "overall"
    assert int(rows[0]["reported"]) == figures["overall"]["reported"]
    first_party = reports["parties"][0]
    state_row = next(r for r in rows if r["dimension"] == "state" and r["key"] == first_party.code)
    assert state_row["name"] == first_party.name
    assert (state_row["implemented"], state_row["partially_implemented"]) == ("1", "1")


def test_the_csv_download_keeps_one_dimension_on_request(client, reports):
    compliance_snapshot_compute(force=True)

    response = client.get(reverse("compliance:csv"), {"dimension": "theme"})

    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    assert len(rows) == 9
    assert {row["dimension"] for row in rows} == {"theme"}


def test_an_unknown_csv_dimension_is_a_400_naming_the_parameter(client):
    response = client.get(reverse("compliance:csv"), {"dimension": "planet"})

    assert response.status_code == 400
    assert response.content.decode().startswith("dimension:")
