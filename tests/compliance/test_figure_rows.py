"""Reading a snapshot a slice at a time: the rows of a dimension are numbered 0, 1, 2... so
that their number is the last position plus one and a page is a range of positions."""

from __future__ import annotations

import pytest

from compliance.models import ComplianceFigure
from compliance.selectors import FigureRows, figure_row_latest, figure_rows_latest
from compliance.services import compliance_snapshot_compute

pytestmark = pytest.mark.usefixtures("wgsom")


def test_every_dimension_is_numbered_from_zero_without_gaps(reports):
    snapshot = compliance_snapshot_compute(force=True).snapshot

    for dimension in ComplianceFigure.Dimension.values:
        positions = list(
            snapshot.figures.filter(dimension=dimension)
            .order_by("position")
            .values_list("position", flat=True)
        )
        assert positions == list(range(len(positions))), dimension
        assert len(FigureRows(snapshot, dimension)) == len(positions)


def test_a_slice_is_the_rows_at_those_positions_in_order(reports, django_assert_num_queries):
    snapshot = compliance_snapshot_compute(force=True).snapshot
    every = list(snapshot.figures.filter(dimension="state").order_by("position"))
    rows = FigureRows(snapshot, "state")

    # 1 a range of positions
    with django_assert_num_queries(1):
        assert rows[10:15] == every[10:15]
    # 1 the last position
    with django_assert_num_queries(1):
        assert rows.count() == len(every)
    assert rows[len(every) - 2 : len(every) + 5] == every[-2:]


def test_one_row_and_the_first_rows_of_the_latest_snapshot_cost_one_query(
    reports, django_assert_num_queries
):
    compliance_snapshot_compute(force=True)
    latest = compliance_snapshot_compute(force=True).snapshot

    with django_assert_num_queries(1):
        row = figure_row_latest(dimension="theme", key="technology")
        assert row.snapshot == latest  # joined
    assert row.identity["slug"] == "technology"
    with django_assert_num_queries(1):
        first = figure_rows_latest(dimensions=["theme", "regional_group"], limit=2)
    assert [(r.dimension, r.position) for r in first] == [
        ("regional_group", 0),
        ("regional_group", 1),
        ("theme", 0),
        ("theme", 1),
    ]
    assert {r.snapshot_id for r in first} == {latest.pk}
