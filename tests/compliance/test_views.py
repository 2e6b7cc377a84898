"""The /implementation/ page (the compliance app) and its CSV download."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from compliance import views
from compliance.models import ComplianceSnapshot
from compliance.selectors import compliance_figures
from compliance.services import compliance_snapshot_compute
from core.statuses import STATUS_COLUMNS
from tests.celery_workers import celery_app_on
from tests.compliance.oracle import figures_by_hand
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
    grow(3)
    compliance_snapshot_compute()
    # 1 the latest snapshot, 1 its overall row, 1 the number of recommendation rows (the
    # last position), 5 the first rows of each dimension (a range of positions), 1 the
    # overall rows of recent snapshots for the trend
    with django_assert_num_queries(9):
        assert client.get(reverse("compliance:summary")).status_code == 200
    for size in (10, 30):
        grow(size)
        compliance_snapshot_compute()
    with django_assert_num_queries(9):
        response = client.get(reverse("compliance:summary"))
    assert len(response.context["trend"]) >= 3


def test_a_snapshots_sections_are_rendered_once_per_language_and_kept(
    client, reports, django_assert_num_queries
):
    compliance_snapshot_compute(force=True)

    def sections() -> str:
        page = client.get(reverse("compliance:summary")).content.decode()
        return page[page.index('<h2 id="by-theme">') : page.index("</main>")]

    first = sections()

    # 1 the latest snapshot, 1 its overall row, 1 the number of recommendation rows, 1 the
    # trend: the sections' rows are not read again, since a snapshot's rows never change.
    with django_assert_num_queries(4):
        again = sections()
    assert again == first

    french = client.get(reverse("compliance:summary"), HTTP_ACCEPT_LANGUAGE="fr")
    assert "Par thème".encode() in french.content
    assert b"By theme" not in french.content


def test_a_new_snapshot_shows_its_own_figures_at_once(client, reports):
    def reported_per_recommendation() -> list[int]:
        response = client.get(reverse("compliance:summary"))
        section = next(s for s in response.context["sections"] if s["slug"] == "recommendation")
        return [bar.reported for bar in section["chart"].bars]

    compliance_snapshot_compute(force=True)
    before = reported_per_recommendation()
    ImplementationReportFactory(
        state=reports["silent_party"], recommendation=reports["recommendations"][0]
    )
    compliance_snapshot_compute()

    after = reported_per_recommendation()

    assert after != before
    assert after == [row["reported"] for row in compliance_figures()["by_recommendation"]]


def test_when_every_row_fits_the_page_shows_them_all_without_paging(client, reports):
    compliance_snapshot_compute(force=True)

    response = client.get(reverse("compliance:summary"))

    page = response.content.decode()
    assert not any(section["more"] for section in response.context["sections"])
    assert 'class="pagination"' not in page
    assert reverse("compliance:section", args=["meeting"]) not in page
    recommendations = next(s for s in response.context["sections"] if s["slug"] == "recommendation")
    assert len(recommendations["chart"].bars) == response.context["recommendations_counted"]


def test_a_section_longer_than_the_page_shows_its_first_rows_and_links_to_the_rest(
    client, reports, monkeypatch
):
    monkeypatch.setattr(views, "SECTION_ROWS", 3)
    compliance_snapshot_compute(force=True)

    response = client.get(reverse("compliance:summary"))

    page = response.content.decode()
    by_recommendation = next(
        s for s in response.context["sections"] if s["slug"] == "recommendation"
    )
    assert by_recommendation["more"]
    assert len(by_recommendation["chart"].bars) == 3
    assert reverse("compliance:section", args=["recommendation"]) + "?page=2" in page
    assert reverse("compliance:csv") + "?dimension=recommendation" in page
    # The States' table holds every State of the world on the summary itself.
    by_state = next(s for s in response.context["sections"] if s["slug"] == "state")
    assert not by_state["more"]


def test_a_section_pages_through_its_rows_in_the_figures_order(client, reports, monkeypatch):
    monkeypatch.setattr(views, "PAGE_ROWS", 5)
    compliance_snapshot_compute(force=True)
    figures = compliance_figures()
    expected = [row["id"] for row in figures["by_recommendation"]]
    url = reverse("compliance:section", args=["recommendation"])

    first = client.get(url)
    second = client.get(url, {"page": 2})

    def shown(response) -> list[int]:
        return [
            int(bar.url.rstrip("/").rsplit("/", 1)[1]) for bar in response.context["chart"].bars
        ]

    assert shown(first) == expected[:5]
    assert shown(second) == expected[5:10]
    assert 'class="pagination"' in second.content.decode()
    assert 'rel="prev"' in second.content.decode()
    # A page past the last shows the last, as the recommendation list does.
    last = client.get(url, {"page": 999})
    assert shown(last) == expected[(len(expected) - 1) // 5 * 5 :]


def test_a_section_page_shows_the_figures_the_oracle_derives(client, reports, monkeypatch):
    monkeypatch.setattr(views, "PAGE_ROWS", 1000)
    compliance_snapshot_compute(force=True)
    by_hand = figures_by_hand()["by_state"]

    response = client.get(reverse("compliance:section", args=["state"]))

    bars = {bar.url.rstrip("/").rsplit("/", 1)[1]: bar for bar in response.context["chart"].bars}
    assert bars  # every State party, on one page
    for code, counts in by_hand.items():
        assert bars[code].cells == [counts[status] for status in STATUS_COLUMNS]


def test_a_section_page_costs_the_same_queries_on_any_page_and_data_size(
    client, grow, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(views, "PAGE_ROWS", 2)
    grow(3)
    compliance_snapshot_compute(force=True)
    url = reverse("compliance:section", args=["state"])
    # 1 the latest snapshot, 1 the number of rows (the last position), 1 the page's rows
    with django_assert_num_queries(3):
        assert client.get(url).status_code == 200
    grow(30)
    compliance_snapshot_compute()
    with django_assert_num_queries(3):
        assert client.get(url, {"page": 3}).status_code == 200
    with django_assert_num_queries(3):
        response = client.get(url, {"page": 9999})  # past the last: the last
    assert response.context["page_obj"].number == response.context["page_obj"].paginator.num_pages


def test_every_section_has_its_pages_and_an_unknown_one_is_not_found(client, reports):
    for slug in ("theme", "meeting", "regional-group", "recommendation", "state"):
        assert client.get(reverse("compliance:section", args=[slug])).status_code == 200
    assert client.get(reverse("compliance:section", args=["planet"])).status_code == 404


def test_without_any_snapshot_a_section_page_shows_figures_computed_live(client, reports):
    ComplianceSnapshot.objects.all().delete()

    response = client.get(reverse("compliance:section", args=["meeting"]))

    assert response.status_code == 200
    assert response.context["snapshot"] is None
    assert len(response.context["chart"].bars) == len(compliance_figures()["by_meeting"])


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


def test_the_csv_download_streams_in_the_same_queries_whatever_its_size(
    client, grow, django_assert_num_queries
):
    grow(3)
    compliance_snapshot_compute(force=True)
    # 1 the latest snapshot, then 1 read of plain values per dimension (overall and five)
    with django_assert_num_queries(7):
        response = client.get(reverse("compliance:csv"))
        assert response.streaming
        small = b"".join(response.streaming_content)
    grow(30)
    compliance_snapshot_compute()
    with django_assert_num_queries(7):
        large = b"".join(client.get(reverse("compliance:csv")).streaming_content)
    assert large.count(b"\n") > small.count(b"\n")


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
