"""A snapshot's figures written by PostgreSQL itself: one INSERT ... SELECT.

The figures are counted over the current-status table (`reporting.CurrentStatus`) exactly as
`selectors.compliance_figures` counts them in Python, and go straight into the figure table:
the worker holds no row of them, so its memory does not grow with the number of
recommendations, and nothing crosses the connection but the statement. Their fingerprint is
hashed by the database too (`figures_fingerprint`), over the rows just written.

SQLite, the newcomer's database, keeps the Python computation (`services._snapshot_write`):
the same figures, which `tests/compliance/test_snapshot_sql.py` checks on both against an
independent computation over every report.

Shares are rounded to four decimals, half away from zero, on the exact fraction
(`round(numeric, 4)`), as `core.formatting.share_of` does in Python.
"""

from __future__ import annotations

from django.db import connection, models

from core.statuses import ImplementationStatus
from meetings.models import Meeting
from recommendations.models import Recommendation, Theme
from reporting.models import CurrentStatus
from states.models import RegionalGroup, State

from .models import ComplianceFigure, FigureDimension

# The reported statuses, in the figure table's column order.
_STATUSES = (
    ImplementationStatus.IMPLEMENTED,
    ImplementationStatus.PARTIALLY_IMPLEMENTED,
    ImplementationStatus.IN_PROGRESS,
    ImplementationStatus.NOT_IMPLEMENTED,
    ImplementationStatus.NOT_APPLICABLE,
)


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model: type[models.Model], field: str) -> str:
    concrete = model._meta.get_field(field)
    assert isinstance(concrete, models.Field) and concrete.column, field
    return connection.ops.quote_name(concrete.column)


def _pivot(alias: str) -> str:
    """Five columns s1..s5: how many of the group's rows have each reported status."""
    status = f"{alias}.{_column(CurrentStatus, 'status')}"
    return ", ".join(
        f"COUNT(*) FILTER (WHERE {status} = '{value}') AS s{i}"
        for i, value in enumerate(_STATUSES, start=1)
    )


_TOTALS = ", ".join(f"COALESCE(SUM(c.s{i}), 0) AS s{i}" for i in range(1, 6))
_REPORTED = "(s1 + s2 + s3 + s4 + s5)"


def _statement() -> str:
    cs, state, rec, meeting, theme, group = (
        _table(CurrentStatus),
        _table(State),
        _table(Recommendation),
        _table(Meeting),
        _table(Theme),
        _table(RegionalGroup),
    )
    link = _table(Recommendation.themes.through)
    figure = _table(ComplianceFigure)
    fig = {name: _column(ComplianceFigure, name) for name in (
        "snapshot", "dimension", "key", "position", "identity", "implemented",
        "partially_implemented", "in_progress", "not_implemented", "not_applicable",
        "no_information", "reported", "states_parties", "share_implementing",
    )}  # fmt: skip
    theme_slug, theme_name = _column(Theme, "slug"), _column(Theme, "name")
    d = FigureDimension
    return f"""
WITH parties AS (
    SELECT s.id, s.{_column(State, "code")} AS code, s.{_column(State, "name")} AS name,
           s.{_column(State, "regional_group")} AS group_id
    FROM {state} s WHERE s.{_column(State, "protocol_status")} = %(party)s
), recs AS (
    SELECT r.id, r.{_column(Recommendation, "label")} AS label, r.{_column(Recommendation, "order")}
           AS ord, m.{_column(Meeting, "ordinal")} AS ordinal, m.{_column(Meeting, "year")} AS year
    FROM {rec} r JOIN {meeting} m ON m.id = r.{_column(Recommendation, "meeting")}
    WHERE r.{_column(Recommendation, "status")} = %(adopted)s
), sizes AS (
    SELECT (SELECT COUNT(*) FROM parties) AS parties, (SELECT COUNT(*) FROM recs) AS recs
), counted AS MATERIALIZED (
    -- One pass over the current statuses of States parties on adopted recommendations,
    -- counted three ways at once: by recommendation (g = 3), by State (5), by group (6).
    SELECT cs.{_column(CurrentStatus, "recommendation")} AS rec_id,
           cs.{_column(CurrentStatus, "state")} AS state_id, p.group_id, {_pivot("cs")},
           GROUPING(cs.{_column(CurrentStatus, "recommendation")},
                    cs.{_column(CurrentStatus, "state")}, p.group_id) AS g
    FROM {cs} cs
    JOIN parties p ON p.id = cs.{_column(CurrentStatus, "state")}
    JOIN {rec} r ON r.id = cs.{_column(CurrentStatus, "recommendation")}
                AND r.{_column(Recommendation, "status")} = %(adopted)s
    GROUP BY GROUPING SETS (
        (cs.{_column(CurrentStatus, "recommendation")}),
        (cs.{_column(CurrentStatus, "state")}),
        (p.group_id)
    )
), by_rec AS MATERIALIZED (
    SELECT rec_id AS id, s1, s2, s3, s4, s5 FROM counted WHERE g = 3
), by_state AS (
    SELECT state_id AS id, s1, s2, s3, s4, s5 FROM counted WHERE g = 5
), by_group AS (
    SELECT group_id AS id, s1, s2, s3, s4, s5 FROM counted WHERE g = 6
), group_parties AS (
    SELECT group_id AS id, COUNT(*) AS parties FROM parties GROUP BY group_id
), rows_ AS (
    SELECT '{d.OVERALL.value}' AS dimension, '' AS key, 0::bigint AS position,
           '{{}}'::jsonb AS identity, {_TOTALS},
           sizes.parties * sizes.recs AS pairs, sizes.parties AS states_parties
    FROM sizes LEFT JOIN by_rec c ON TRUE GROUP BY sizes.parties, sizes.recs
  UNION ALL
    SELECT '{d.RECOMMENDATION.value}', recs.id::text,
           ROW_NUMBER() OVER (ORDER BY recs.ordinal, recs.ord, recs.id) - 1,
           jsonb_build_object('id', recs.id, 'label', recs.label, 'meeting', recs.ordinal),
           COALESCE(c.s1, 0), COALESCE(c.s2, 0), COALESCE(c.s3, 0), COALESCE(c.s4, 0),
           COALESCE(c.s5, 0), sizes.parties, sizes.parties
    FROM recs LEFT JOIN by_rec c ON c.id = recs.id CROSS JOIN sizes
  UNION ALL
    SELECT '{d.THEME.value}', t.{theme_slug},
           ROW_NUMBER() OVER (ORDER BY t.{_column(Theme, "order")}, t.{theme_name}) - 1,
           jsonb_build_object('slug', t.{theme_slug}, 'name', t.{theme_name}),
           {_TOTALS}, sizes.parties * COUNT(recs.id), sizes.parties
    FROM {theme} t
    LEFT JOIN {link} l ON l.{_column(Recommendation.themes.through, "theme")} = t.id
    LEFT JOIN recs ON recs.id = l.{_column(Recommendation.themes.through, "recommendation")}
    LEFT JOIN by_rec c ON c.id = recs.id
    CROSS JOIN sizes
    GROUP BY t.id, sizes.parties
  UNION ALL
    SELECT '{d.MEETING.value}', recs.ordinal::text,
           ROW_NUMBER() OVER (ORDER BY recs.ordinal) - 1,
           jsonb_build_object('ordinal', recs.ordinal, 'year', recs.year),
           {_TOTALS}, sizes.parties * COUNT(*), sizes.parties
    FROM recs LEFT JOIN by_rec c ON c.id = recs.id CROSS JOIN sizes
    GROUP BY recs.ordinal, recs.year, sizes.parties
  UNION ALL
    SELECT '{d.STATE.value}', p.code, ROW_NUMBER() OVER (ORDER BY p.name) - 1,
           jsonb_build_object('code', p.code, 'name', p.name),
           COALESCE(c.s1, 0), COALESCE(c.s2, 0), COALESCE(c.s3, 0), COALESCE(c.s4, 0),
           COALESCE(c.s5, 0), sizes.recs, 1
    FROM parties p LEFT JOIN by_state c ON c.id = p.id CROSS JOIN sizes
  UNION ALL
    SELECT '{d.REGIONAL_GROUP.value}', g.{_column(RegionalGroup, "slug")},
           ROW_NUMBER() OVER (ORDER BY g.{_column(RegionalGroup, "name")}) - 1,
           jsonb_build_object('slug', g.{_column(RegionalGroup, "slug")},
                              'name', g.{_column(RegionalGroup, "name")}),
           COALESCE(c.s1, 0), COALESCE(c.s2, 0), COALESCE(c.s3, 0), COALESCE(c.s4, 0),
           COALESCE(c.s5, 0), COALESCE(gp.parties, 0) * sizes.recs, COALESCE(gp.parties, 0)
    FROM {group} g
    LEFT JOIN by_group c ON c.id = g.id
    LEFT JOIN group_parties gp ON gp.id = g.id
    CROSS JOIN sizes
)
INSERT INTO {figure} ({fig["snapshot"]}, {fig["dimension"]}, {fig["key"]}, {fig["position"]},
    {fig["identity"]}, {fig["implemented"]}, {fig["partially_implemented"]},
    {fig["in_progress"]}, {fig["not_implemented"]}, {fig["not_applicable"]},
    {fig["no_information"]}, {fig["reported"]}, {fig["states_parties"]},
    {fig["share_implementing"]})
SELECT %(snapshot)s, dimension, key, position, identity, s1, s2, s3, s4, s5,
       pairs - {_REPORTED}, {_REPORTED}, states_parties,
       CASE WHEN pairs > 0 THEN ROUND((s1 + s2)::numeric / pairs, 4)::float8 ELSE 0 END
FROM rows_
"""


# Enough for the statement's sorts and hashes at hundreds of thousands of recommendations to
# stay in memory (the database server's, for this transaction only) instead of spilling.
WORK_MEM = "64MB"


def figures_insert(*, snapshot_id: int) -> int:
    """Count the figures and write them as `snapshot_id`'s rows; how many rows.

    Run inside a transaction (the snapshot's), to which the raised `work_mem` is limited.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('work_mem', %s, true)", [WORK_MEM])
        cursor.execute(
            _statement(),
            {
                "snapshot": snapshot_id,
                "party": State.ProtocolStatus.PARTY,
                "adopted": Recommendation.Status.ADOPTED,
            },
        )
        return cursor.rowcount


def figures_fingerprint(*, snapshot_id: int) -> str:
    """A hash of `snapshot_id`'s rows, their names and counts: equal for equal figures.

    `reported` and `share_implementing` are left out: they follow from the statuses hashed
    (the sum of the reported ones, a check constraint says; the implementing ones over all
    of them), and turning them into text was a third of the hash's time."""
    figure = _table(ComplianceFigure)
    columns = ", ".join(
        _column(ComplianceFigure, name)
        for name in (
            "dimension", "key", "position", "identity", "implemented",
            "partially_implemented", "in_progress", "not_implemented", "not_applicable",
            "no_information", "states_parties",
        )
    )  # fmt: skip
    order = ", ".join(_column(ComplianceFigure, name) for name in ("dimension", "position"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT encode(sha256(convert_to(COALESCE(string_agg(concat_ws('|', {columns}), "
            f"E'\\n' ORDER BY {order}), ''), 'UTF8')), 'hex') FROM {figure} "
            f"WHERE {_column(ComplianceFigure, 'snapshot')} = %s",
            [snapshot_id],
        )
        return cursor.fetchone()[0]


def figures_analyze() -> None:
    """Refresh the planner's statistics of the figure table after a snapshot's bulk write:
    the pages read it by snapshot, dimension, key and position right after. Those columns
    only: sampling the identities (JSON) too took 0.6 s against 0.2 at 250,000
    recommendations, and no query filters on them."""
    columns = ", ".join(
        _column(ComplianceFigure, name)
        for name in ("snapshot", "dimension", "key", "position", "share_implementing")
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {_table(ComplianceFigure)} ({columns})")
