"""Hand-written SQL for what each page and API answer shows: the yardstick of `make bench-scale`.

Each entry is what a careful person would send to PostgreSQL to get the same rows and figures
the endpoint shows, with nothing of Django in between: the statements are run one after the
other on the harness's own connection (`run_baseline`) and every row is fetched. The ratio
"page / baseline" is then what the framework, the templates or the serializers and any extra
queries cost on top of the data itself.

Parameters come from the sample the harness picks in each database (`%(theme)s`, `%(state)s`,
`%(rec)s`, ...; see benchmarks/scale.py, `pick_sample`). Page sizes are the site's: 20 rows
on the public list, 50 in the API, 50 search results per kind.

They are kept to the rows and figures shown; what only decorates a page (a word diff, similar
recommendations, the change history's field names) is left to the page's side of the ratio.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

PUBLIC_PAGE = 20
LIST_COUNT_CAP = 10_000  # the public lists count no further ("more than 10,000")
API_PAGE = 50
SEARCH_RESULTS = 50

# --- Fragments used by several baselines ---------------------------------------------------

_REPORTED = (
    "('implemented', 'partially_implemented', 'in_progress', 'not_implemented', 'not_applicable')"
)

# The latest snapshot's figure rows (what every chart of implementation reads).
_LATEST_SNAPSHOT = "(SELECT id FROM compliance_compliancesnapshot ORDER BY sequence DESC LIMIT 1)"
_FIGURE_COLUMNS = (
    "f.dimension, f.key, f.position, f.identity, f.implemented, f.partially_implemented, "
    "f.in_progress, f.not_implemented, f.not_applicable, f.no_information, f.reported, "
    "f.states_parties, f.share_implementing"
)

# A recommendation as a list shows it: meeting, agenda item, text and its classifications.
_RECOMMENDATION_ROW = """
    SELECT r.id, r.label, r.status, r.section, r.chapeau, r.text, r.addressee, r.strength,
           r.legal_references, r.updated_at, m.ordinal, m.year, a.number, a.sub_letter,
           p.code AS proposer, r.adopted_as_id
    FROM recommendations_recommendation r
    JOIN meetings_meeting m ON m.id = r.meeting_id
    LEFT JOIN meetings_agendaitem a ON a.id = r.agenda_item_id
    LEFT JOIN states_state p ON p.id = r.proposer_id
"""

# The themes of a set of recommendations (the `{ids}` subquery), for the rows just read.
_THEMES_OF = """
    SELECT rt.recommendation_id, t.slug, t.name
    FROM recommendations_recommendation_themes rt
    JOIN recommendations_theme t ON t.id = rt.theme_id
    WHERE rt.recommendation_id IN ({ids})
"""

_IN_THEME = (
    "EXISTS (SELECT 1 FROM recommendations_recommendation_themes rt "
    "WHERE rt.recommendation_id = r.id AND rt.theme_id = %(theme_id)s)"
)

# The API's first page of meetings: first to last (not the page's newest first), with the
# chair's State and the same counts.
_API_MEETINGS = f"""
    SELECT m.ordinal, m.year, m.start_date, m.end_date, m.venue, m.format, m.chair,
           s.code AS chair_state,
           (SELECT count(*) FROM recommendations_recommendation r
            WHERE r.meeting_id = m.id AND r.status = 'adopted') AS adopted,
           (SELECT count(*) FROM recommendations_recommendation r
            WHERE r.meeting_id = m.id AND r.status = 'draft') AS draft,
           (SELECT count(*) FROM recommendations_recommendation r
            WHERE r.meeting_id = m.id AND r.status = 'proposed') AS proposed,
           (SELECT count(*) FROM meetings_document d WHERE d.meeting_id = m.id) AS documents,
           (SELECT count(*) FROM meetings_participation p
            WHERE p.meeting_id = m.id) AS participants,
           m.updated_at
    FROM meetings_meeting m LEFT JOIN states_state s ON s.id = m.chair_state_id
    ORDER BY m.ordinal LIMIT {API_PAGE}
"""

# The 50 recommendations most recently recorded as adopted (the feed's order: the first
# history record in that status, else the row's creation, newest first), each with its meeting
# and themes. Two walks by index, each of at most 50: the history records that first recorded
# a recommendation still adopted as adopted, by date; the adopted rows without such a record,
# by creation, no older than the first walk's last when it is full.
_NEWEST_ADOPTED = """
    WITH firsts AS (
        SELECT h.id, h.history_date AS recorded_at
        FROM recommendations_historicalrecommendation h
        WHERE h.status = 'adopted'
          AND EXISTS (SELECT 1 FROM recommendations_recommendation r
                      WHERE r.id = h.id AND r.status = 'adopted')
          AND NOT EXISTS (SELECT 1 FROM recommendations_historicalrecommendation e
                          WHERE e.id = h.id AND e.status = 'adopted'
                            AND (e.history_date, e.history_id) < (h.history_date, h.history_id))
        ORDER BY h.history_date DESC, h.id DESC LIMIT 50
    ), unrecorded AS (
        SELECT r.id, r.created_at AS recorded_at
        FROM recommendations_recommendation r
        WHERE r.status = 'adopted'
          AND r.created_at >= COALESCE(
              (SELECT min(recorded_at) FROM firsts HAVING count(*) = 50), '-infinity')
          AND NOT EXISTS (SELECT 1 FROM recommendations_historicalrecommendation e
                          WHERE e.id = r.id AND e.status = 'adopted')
        ORDER BY r.created_at DESC, r.id DESC LIMIT 50
    ), newest AS (
        SELECT * FROM (SELECT * FROM firsts UNION ALL SELECT * FROM unrecorded) AS both_walks
        ORDER BY recorded_at DESC, id DESC LIMIT 50
    )
    SELECT n.recorded_at, r.id, r.label, r.section, r.chapeau, r.text, r.updated_at,
           m.ordinal, m.year,
           (SELECT string_agg(t.name, '|' ORDER BY t."order", t.name)
            FROM recommendations_recommendation_themes rt
            JOIN recommendations_theme t ON t.id = rt.theme_id
            WHERE rt.recommendation_id = r.id) AS themes
    FROM newest n
    JOIN recommendations_recommendation r ON r.id = n.id
    JOIN meetings_meeting m ON m.id = r.meeting_id
    ORDER BY n.recorded_at DESC, r.id DESC
"""

# Meetings with their counts of recommendations by status, documents and participants.
_MEETINGS_WITH_COUNTS = """
    SELECT m.ordinal, m.year, m.start_date, m.end_date, m.venue, m.format,
           (SELECT count(*) FROM recommendations_recommendation r
            WHERE r.meeting_id = m.id AND r.status = 'adopted') AS adopted,
           (SELECT count(*) FROM recommendations_recommendation r
            WHERE r.meeting_id = m.id AND r.status = 'draft') AS draft,
           (SELECT count(*) FROM recommendations_recommendation r
            WHERE r.meeting_id = m.id AND r.status = 'proposed') AS proposed,
           (SELECT count(*) FROM meetings_document d WHERE d.meeting_id = m.id) AS documents,
           (SELECT count(*) FROM meetings_participation p WHERE p.meeting_id = m.id) AS participants
    FROM meetings_meeting m
    ORDER BY m.ordinal DESC
"""

# One State's current status on every adopted recommendation (its scorecard, its API status).
_STATE_STATUSES = """
    SELECT r.id, r.label, m.ordinal, a.number, a.sub_letter, cs.status, cs.as_of, ir.source
    FROM recommendations_recommendation r
    JOIN meetings_meeting m ON m.id = r.meeting_id
    LEFT JOIN meetings_agendaitem a ON a.id = r.agenda_item_id
    LEFT JOIN reporting_currentstatus cs
           ON cs.recommendation_id = r.id AND cs.state_id = %(state_id)s
    LEFT JOIN reporting_implementationreport ir ON ir.id = cs.report_id
    WHERE r.status = 'adopted'
    ORDER BY m.ordinal, r."order", r.id
"""
_ADOPTED_THEME_LINKS = """
    SELECT rt.recommendation_id, rt.theme_id
    FROM recommendations_recommendation_themes rt
    JOIN recommendations_recommendation r ON r.id = rt.recommendation_id
    WHERE r.status = 'adopted'
"""

# Every State party (and any other State that reported) with its status on one recommendation.
_RECOMMENDATION_STATUSES = """
    SELECT s.code, s.name, g.name AS regional_group, cs.status, cs.as_of, ir.source
    FROM states_state s
    LEFT JOIN states_regionalgroup g ON g.id = s.regional_group_id
    LEFT JOIN reporting_currentstatus cs ON cs.state_id = s.id AND cs.recommendation_id = %(rec)s
    LEFT JOIN reporting_implementationreport ir ON ir.id = cs.report_id
    WHERE s.protocol_status = 'party' OR cs.id IS NOT NULL
    ORDER BY s.name
"""

# The validated reports of a State or on a recommendation, newest first (status history).
_HISTORY = """
    SELECT ir.id, ir.status, ir.as_of, ir.source, ir.description, s.code, r.label, m.ordinal,
           prev.status AS previous
    FROM reporting_implementationreport ir
    JOIN states_state s ON s.id = ir.state_id
    JOIN recommendations_recommendation r ON r.id = ir.recommendation_id
    JOIN meetings_meeting m ON m.id = r.meeting_id
    LEFT JOIN reporting_implementationreport prev ON prev.id = ir.supersedes_id
    WHERE ir.review_state = 'validated' AND ir.{column} = %({param})s
    ORDER BY ir.as_of DESC, ir.id DESC
"""

# The whole selection of a recommendations download, a row per recommendation with its themes.
_DOWNLOAD = """
    SELECT r.id, m.ordinal, m.year, r.label, r.status, r.section, a.number, a.sub_letter,
           r.addressee, r.strength, r.legal_references, r.chapeau, r.text,
           (SELECT string_agg(t.name, '; ' ORDER BY t."order")
            FROM recommendations_recommendation_themes rt
            JOIN recommendations_theme t ON t.id = rt.theme_id
            WHERE rt.recommendation_id = r.id) AS themes
    FROM recommendations_recommendation r
    JOIN meetings_meeting m ON m.id = r.meeting_id
    LEFT JOIN meetings_agendaitem a ON a.id = r.agenda_item_id
    {where}
    ORDER BY m.ordinal DESC, r.status, r."order", r.id
"""

# The bare index-backed search: the GIN index on the stored vector, ranked, one page.
SEARCH_BASELINE = f"""
    SELECT r.id, r.label, ts_rank(r.search_document, q) AS rank
    FROM recommendations_recommendation r, websearch_to_tsquery('english', %(query)s) q
    WHERE r.search_document @@ q
    ORDER BY rank DESC
    LIMIT {SEARCH_RESULTS}
"""

# The snapshot's figures in one statement: every grouping of the current statuses of States
# parties on adopted recommendations (by recommendation, meeting, regional group, State and
# overall) as grouping sets, and by theme through the theme links.
SNAPSHOT_BASELINE = """
    WITH counted AS (
        SELECT cs.recommendation_id, cs.state_id, cs.status, r.meeting_id, s.regional_group_id
        FROM reporting_currentstatus cs
        JOIN states_state s ON s.id = cs.state_id
        JOIN recommendations_recommendation r ON r.id = cs.recommendation_id
        WHERE s.protocol_status = 'party' AND r.status = 'adopted'
    )
    SELECT recommendation_id, meeting_id, regional_group_id, state_id, NULL::bigint AS theme_id,
           status, count(*)
    FROM counted
    GROUP BY GROUPING SETS ((recommendation_id, status), (meeting_id, status),
                            (regional_group_id, status), (state_id, status), (status))
    UNION ALL
    SELECT NULL, NULL, NULL, NULL, rt.theme_id, c.status, count(*)
    FROM counted c
    JOIN recommendations_recommendation_themes rt ON rt.recommendation_id = c.recommendation_id
    GROUP BY rt.theme_id, c.status
"""

_FIRST_API_PAGE = f"LIMIT {API_PAGE}"
_FIRST_PUBLIC_PAGE = f"LIMIT {PUBLIC_PAGE}"


# The summary's sections and the rows each shows before linking to its own pages.
_SUMMARY_SECTIONS = [
    ("overall", 0),
    ("theme", 50),
    ("meeting", 50),
    ("regional_group", 50),
    ("recommendation", 50),
    ("state", 250),
]

# One State's adopted recommendations counted by theme and status (its scorecard).
_STATE_BY_THEME = """
    SELECT rt.theme_id, cs.status, count(*)
    FROM reporting_currentstatus cs
    JOIN recommendations_recommendation r ON r.id = cs.recommendation_id
    JOIN recommendations_recommendation_themes rt ON rt.recommendation_id = r.id
    WHERE cs.state_id = %(state_id)s AND r.status = 'adopted'
    GROUP BY rt.theme_id, cs.status
"""


def _list_page(where: str, order: str, limit: str, *, capped: bool = False) -> list[str]:
    """A page of recommendations, their themes and the count (stopping at 10,000 when the
    page says "more than")."""
    page = f"{_RECOMMENDATION_ROW} {where} ORDER BY {order} {limit}"
    ids = (
        "SELECT r.id FROM recommendations_recommendation r JOIN meetings_meeting m "
        f"ON m.id = r.meeting_id {where} ORDER BY {order} {limit}"
    )
    return [
        page,
        _THEMES_OF.format(ids=ids),
        (
            f"SELECT count(*) FROM (SELECT 1 FROM recommendations_recommendation r {where} "
            f"LIMIT {LIST_COUNT_CAP + 1}) capped"
            if capped
            else f"SELECT count(*) FROM recommendations_recommendation r {where}"
        ),
    ]


_PUBLIC_ORDER = 'm.ordinal DESC, r.status, r."order", r.id'
_THEME_ORDER = 'm.ordinal, r.status, r."order", r.id'
_API_ORDER = 'm.ordinal, r.status, r."order", r.id'

BASELINES: dict[str, list[str]] = {
    # --- Requests that read nothing: the statement that reads nothing ---
    "floor page": ["SELECT 1"],
    "floor api": ["SELECT 1"],
    # --- Public pages ---
    # Home: headline counts, the theme and regional-group charts of the latest snapshot, the
    # latest meeting with its counts, Protocol participation and the ten latest reports.
    "home": [
        "SELECT count(*) FILTER (WHERE status = 'adopted'), count(*) FILTER (WHERE status = "
        "'draft'), count(*) FILTER (WHERE status = 'proposed') FROM recommendations_recommendation",
        # Adopted recommendations implemented somewhere: their rows of the latest figures
        # with a share implementing.
        "SELECT count(*) FROM compliance_compliancefigure f WHERE f.snapshot_id = "
        f"{_LATEST_SNAPSHOT} AND f.dimension = 'recommendation' AND f.share_implementing > 0",
        "SELECT count(*), count(*) FILTER (WHERE EXISTS (SELECT 1 FROM reporting_currentstatus "
        "cs WHERE cs.state_id = s.id)) FROM states_state s",
        "SELECT (SELECT count(*) FROM meetings_meeting), "
        "(SELECT count(*) FROM recommendations_theme)",
        f"SELECT {_FIGURE_COLUMNS} FROM compliance_compliancefigure f WHERE f.snapshot_id = "
        f"{_LATEST_SNAPSHOT} AND f.dimension IN ('overall', 'theme', 'regional_group') "
        "ORDER BY f.dimension, f.position",
        "SELECT m.ordinal, m.year, m.start_date, (SELECT count(*) FROM "
        "recommendations_recommendation r WHERE r.meeting_id = m.id AND r.status = 'adopted') "
        "FROM meetings_meeting m ORDER BY m.ordinal DESC LIMIT 1",
        "SELECT protocol_status, count(*) FROM states_state GROUP BY protocol_status",
        "SELECT ir.id, ir.status, ir.as_of, s.code, s.name, r.label, m.ordinal "
        "FROM reporting_implementationreport ir JOIN states_state s ON s.id = ir.state_id "
        "JOIN recommendations_recommendation r ON r.id = ir.recommendation_id "
        "JOIN meetings_meeting m ON m.id = r.meeting_id WHERE ir.review_state = 'validated' "
        "ORDER BY ir.validated_at DESC, ir.id DESC LIMIT 10",
    ],
    # Recommendations: the first page of 20 (newest meeting first), their themes, the count,
    # and the meetings and themes the filter form offers.
    "recommendations": [
        *_list_page("", _PUBLIC_ORDER, _FIRST_PUBLIC_PAGE, capped=True),
        "SELECT ordinal, year FROM meetings_meeting ORDER BY ordinal",
        'SELECT slug, name FROM recommendations_theme ORDER BY "order", name',
    ],
    # The same, filtered by one theme.
    "recommendations ?theme": [
        *_list_page(f"WHERE {_IN_THEME}", _PUBLIC_ORDER, _FIRST_PUBLIC_PAGE, capped=True),
        "SELECT ordinal, year FROM meetings_meeting ORDER BY ordinal",
        'SELECT slug, name FROM recommendations_theme ORDER BY "order", name',
    ],
    # The list's word filter: the recommendations matching the words, best first, one page.
    "recommendations ?q": [SEARCH_BASELINE.replace(str(SEARCH_RESULTS), str(PUBLIC_PAGE))],
    # A recommendation: its row, themes, proposals, every State party's status on it, its
    # status history and its last 20 audit records.
    "recommendation": [
        f"{_RECOMMENDATION_ROW} WHERE r.id = %(rec)s",
        _THEMES_OF.format(ids="%(rec)s"),
        "SELECT id, label, proposer_id FROM recommendations_recommendation WHERE adopted_as_id "
        '= %(rec)s ORDER BY "order"',
        _RECOMMENDATION_STATUSES,
        _HISTORY.format(column="recommendation_id", param="rec"),
        "SELECT * FROM recommendations_historicalrecommendation WHERE id = %(rec)s "
        "ORDER BY history_date DESC, history_id DESC LIMIT 21",
    ],
    # Themes: each with its recommendations by status, its documents and its latest share
    # implementing.
    "themes": [
        'SELECT id, slug, name, key_topics FROM recommendations_theme ORDER BY "order", name',
        "SELECT rt.theme_id, r.status, count(*) FROM recommendations_recommendation_themes rt "
        "JOIN recommendations_recommendation r ON r.id = rt.recommendation_id "
        "GROUP BY rt.theme_id, r.status",
        "SELECT theme_id, count(*) FROM meetings_document_themes GROUP BY theme_id",
        f"SELECT {_FIGURE_COLUMNS} FROM compliance_compliancefigure f WHERE f.snapshot_id = "
        f"{_LATEST_SNAPSHOT} AND f.dimension = 'theme'",
    ],
    # A theme: its row, the first page of its recommendations (20, the count capped at
    # 10,000), its background papers (at most 50 and whether there are more) and its row of
    # the latest figures.
    "theme": [
        "SELECT * FROM recommendations_theme WHERE slug = %(theme)s",
        *_list_page(f"WHERE {_IN_THEME}", _THEME_ORDER, _FIRST_PUBLIC_PAGE, capped=True),
        "SELECT d.symbol, d.title, d.kind, m.ordinal FROM meetings_document d "
        "JOIN meetings_document_themes dt ON dt.document_id = d.id "
        "LEFT JOIN meetings_meeting m ON m.id = d.meeting_id "
        "WHERE dt.theme_id = %(theme_id)s ORDER BY d.symbol LIMIT 51",
        f"SELECT {_FIGURE_COLUMNS} FROM compliance_compliancefigure f WHERE f.snapshot_id = "
        f"{_LATEST_SNAPSHOT} AND f.dimension = 'theme' AND f.key = %(theme)s",
    ],
    # States: every State with its regional group and how many recommendations it reported on.
    "states": [
        "SELECT s.code, s.name, s.other_names, s.kind, s.protocol_status, g.name "
        "FROM states_state s LEFT JOIN states_regionalgroup g ON g.id = s.regional_group_id "
        "ORDER BY s.name",
        "SELECT state_id, count(*) FROM reporting_currentstatus GROUP BY state_id",
        "SELECT slug, name FROM states_regionalgroup ORDER BY name",
    ],
    # A State: its row, its scorecard (per theme and overall, how many adopted
    # recommendations it reports in each status), the first page of its status on each
    # adopted recommendation (20), its latest 10 reports, and the latest 20 meetings it
    # attended and statements it made (each with one more row, to say whether there are more).
    "state": [
        "SELECT s.*, g.name FROM states_state s LEFT JOIN states_regionalgroup g "
        "ON g.id = s.regional_group_id WHERE s.code = %(state)s",
        "SELECT count(*) FROM recommendations_recommendation WHERE status = 'adopted'",
        _STATE_BY_THEME,
        'SELECT id, slug, name FROM recommendations_theme ORDER BY "order", name',
        f"{_STATE_STATUSES} LIMIT {PUBLIC_PAGE}",
        _THEMES_OF.format(
            ids="SELECT r.id FROM recommendations_recommendation r JOIN meetings_meeting m "
            "ON m.id = r.meeting_id WHERE r.status = 'adopted' "
            f'ORDER BY m.ordinal, r."order", r.id LIMIT {PUBLIC_PAGE}'
        ),
        _HISTORY.format(column="state_id", param="state_id") + " LIMIT 11",
        "SELECT m.ordinal, m.year, p.* FROM meetings_participation p "
        "JOIN meetings_meeting m ON m.id = p.meeting_id WHERE p.state_id = %(state_id)s "
        "ORDER BY m.ordinal DESC LIMIT 21",
        "SELECT m.ordinal, st.* FROM meetings_statement st "
        "JOIN meetings_meeting m ON m.id = st.meeting_id WHERE st.state_id = %(state_id)s "
        'ORDER BY m.ordinal DESC, st."order" LIMIT 21',
    ],
    # A State's reports: its validated reports, newest first, one page of 20, and the count.
    "state reports": [
        "SELECT s.*, g.name FROM states_state s LEFT JOIN states_regionalgroup g "
        "ON g.id = s.regional_group_id WHERE s.code = %(state)s",
        _HISTORY.format(column="state_id", param="state_id") + f" LIMIT {PUBLIC_PAGE}",
        "SELECT count(*) FROM reporting_implementationreport "
        "WHERE review_state = 'validated' AND state_id = %(state_id)s",
    ],
    # Meetings: every meeting with its counts.
    "meetings": [_MEETINGS_WITH_COUNTS],
    # A meeting: its row, agenda, documents, attendance, statements and recommendations.
    "meeting": [
        "SELECT m.*, s.name FROM meetings_meeting m LEFT JOIN states_state s "
        "ON s.id = m.chair_state_id WHERE m.ordinal = %(meeting)s",
        "SELECT * FROM meetings_agendaitem WHERE meeting_id = %(meeting_id)s "
        "ORDER BY number, sub_letter",
        "SELECT symbol, title, kind FROM meetings_document WHERE meeting_id = %(meeting_id)s "
        "ORDER BY symbol",
        "SELECT p.*, s.name, o.name FROM meetings_participation p "
        "LEFT JOIN states_state s ON s.id = p.state_id "
        "LEFT JOIN meetings_organization o ON o.id = p.organization_id "
        "WHERE p.meeting_id = %(meeting_id)s",
        "SELECT st.*, s.name FROM meetings_statement st "
        "LEFT JOIN states_state s ON s.id = st.state_id "
        'WHERE st.meeting_id = %(meeting_id)s ORDER BY st."order"',
        f"{_RECOMMENDATION_ROW} WHERE r.meeting_id = %(meeting_id)s "
        'ORDER BY r.status, r."order", r.id',
        _THEMES_OF.format(
            ids="SELECT id FROM recommendations_recommendation WHERE meeting_id = %(meeting_id)s"
        ),
    ],
    # Implementation summary: the latest snapshot, its overall row, how many recommendations
    # it counts, the first rows of each dimension (50, and 250 States) and the trend of the
    # overall figures.
    "implementation": [
        f"SELECT * FROM compliance_compliancesnapshot WHERE id = {_LATEST_SNAPSHOT}",
        *[
            f"SELECT {_FIGURE_COLUMNS} FROM compliance_compliancefigure f WHERE f.snapshot_id = "
            f"{_LATEST_SNAPSHOT} AND f.dimension = '{dimension}' ORDER BY f.position "
            f"LIMIT {shown + 1}"
            for dimension, shown in _SUMMARY_SECTIONS
        ],
        "SELECT count(*) FROM compliance_compliancefigure f WHERE f.snapshot_id = "
        f"{_LATEST_SNAPSHOT} AND f.dimension = 'recommendation'",
        f"SELECT sn.sequence, sn.computed_at, {_FIGURE_COLUMNS} FROM compliance_compliancefigure"
        " f JOIN compliance_compliancesnapshot sn ON sn.id = f.snapshot_id WHERE f.dimension = "
        "'overall' ORDER BY sn.sequence DESC LIMIT 50",
    ],
    # One dimension of the summary (by recommendation), the first page of 50 rows and the count.
    "implementation by recommendation": [
        f"SELECT * FROM compliance_compliancesnapshot WHERE id = {_LATEST_SNAPSHOT}",
        "SELECT count(*) FROM compliance_compliancefigure f WHERE f.snapshot_id = "
        f"{_LATEST_SNAPSHOT} AND f.dimension = 'recommendation'",
        f"SELECT {_FIGURE_COLUMNS} FROM compliance_compliancefigure f WHERE f.snapshot_id = "
        f"{_LATEST_SNAPSHOT} AND f.dimension = 'recommendation' ORDER BY f.position LIMIT 50",
    ],
    # Search: the bare index-backed full-text query, one page of results.
    "search": [SEARCH_BASELINE],
    "search one word": [SEARCH_BASELINE.replace("%(query)s", "%(word)s")],
    # --- Downloads of the public site ---
    # The whole list as a file, a row per recommendation with its themes.
    "recommendations.csv": [_DOWNLOAD.format(where="")],
    "recommendations.xlsx": [_DOWNLOAD.format(where="")],
    "recommendations.csv ?theme": [_DOWNLOAD.format(where=f"WHERE {_IN_THEME}")],
    # The implementation figures as CSV: every figure row of the latest snapshot.
    "implementation.csv": [
        f"SELECT {_FIGURE_COLUMNS} FROM compliance_compliancefigure f WHERE f.snapshot_id = "
        f"{_LATEST_SNAPSHOT} ORDER BY f.dimension, f.position",
    ],
    # A State's profile (PDF, Word): what its page shows, without meetings and statements.
    "state profile.pdf": [
        "SELECT s.*, g.name FROM states_state s LEFT JOIN states_regionalgroup g "
        "ON g.id = s.regional_group_id WHERE s.code = %(state)s",
        _STATE_STATUSES,
        _ADOPTED_THEME_LINKS,
    ],
    "state profile.docx": [
        "SELECT s.*, g.name FROM states_state s LEFT JOIN states_regionalgroup g "
        "ON g.id = s.regional_group_id WHERE s.code = %(state)s",
        _STATE_STATUSES,
        _ADOPTED_THEME_LINKS,
    ],
    # Atom feed of adopted recommendations: the 50 the tracker most recently recorded as
    # adopted, with their meeting and themes.
    "feed recommendations": [_NEWEST_ADOPTED],
    # --- API ---
    # Lists: one page of 50 and the count; details: the row and what it nests.
    "api meetings": [_API_MEETINGS, "SELECT count(*) FROM meetings_meeting"],
    "api meeting": [
        "SELECT m.*, s.code FROM meetings_meeting m LEFT JOIN states_state s "
        "ON s.id = m.chair_state_id WHERE m.ordinal = %(meeting)s",
        "SELECT * FROM meetings_agendaitem WHERE meeting_id = %(meeting_id)s "
        "ORDER BY number, sub_letter",
        "SELECT symbol, title, kind FROM meetings_document WHERE meeting_id = %(meeting_id)s "
        "ORDER BY symbol",
    ],
    "api agenda-items": [
        "SELECT a.*, m.ordinal FROM meetings_agendaitem a JOIN meetings_meeting m "
        f"ON m.id = a.meeting_id ORDER BY m.ordinal, a.number, a.sub_letter {_FIRST_API_PAGE}",
        "SELECT count(*) FROM meetings_agendaitem",
    ],
    "api agenda-item": [
        "SELECT a.*, m.ordinal FROM meetings_agendaitem a JOIN meetings_meeting m "
        "ON m.id = a.meeting_id WHERE a.id = %(agenda_item)s",
    ],
    "api documents": [
        "SELECT d.*, m.ordinal FROM meetings_document d LEFT JOIN meetings_meeting m "
        f"ON m.id = d.meeting_id ORDER BY d.symbol {_FIRST_API_PAGE}",
        "SELECT dt.document_id, t.slug FROM meetings_document_themes dt JOIN "
        "recommendations_theme t ON t.id = dt.theme_id WHERE dt.document_id IN "
        f"(SELECT id FROM meetings_document ORDER BY symbol {_FIRST_API_PAGE})",
        "SELECT count(*) FROM meetings_document",
    ],
    "api document": [
        "SELECT d.*, m.ordinal FROM meetings_document d LEFT JOIN meetings_meeting m "
        "ON m.id = d.meeting_id WHERE d.id = %(document)s",
        "SELECT t.slug FROM meetings_document_themes dt JOIN recommendations_theme t "
        "ON t.id = dt.theme_id WHERE dt.document_id = %(document)s",
    ],
    # Themes with their recommendations counted by status (one grouped aggregate) and their
    # documents.
    "api themes": [
        'SELECT id, slug, name, key_topics FROM recommendations_theme ORDER BY "order", name',
        "SELECT rt.theme_id, r.status, count(*) FROM recommendations_recommendation_themes rt "
        "JOIN recommendations_recommendation r ON r.id = rt.recommendation_id "
        "GROUP BY rt.theme_id, r.status",
        "SELECT theme_id, count(*) FROM meetings_document_themes GROUP BY theme_id",
    ],
    "api theme": [
        "SELECT id, slug, name, key_topics FROM recommendations_theme WHERE slug = %(theme)s",
        "SELECT r.status, count(*) FROM recommendations_recommendation_themes rt "
        "JOIN recommendations_recommendation r ON r.id = rt.recommendation_id "
        "WHERE rt.theme_id = %(theme_id)s GROUP BY r.status",
        "SELECT count(*) FROM meetings_document_themes WHERE theme_id = %(theme_id)s",
    ],
    "api recommendations": _list_page("", _API_ORDER, _FIRST_API_PAGE),
    "api recommendations ?theme": _list_page(f"WHERE {_IN_THEME}", _API_ORDER, _FIRST_API_PAGE),
    "api recommendations ?search": [
        SEARCH_BASELINE,
        "SELECT count(*) FROM recommendations_recommendation r "
        "WHERE r.search_document @@ websearch_to_tsquery('english', %(query)s)",
    ],
    "api recommendation": [
        f"{_RECOMMENDATION_ROW} WHERE r.id = %(rec)s",
        _THEMES_OF.format(ids="%(rec)s"),
        "SELECT id FROM recommendations_recommendation WHERE adopted_as_id = %(rec)s",
    ],
    "api states": [
        "SELECT s.*, g.slug FROM states_state s LEFT JOIN states_regionalgroup g "
        f"ON g.id = s.regional_group_id ORDER BY s.name {_FIRST_API_PAGE}",
        "SELECT count(*) FROM states_state",
    ],
    "api state": [
        "SELECT s.*, g.slug FROM states_state s LEFT JOIN states_regionalgroup g "
        "ON g.id = s.regional_group_id WHERE s.code = %(state)s",
    ],
    "api regional-groups": [
        "SELECT g.slug, g.name, g.abbreviation, (SELECT count(*) FROM states_state s "
        "WHERE s.regional_group_id = g.id) FROM states_regionalgroup g ORDER BY g.name",
    ],
    "api regional-group": [
        "SELECT g.slug, g.name, g.abbreviation, (SELECT count(*) FROM states_state s "
        "WHERE s.regional_group_id = g.id) FROM states_regionalgroup g WHERE g.slug = %(group)s",
    ],
    "api implementation-reports": [
        "SELECT ir.id, ir.status, ir.as_of, ir.period_start, ir.period_end, ir.description, "
        "ir.source, ir.evidence_url, ir.updated_at, s.code, r.id, m.ordinal "
        "FROM reporting_implementationreport ir JOIN states_state s ON s.id = ir.state_id "
        "JOIN recommendations_recommendation r ON r.id = ir.recommendation_id "
        "JOIN meetings_meeting m ON m.id = r.meeting_id WHERE ir.review_state = 'validated' "
        f"ORDER BY ir.as_of DESC, ir.id DESC {_FIRST_API_PAGE}",
        "SELECT count(*) FROM reporting_implementationreport WHERE review_state = 'validated'",
    ],
    "api implementation-report": [
        "SELECT ir.*, s.code, r.label, m.ordinal FROM reporting_implementationreport ir "
        "JOIN states_state s ON s.id = ir.state_id "
        "JOIN recommendations_recommendation r ON r.id = ir.recommendation_id "
        "JOIN meetings_meeting m ON m.id = r.meeting_id WHERE ir.id = %(report)s",
    ],
    # A State's current status on the adopted recommendations: a page of 50 and the count.
    "api state status": [
        "SELECT id FROM states_state WHERE code = %(state)s",
        f"{_STATE_STATUSES} {_FIRST_API_PAGE}",
        "SELECT count(*) FROM recommendations_recommendation WHERE status = 'adopted'",
    ],
    # Every State party's current status on one recommendation.
    "api recommendation status": [_RECOMMENDATION_STATUSES],
    # The status matrix's first page: its pairs counted (States parties times adopted
    # recommendations), the first State party by name, the first 50 adopted recommendations
    # in meeting and report order, and that State's current statuses among them.
    "api status-matrix": [
        "SELECT (SELECT COUNT(*) FROM states_state WHERE protocol_status = 'party') * "
        "(SELECT COUNT(*) FROM recommendations_recommendation WHERE status = 'adopted')",
        "SELECT id, code, name FROM states_state WHERE protocol_status = 'party' "
        "ORDER BY name, code LIMIT 1",
        "SELECT r.id, r.label, m.ordinal FROM recommendations_recommendation r JOIN "
        "meetings_meeting m ON m.id = r.meeting_id WHERE r.status = 'adopted' "
        f'ORDER BY m.ordinal, r."order", r.id {_FIRST_API_PAGE}',
        "SELECT cs.recommendation_id, cs.status, cs.as_of FROM reporting_currentstatus cs "
        "WHERE cs.state_id = (SELECT id FROM states_state WHERE protocol_status = 'party' "
        "ORDER BY name, code LIMIT 1) AND cs.recommendation_id IN (SELECT r.id FROM "
        "recommendations_recommendation r JOIN meetings_meeting m ON m.id = r.meeting_id "
        f"WHERE r.status = 'adopted' ORDER BY m.ordinal, r.\"order\", r.id {_FIRST_API_PAGE})",
    ],
    # The whole matrix as a file: every State party x adopted recommendation.
    "api status-matrix.csv": [
        "SELECT s.code, r.label, m.ordinal, cs.status, cs.as_of FROM states_state s "
        "CROSS JOIN recommendations_recommendation r JOIN meetings_meeting m "
        "ON m.id = r.meeting_id LEFT JOIN reporting_currentstatus cs ON cs.state_id = s.id "
        "AND cs.recommendation_id = r.id WHERE s.protocol_status = 'party' AND r.status = "
        "'adopted' ORDER BY s.name, m.ordinal, r.\"order\"",
    ],
    "api recommendations.csv": [_DOWNLOAD.format(where="")],
    # The latest snapshot and its overall figures (the other dimensions have their own
    # paged address), and the overall figures across snapshots.
    "api compliance": [
        f"SELECT sn.*, {_FIGURE_COLUMNS} FROM compliance_compliancesnapshot sn "
        "JOIN compliance_compliancefigure f ON f.snapshot_id = sn.id "
        f"WHERE sn.id = {_LATEST_SNAPSHOT} AND f.dimension = 'overall'",
    ],
    # One dimension of the latest figures, a page of 50, and the count.
    "api compliance figures": [
        f"SELECT * FROM compliance_compliancesnapshot WHERE id = {_LATEST_SNAPSHOT}",
        "SELECT count(*) FROM compliance_compliancefigure f WHERE f.snapshot_id = "
        f"{_LATEST_SNAPSHOT} AND f.dimension = 'recommendation'",
        f"SELECT {_FIGURE_COLUMNS} FROM compliance_compliancefigure f WHERE f.snapshot_id = "
        f"{_LATEST_SNAPSHOT} AND f.dimension = 'recommendation' ORDER BY f.position "
        f"{_FIRST_API_PAGE}",
    ],
    # Every row of one dimension of the latest figures, as CSV.
    "api compliance figures.csv": [
        f"SELECT {_FIGURE_COLUMNS} FROM compliance_compliancefigure f WHERE f.snapshot_id = "
        f"{_LATEST_SNAPSHOT} AND f.dimension = 'recommendation' ORDER BY f.position",
    ],
    "api compliance history": [
        f"SELECT sn.sequence, sn.computed_at, {_FIGURE_COLUMNS} FROM compliance_compliancefigure"
        " f JOIN compliance_compliancesnapshot sn ON sn.id = f.snapshot_id WHERE f.dimension = "
        f"'overall' ORDER BY sn.sequence DESC {_FIRST_API_PAGE}",
        "SELECT count(*) FROM compliance_compliancefigure WHERE dimension = 'overall'",
    ],
}
BASELINES["api status-matrix.xlsx"] = BASELINES["api status-matrix.csv"]


def run_baseline(cursor: Any, statements: Sequence[str], params: dict[str, Any]) -> int:
    """Run the statements in order, fetching every row; return how many rows came back."""
    rows = 0
    for sql in statements:
        cursor.execute(sql, params)
        rows += len(cursor.fetchall())
    return rows


def count_baseline_rows(
    cursor: Any, statements: Sequence[str], params: dict[str, Any], *, limit: int
) -> int:
    """How many rows the statements return, counting no further than `limit` + 1 each."""
    rows = 0
    for sql in statements:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM ({sql}) AS q LIMIT {limit + 1}) AS counted",
            params,
        )
        rows += cursor.fetchone()[0]
    return rows


def timed_baseline(cursor: Any, statements: Sequence[str], params: dict[str, Any]) -> float:
    """Seconds one run of the statements takes, rows fetched included."""
    started = time.perf_counter()
    run_baseline(cursor, statements, params)
    return time.perf_counter() - started
