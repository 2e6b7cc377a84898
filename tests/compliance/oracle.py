"""An independent computation of the compliance figures, to check the real one against.

Plain Python over every report, one State and one recommendation at a time: slow and
obviously right, sharing no code with compliance/selectors.py (not even the current-report
rule, which is restated here from its documentation).
"""

from __future__ import annotations

from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

from recommendations.models import Recommendation
from reporting.models import ImplementationReport
from states.models import State

STATUSES = (
    "implemented",
    "partially_implemented",
    "in_progress",
    "not_implemented",
    "not_applicable",
)


def _counts(statuses: list[str], states_parties: int) -> dict:
    tally = Counter(statuses)
    counts = {status: tally[status] for status in STATUSES}
    reported = sum(counts.values())
    pairs = len(statuses)
    return {
        **counts,
        "no_information": tally["no_information"],
        "reported": reported,
        "states_parties": states_parties,
        # Four decimals, half away from zero on the exact fraction.
        "share_implementing": (
            float(
                (Decimal(counts["implemented"] + counts["partially_implemented"]) / pairs).quantize(
                    Decimal("0.0001"), ROUND_HALF_UP
                )
            )
            if pairs
            else 0.0
        ),
    }


def figures_by_hand() -> dict:
    """The figures keyed for comparison: {"overall": COUNTS, "by_recommendation": {id: COUNTS},
    "by_theme": {slug: ...}, "by_meeting": {ordinal: ...}, "by_state": {code: ...},
    "by_regional_group": {slug: ...}}."""
    parties = list(State.objects.filter(protocol_status="party").select_related("regional_group"))
    recommendations = list(
        Recommendation.objects.filter(status="adopted")
        .select_related("meeting")
        .prefetch_related("themes")
    )
    # The current report: the latest validated one by as_of, then by the order recorded.
    latest: dict[tuple[int, int], ImplementationReport] = {}
    for report in ImplementationReport.objects.all():
        if report.review_state != "validated":
            continue
        key = (report.state_id, report.recommendation_id)
        if key not in latest or (report.as_of, report.pk) > (latest[key].as_of, latest[key].pk):
            latest[key] = report

    def status(state, recommendation) -> str:
        report = latest.get((state.pk, recommendation.pk))
        return report.status if report else "no_information"

    def over(states, recs) -> list[str]:
        return [status(s, r) for s in states for r in recs]

    by_theme: dict[str, list] = {}
    for recommendation in recommendations:
        for theme in recommendation.themes.all():
            by_theme.setdefault(theme.slug, []).append(recommendation)
    by_meeting: dict[int, list] = {}
    for recommendation in recommendations:
        by_meeting.setdefault(recommendation.meeting.ordinal, []).append(recommendation)
    groups: dict[str, list] = {}
    for state in parties:
        if state.regional_group is not None:
            groups.setdefault(state.regional_group.slug, []).append(state)
    n = len(parties)
    return {
        "overall": _counts(over(parties, recommendations), n),
        "by_recommendation": {r.pk: _counts(over(parties, [r]), n) for r in recommendations},
        "by_theme": {slug: _counts(over(parties, recs), n) for slug, recs in by_theme.items()},
        "by_meeting": {
            ordinal: _counts(over(parties, recs), n) for ordinal, recs in by_meeting.items()
        },
        "by_state": {s.code: _counts(over([s], recommendations), 1) for s in parties},
        "by_regional_group": {
            slug: _counts(over(states, recommendations), len(states))
            for slug, states in groups.items()
        },
    }


KEYS = {
    "by_recommendation": "id",
    "by_theme": "slug",
    "by_meeting": "ordinal",
    "by_state": "code",
    "by_regional_group": "slug",
}
COUNT_KEYS = (*STATUSES, "no_information", "reported", "states_parties", "share_implementing")


def keyed(figures: dict) -> dict:
    """The documented figures shape, keyed like figures_by_hand() (rows with no pairs, such as
    a theme without adopted recommendations, are left out as the oracle never makes them)."""
    result = {"overall": {k: figures["overall"][k] for k in COUNT_KEYS}}
    for list_key, key in KEYS.items():
        result[list_key] = {
            row[key]: {k: row[k] for k in COUNT_KEYS}
            for row in figures[list_key]
            if row["reported"] + row["no_information"]
        }
    return result
