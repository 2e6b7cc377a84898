"""The compliance figures: counted from current validated reports, in a constant number of
aggregate queries, in the documented shape."""

from __future__ import annotations

import pytest

from compliance.selectors import (
    compliance_figures,
    figure_history,
    latest_figures,
    snapshot_figures,
    snapshot_latest,
)
from compliance.services import compliance_snapshot_compute
from recommendations.models import Recommendation
from states.models import State
from tests.compliance.oracle import figures_by_hand, keyed
from tests.factories import ImplementationReportFactory, StateFactory

pytestmark = pytest.mark.usefixtures("wgsom")

COUNTS = {
    "implemented",
    "partially_implemented",
    "in_progress",
    "not_implemented",
    "not_applicable",
    "no_information",
    "reported",
    "states_parties",
    "share_implementing",
}


def test_figures_have_the_documented_shape(reports):
    figures = compliance_figures()

    assert set(figures) == {
        "overall",
        "by_recommendation",
        "by_theme",
        "by_meeting",
        "by_state",
        "by_regional_group",
    }
    assert set(figures["overall"]) == COUNTS
    identities = {
        "by_recommendation": {"id", "label", "meeting"},
        "by_theme": {"slug", "name"},
        "by_meeting": {"ordinal", "year"},
        "by_state": {"code", "name"},
        "by_regional_group": {"slug", "name"},
    }
    for key, identity in identities.items():
        assert figures[key], key
        for row in figures[key]:
            assert set(row) == identity | COUNTS, key


def test_figures_agree_with_an_independent_count_over_every_report(reports):
    assert keyed(compliance_figures()) == figures_by_hand()


def test_only_the_current_validated_report_of_a_state_party_counts(reports):
    r1, r2, _r3, r4 = reports["recommendations"]
    rows = {row["id"]: row for row in compliance_figures()["by_recommendation"]}
    parties = State.objects.filter(protocol_status="party").count()

    # r1: a implemented (superseding in progress), b partially (same-day correction), c in
    # progress; the non-party's report is not counted.
    assert (rows[r1.pk]["implemented"], rows[r1.pk]["partially_implemented"]) == (1, 1)
    assert (rows[r1.pk]["in_progress"], rows[r1.pk]["reported"]) == (1, 3)
    assert rows[r1.pk]["no_information"] == parties - 3
    assert rows[r1.pk]["share_implementing"] == round(2 / parties, 4)
    # r2: the returned report does not count; r4: the newer draft does not count.
    assert rows[r2.pk]["reported"] == 2
    assert (rows[r4.pk]["implemented"], rows[r4.pk]["not_implemented"]) == (1, 0)


def test_a_state_row_counts_the_adopted_recommendations(reports):
    a = reports["parties"][0]
    silent = reports["silent_party"]
    rows = {row["code"]: row for row in compliance_figures()["by_state"]}
    adopted = Recommendation.objects.filter(status="adopted").count()

    assert rows[a.code]["implemented"] == 1
    assert rows[a.code]["partially_implemented"] == 1
    assert rows[a.code]["no_information"] == adopted - 2
    assert rows[a.code]["states_parties"] == 1
    assert rows[silent.code]["no_information"] == adopted
    assert rows[silent.code]["share_implementing"] == 0.0
    assert reports["non_party"].code not in rows


def test_every_theme_and_group_is_listed_and_every_row_adds_up(reports):
    figures = compliance_figures()

    assert len(figures["by_theme"]) == 9
    assert len(figures["by_regional_group"]) == 5
    assert [m["ordinal"] for m in figures["by_meeting"]] == [7]  # only 2020 adopted any
    for key in ("by_recommendation", "by_theme", "by_meeting", "by_state", "by_regional_group"):
        for row in figures[key]:
            statuses = (
                row["implemented"]
                + row["partially_implemented"]
                + row["in_progress"]
                + row["not_implemented"]
                + row["not_applicable"]
            )
            assert statuses == row["reported"]
    overall = figures["overall"]
    assert overall["reported"] == sum(row["reported"] for row in figures["by_recommendation"])
    assert overall["reported"] == sum(row["reported"] for row in figures["by_state"])


def test_figures_cost_seven_queries_however_many_states_and_reports(
    grow, django_assert_num_queries
):
    # States parties, regional groups, adopted recommendations with their meeting, themes,
    # theme tags, the (recommendation, group, status) aggregate, the (State, status) aggregate
    grow(2)
    with django_assert_num_queries(7):
        small = compliance_figures()
    grow(15)
    with django_assert_num_queries(7):
        large = compliance_figures()
    assert large["overall"]["reported"] == small["overall"]["reported"] + sum(range(1, 16))


def test_latest_figures_are_the_latest_snapshots(reports, django_assert_num_queries):
    compliance_snapshot_compute(force=True)
    ImplementationReportFactory(  # after the snapshot: not in it
        state=reports["silent_party"], recommendation=reports["recommendations"][0]
    )

    # the latest snapshot, its figure rows
    with django_assert_num_queries(2):
        figures = latest_figures()

    assert figures != compliance_figures()
    compliance_snapshot_compute()
    assert latest_figures() == compliance_figures()


def test_latest_figures_are_computed_live_when_there_is_no_snapshot(reports):
    from compliance.models import ComplianceSnapshot

    ComplianceSnapshot.objects.all().delete()

    assert snapshot_latest() is None
    assert latest_figures() == compliance_figures()


def test_a_snapshot_gives_back_exactly_the_figures_it_stored(reports):
    outcome = compliance_snapshot_compute(force=True)

    assert snapshot_figures(snapshot_latest()) == compliance_figures()
    assert snapshot_latest().pk == outcome.snapshot.pk


def test_history_of_one_row_costs_one_query_however_many_snapshots(
    reports, django_assert_num_queries
):
    state = StateFactory(protocol_status="party")
    recommendation = reports["recommendations"][0]
    for _ in range(2):
        compliance_snapshot_compute(force=True)
    # the figure rows joined to their snapshots
    with django_assert_num_queries(1):
        small = list(figure_history(dimension="state", key=state.code))
    for status in ("in_progress", "implemented", "not_applicable"):
        ImplementationReportFactory(state=state, recommendation=recommendation, status=status)
        compliance_snapshot_compute()
    with django_assert_num_queries(1):
        large = list(figure_history(dimension="state", key=state.code))

    assert len(large) == len(small) + 3
    assert [row.snapshot.sequence for row in large] == sorted(
        (row.snapshot.sequence for row in large), reverse=True
    )
    assert large[0].not_applicable == 1
