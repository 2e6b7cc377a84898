"""Every public page, API endpoint, download, search and the compliance snapshot, at two sizes.

`make bench-scale` (`.venv/bin/python -m benchmarks.scale`) measures, in one process, each
endpoint against the PostgreSQL database of each size (S and L by default: the databases
`make bench-data SIZE=S|L` fills), through Django's test client with production-like
settings (benchmarks/settings.py: debug off, no rate limit, local-memory cache). Per endpoint:

- queries: how many one request sends (counted on a warm request);
- the median and 95th percentile of N warm requests (`--requests`, after `--warmups`);
- L/S: the median at the larger size over the median at the smaller;
- vs base: the median over that of the hand-written SQL that returns the same rows
  (benchmarks/scale_baselines.py), run on the same connection and interleaved with the
  requests (request, baseline, request, baseline, ...), so both see the same machine;
- vs base + floor: the median over the baseline plus the median of a request of the same
  kind that reads nothing (the "floor" rows: the sign-in page for pages, the API root for
  the API), which is what Django, its middleware and a template cost whatever the data.

Then the snapshot (time against the single GROUP BY computing the same figures, the worker's
peak memory in a subprocess, the bytes one snapshot adds to the figure table) and the API's
recommendations list through gunicorn (one worker) against Datasette serving the same rows
from SQLite, with the same client. The table is printed and written to `--output`. ✗ marks a
missed target of the scale issue; the exit status is non-zero only when something failed (a
page answering other than 200, a database that cannot be reached), never for a missed target.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASES = {
    "XS": "postgres://postgres@127.0.0.1:5432/wgsom_bench_xs",
    "S": "postgres://postgres@127.0.0.1:5432/wgsom_bench_s",
    "L": "postgres://postgres@127.0.0.1:5432/wgsom_bench_l",
}
SEARCH_WORDS = "joint investigations"
# One common word: never narrowed to the records holding every word (docs/search.md).
SEARCH_WORD = "smuggling"

# The targets.
MAX_RATIO = 3.0  # page or API request against its SQL baseline
MAX_PAGE_QUERIES = 12
MAX_API_QUERIES = 6
MAX_GROWTH = 1.2  # L/S, for endpoints that show a bounded amount of data
MAX_SEARCH_RATIO = 2.0
MAX_SNAPSHOT_RATIO = 1.5
MAX_MEMORY_GROWTH = 1.2  # "flat": the snapshot's peak memory at L over S
INDICATIVE_PAGE_MS = 100.0


@dataclass(frozen=True)
class Endpoint:
    """One address to measure. `kind` is page, api, download or search (search endpoints are
    compared with the bare index-backed query, within 2x); `bounded` says the answer holds at
    most a fixed amount of data (a page of a list, one record), so it should not slow down
    as the database grows. The baseline of the same name is in scale_baselines.BASELINES."""

    name: str
    path: str
    kind: str
    bounded: bool = True

    def url(self, sample: dict[str, Any]) -> str:
        return self.path.format(**sample)

    @property
    def max_queries(self) -> int | None:
        if self.kind in {"api", "search_api"}:
            return MAX_API_QUERIES
        if self.kind in {"page", "search"}:
            return MAX_PAGE_QUERIES
        return None

    @property
    def max_ratio(self) -> float:
        return MAX_SEARCH_RATIO if self.kind.startswith("search") else MAX_RATIO


P, A, D, SP, SA = "page", "api", "download", "search", "search_api"
# A request of each kind that sends no query: what a page or an API answer costs before it
# reads anything, measured with the rest.
FLOOR_OF_KIND = {P: "floor page", SP: "floor page", A: "floor api", SA: "floor api"}
ENDPOINTS: list[Endpoint] = [
    # Never flagged for growth: they read nothing, so any difference is the machine's.
    Endpoint("floor page", "/accounts/login/", "floor", bounded=False),
    Endpoint("floor api", "/api/v1/", "floor", bounded=False),
    # Public pages (public/urls.py, compliance/urls.py, wgsom/urls.py).
    Endpoint("home", "/", P),
    Endpoint("recommendations", "/recommendations/", P),
    Endpoint("recommendations ?theme", "/recommendations/?theme={theme}", P),
    Endpoint("recommendations ?q", "/recommendations/?q={query_url}", SP),
    Endpoint("recommendation", "/recommendations/{rec}/", P),
    Endpoint("themes", "/themes/", P),
    Endpoint("theme", "/themes/{theme}/", P),
    Endpoint("states", "/states/", P),
    Endpoint("state", "/states/{state}/", P),
    Endpoint("state reports", "/states/{state}/reports/", P),
    # The first page of meetings.
    Endpoint("meetings", "/meetings/", P),
    # A meeting's record: as large at L as at S (a meeting holds about 100 recommendations).
    Endpoint("meeting", "/meetings/{meeting}/", P),
    Endpoint("implementation", "/implementation/", P),
    Endpoint("implementation by recommendation", "/implementation/by-recommendation/", P),
    Endpoint("search", "/search/?q={query_url}", SP),
    Endpoint("search one word", "/search/?q={word_url}", SP),
    Endpoint("feed recommendations", "/feeds/recommendations/", P),
    # Downloads: the whole selection, so never bounded.
    Endpoint("recommendations.csv", "/recommendations/download.csv", D, bounded=False),
    Endpoint("recommendations.xlsx", "/recommendations/download.xlsx", D, bounded=False),
    Endpoint(
        "recommendations.csv ?theme",
        "/recommendations/download.csv?theme={theme}",
        D,
        bounded=False,
    ),
    Endpoint("implementation.csv", "/implementation/implementation.csv", D, bounded=False),
    Endpoint("state profile.pdf", "/states/{state}/profile.pdf", D, bounded=False),
    Endpoint("state profile.docx", "/states/{state}/profile.docx", D, bounded=False),
    # The API (wgsom/api_urls.py, compliance/api_urls.py): lists are pages of 50.
    Endpoint("api meetings", "/api/v1/meetings/", A),
    Endpoint("api meeting", "/api/v1/meetings/{meeting}/", A),
    Endpoint("api agenda-items", "/api/v1/agenda-items/", A),
    Endpoint("api agenda-item", "/api/v1/agenda-items/{agenda_item}/", A),
    Endpoint("api documents", "/api/v1/documents/", A),
    Endpoint("api document", "/api/v1/documents/{document}/", A),
    Endpoint("api themes", "/api/v1/themes/", A),
    Endpoint("api theme", "/api/v1/themes/{theme}/", A),
    Endpoint("api recommendations", "/api/v1/recommendations/", A),
    Endpoint("api recommendations ?theme", "/api/v1/recommendations/?theme={theme}", A),
    Endpoint("api recommendations ?search", "/api/v1/recommendations/?search={query_url}", SA),
    Endpoint("api recommendation", "/api/v1/recommendations/{rec}/", A),
    Endpoint("api states", "/api/v1/states/", A),
    Endpoint("api state", "/api/v1/states/{state}/", A),
    Endpoint("api regional-groups", "/api/v1/regional-groups/", A),
    Endpoint("api regional-group", "/api/v1/regional-groups/{group}/", A),
    Endpoint("api implementation-reports", "/api/v1/implementation-reports/", A),
    Endpoint("api implementation-report", "/api/v1/implementation-reports/{report}/", A),
    Endpoint("api state status", "/api/v1/states/{state}/status/", A),
    Endpoint("api recommendation status", "/api/v1/recommendations/{rec}/status/", A),
    # The first page of 50 (State party, adopted recommendation) pairs.
    Endpoint("api status-matrix", "/api/v1/status-matrix/", A),
    Endpoint("api compliance", "/api/v1/compliance/", A),
    Endpoint("api compliance history", "/api/v1/compliance/history/", A),
    Endpoint("api compliance figures", "/api/v1/compliance/figures/?dimension=recommendation", A),
    Endpoint(
        "api compliance figures.csv",
        "/api/v1/compliance/figures.csv?dimension=recommendation",
        D,
        bounded=False,
    ),
    Endpoint("api recommendations.csv", "/api/v1/recommendations.csv", D, bounded=False),
    Endpoint("api status-matrix.csv", "/api/v1/status-matrix.csv", D, bounded=False),
    Endpoint("api status-matrix.xlsx", "/api/v1/status-matrix.xlsx", D, bounded=False),
]


# --- Django, on one database at a time ----------------------------------------------------


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    os.environ.setdefault("DJANGO_READ_DOT_ENV_FILE", "false")
    import django

    django.setup()


def use_database(database_url: str) -> None:
    """Point the default connection at another database (same server or not), and forget what
    the cache held from the previous one."""
    import environ
    from django.core.cache import cache
    from django.db import connections

    config = environ.Env.db_url_config(database_url)
    # Every alias (a read replica's included) reads the database measured.
    for connection in connections.all():
        connection.close()
        for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT"):
            connection.settings_dict[key] = config.get(key, "")
        # One connection for the whole run, as a production worker keeps (CONN_MAX_AGE): the
        # test client's request signals would otherwise reconnect for every request.
        connection.settings_dict["CONN_MAX_AGE"] = None
    cache.clear()


def pick_sample(query: str = SEARCH_WORDS) -> dict[str, Any]:
    """The records the detail addresses show, chosen the same way in every database: the
    first theme, the State party and the adopted recommendation with the most current
    statuses, the latest meeting with adopted recommendations, its first agenda item and
    document, the first regional group and the latest validated report."""
    from urllib.parse import quote_plus

    from django.db import connection

    def one(sql: str) -> Any:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            row = cursor.fetchone()
        if row is None:
            raise LookupError(f"nothing found by: {sql}")
        return row

    theme_id, theme = one(
        'SELECT id, slug FROM recommendations_theme ORDER BY "order", name LIMIT 1'
    )
    state_id, state = one(
        "SELECT s.id, s.code FROM states_state s WHERE s.protocol_status = 'party' "
        "ORDER BY (SELECT count(*) FROM reporting_currentstatus cs WHERE cs.state_id = s.id) "
        "DESC, s.code LIMIT 1"
    )
    (rec,) = one(
        "SELECT r.id FROM recommendations_recommendation r WHERE r.status = 'adopted' "
        "ORDER BY (SELECT count(*) FROM reporting_currentstatus cs "
        "WHERE cs.recommendation_id = r.id) DESC, r.id LIMIT 1"
    )
    meeting_id, meeting = one(
        "SELECT m.id, m.ordinal FROM meetings_meeting m WHERE EXISTS (SELECT 1 FROM "
        "recommendations_recommendation r WHERE r.meeting_id = m.id AND r.status = 'adopted') "
        "ORDER BY m.ordinal DESC LIMIT 1"
    )
    (agenda_item,) = one("SELECT id FROM meetings_agendaitem ORDER BY meeting_id DESC, id LIMIT 1")
    (document,) = one("SELECT id FROM meetings_document ORDER BY symbol LIMIT 1")
    (group,) = one("SELECT slug FROM states_regionalgroup ORDER BY name LIMIT 1")
    (report,) = one(
        "SELECT id FROM reporting_implementationreport WHERE review_state = 'validated' "
        "ORDER BY validated_at DESC, id DESC LIMIT 1"
    )
    return {
        "theme": theme,
        "theme_id": theme_id,
        "state": state,
        "state_id": state_id,
        "rec": rec,
        "meeting": meeting,
        "meeting_id": meeting_id,
        "agenda_item": agenda_item,
        "document": document,
        "group": group,
        "report": report,
        "query": query,
        "query_url": quote_plus(query),
        "word": SEARCH_WORD,
        "word_url": quote_plus(SEARCH_WORD),
    }


def missing_migrations() -> list[str]:
    """The migrations of this checkout that the database lacks (a database generated before
    a migration was added): its pages may still answer, but writes, the snapshot's among
    them, can fail."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def database_counts() -> dict[str, int]:
    """The size of a database, in the rows that drive the pages."""
    from django.db import connection

    tables = {
        "recommendations": "recommendations_recommendation",
        "States": "states_state",
        "reports": "reporting_implementationreport",
        "current statuses": "reporting_currentstatus",
        "meetings": "meetings_meeting",
    }
    with connection.cursor() as cursor:
        counts = {}
        for label, table in tables.items():
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[label] = cursor.fetchone()[0]
    return counts


# --- Measuring ----------------------------------------------------------------------------


@dataclass
class Measurement:
    endpoint: Endpoint
    url: str
    queries: int = 0
    page: list[float] = field(default_factory=list)  # seconds
    base: list[float] = field(default_factory=list)
    error: str = ""
    skipped: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.page) if self.page else float("nan")

    @property
    def p95(self) -> float:
        return percentile(self.page, 0.95)

    @property
    def base_median(self) -> float:
        return statistics.median(self.base) if self.base else float("nan")

    @property
    def ratio(self) -> float:
        base = self.base_median
        return self.median / base if base else float("nan")


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (the maximum of fewer than 20 values for the 95th)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))  # ceil
    return ordered[min(len(ordered), int(rank)) - 1]


class RequestFailed(Exception):
    """An address answered other than 200."""


def _request(client: Any, url: str) -> float:
    """Seconds of one GET, the body read to its end (streamed files included); RequestFailed
    when the answer is not a 200."""
    started = time.perf_counter()
    response = client.get(url, headers={"accept-language": "en"})
    if response.streaming:
        response.getvalue()  # the test client closes the response once read to its end
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        # The test client keeps the exception of a 500: say what broke.
        exc_info = getattr(response, "exc_info", None)
        detail = f": {exc_info[0].__name__}: {exc_info[1]}" if exc_info else ""
        raise RequestFailed(f"HTTP {response.status_code}{detail}")
    return elapsed


def measure(
    client: Any,
    endpoint: Endpoint,
    sample: dict[str, Any],
    *,
    requests: int,
    warmups: int,
    budget: float = float("inf"),
    max_download_rows: int | None = None,
) -> Measurement:
    """Count the queries of one warm request, then time `requests` requests, each followed by
    one run of the endpoint's SQL baseline on the same connection.

    A download whose baseline returns more than `max_download_rows` rows is skipped (a
    250,000-row spreadsheet takes minutes and gigabytes through the test client), and once
    `budget` seconds are spent on an endpoint no further request is started (at least one is
    timed): the table then shows how many were.
    """
    from django.db import connection, connections
    from django.test.utils import CaptureQueriesContext

    from benchmarks.scale_baselines import (
        BASELINES,
        count_baseline_rows,
        run_baseline,
        timed_baseline,
    )

    url = endpoint.url(sample)
    result = Measurement(endpoint, url)
    statements = BASELINES[endpoint.name]
    began = time.perf_counter()

    def spent() -> bool:
        return time.perf_counter() - began > budget

    try:
        if endpoint.kind == D and max_download_rows is not None:
            # Counted without fetching: a whole status matrix at L is 44 million rows.
            with connection.cursor() as cursor:
                rows = count_baseline_rows(cursor, statements, sample, limit=max_download_rows)
            if rows > max_download_rows:
                result.skipped = f"skipped: over {max_download_rows:,} rows"
                return result
        with connection.cursor() as cursor:
            run_baseline(cursor, statements, sample)  # warm, as the page will be
        for _ in range(warmups):
            _request(client, url)
            if spent():
                break
        with contextlib.ExitStack() as stack:
            # Whichever alias a router sends a query to (a read replica's), it counts: the
            # warm-ups have opened the connections the request uses.
            aliases = {"default", *(c.alias for c in connections.all() if c.connection)}
            captured = [
                stack.enter_context(CaptureQueriesContext(connections[alias]))
                for alias in sorted(aliases)
            ]
            _request(client, url)
        result.queries = sum(len(context) for context in captured)
        with connection.cursor() as cursor:
            for _ in range(requests):
                result.page.append(_request(client, url))
                result.base.append(timed_baseline(cursor, statements, sample))
                if spent():
                    break
    except RequestFailed as exc:
        result.error = str(exc).splitlines()[0][:160]
    except Exception as exc:  # reported in the table; the run goes on
        result.error = f"{type(exc).__name__}: {exc}".splitlines()[0][:160]
        connection.close()  # a failed statement leaves the connection unusable otherwise
    return result


def make_client() -> Any:
    from django.test import Client

    # Errors become 500 answers in the table, not an exception that ends the run.
    return Client(raise_request_exception=False)


def measure_endpoints(
    endpoints: Iterable[Endpoint],
    sample: dict[str, Any],
    *,
    requests: int,
    warmups: int,
    budget: float = float("inf"),
    max_download_rows: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Measurement]:
    """Measure each endpoint on the current database (see `measure`)."""
    client = make_client()
    results = {}
    for endpoint in endpoints:
        results[endpoint.name] = m = measure(
            client,
            endpoint,
            sample,
            requests=requests,
            warmups=warmups,
            budget=budget,
            max_download_rows=max_download_rows,
        )
        if progress:
            figures = f"{m.median * 1000:9.1f} ms  x{m.ratio:5.1f}  n={len(m.page)}"
            progress(f"  {endpoint.name:32} {m.error or m.skipped or figures}")
    return results


# --- The snapshot ---------------------------------------------------------------------------


@dataclass
class SnapshotFigures:
    median: float = float("nan")
    base_median: float = float("nan")
    peak_python_bytes: int = 0
    max_rss_kb: int = 0
    rss_growth_kb: int = 0
    worker_seconds: float = float("nan")
    bytes_added: int = 0
    rows_added: int = 0
    error: str = ""

    @property
    def ratio(self) -> float:
        return self.median / self.base_median if self.base_median else float("nan")


def snapshot_worker() -> None:
    """In a subprocess of its own (`--snapshot-worker`): compute and store one snapshot, as the
    Celery task does, and print its time, peak Python memory and the process's peak RSS."""
    from compliance.models import SnapshotTrigger
    from compliance.services import compliance_snapshot_compute

    high_water_before = _high_water_kb()
    tracemalloc.start()
    started = time.perf_counter()
    outcome = compliance_snapshot_compute(trigger=SnapshotTrigger.MANUAL, force=True)
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "peak_python_bytes": peak,
                # This process's own peak: ru_maxrss would keep the parent's across exec.
                "max_rss_kb": _high_water_kb(),
                # What the snapshot added to the process's peak, C allocations (the database
                # driver's result buffers) included, which tracemalloc does not see.
                "rss_growth_kb": _high_water_kb() - high_water_before,
                "snapshot": outcome.snapshot.pk if outcome.snapshot else None,
            }
        )
    )


def _high_water_kb() -> int:
    """The process's peak resident memory so far (Linux's VmHWM), in kilobytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def measure_snapshot(database_url: str, *, requests: int) -> SnapshotFigures:
    """The snapshot computed `requests` times (each rolled back, so the history is not
    flooded) interleaved with the single GROUP BY; then one stored by a worker subprocess,
    with its peak memory and the bytes it added to the figure and snapshot tables."""
    from django.db import connection, transaction

    from benchmarks.scale_baselines import SNAPSHOT_BASELINE, timed_baseline
    from compliance.models import SnapshotTrigger
    from compliance.services import compliance_snapshot_compute

    figures = SnapshotFigures()
    times, base = [], []

    class Rollback(Exception):
        pass

    try:
        for attempt in range(requests + 1):
            started = time.perf_counter()
            try:
                with transaction.atomic():
                    compliance_snapshot_compute(trigger=SnapshotTrigger.MANUAL, force=True)
                    elapsed = time.perf_counter() - started
                    raise Rollback
            except Rollback:
                pass
            with connection.cursor() as cursor:
                base_elapsed = timed_baseline(cursor, [SNAPSHOT_BASELINE], {})
            if attempt:  # the first of each is a warm-up
                times.append(elapsed)
                base.append(base_elapsed)
        figures.median = statistics.median(times)
        figures.base_median = statistics.median(base)

        size_sql = (
            "SELECT pg_total_relation_size('compliance_compliancefigure') + "
            "pg_total_relation_size('compliance_compliancesnapshot'), "
            "(SELECT count(*) FROM compliance_compliancefigure)"
        )
        with connection.cursor() as cursor:
            cursor.execute(size_sql)
            size_before, rows_before = cursor.fetchone()
        env = {**os.environ, "DATABASE_URL": database_url}
        worker = subprocess.run(
            [sys.executable, "-m", "benchmarks.scale", "--snapshot-worker"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if worker.returncode:
            last = (worker.stderr.strip().splitlines() or ["no output"])[-1]
            raise RuntimeError(f"snapshot worker failed: {last}")
        report = json.loads(worker.stdout.strip().splitlines()[-1])
        with connection.cursor() as cursor:
            cursor.execute(size_sql)
            size_after, rows_after = cursor.fetchone()
        figures.peak_python_bytes = report["peak_python_bytes"]
        figures.max_rss_kb = report["max_rss_kb"]
        figures.rss_growth_kb = report["rss_growth_kb"]
        figures.worker_seconds = report["seconds"]
        figures.bytes_added = size_after - size_before
        figures.rows_added = rows_after - rows_before
    except Exception as exc:  # reported in the table; the run goes on
        figures.error = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
    return figures


# --- Datasette beside the API -----------------------------------------------------------------


@dataclass
class Throughput:
    label: str
    requests_per_second: float = float("nan")
    median: float = float("nan")
    errors: int = 0


@dataclass
class DatasetteComparison:
    rows: int = 0
    theme_rows: int = 0
    # Whether both servers' first pages held the same recommendations, in the same order.
    same_rows: list[bool] = field(default_factory=list)
    results: list[tuple[Throughput, Throughput]] = field(default_factory=list)
    error: str = ""


# The API list's rows as its serializer writes them (recommendations/serializers.py,
# RecommendationListSerializer), in its default order, read with SQL: serializing 250,000 rows
# through the API would take longer than the comparison itself. `compare_with_datasette`
# checks that the first pages of both servers hold the same ids, so a drift shows.
EXPORT_SQL = """
    SELECT r.id, m.ordinal AS meeting, m.year, r.status, r.label,
           CASE WHEN r.status = 'proposed' THEN 'Proposal ' ELSE 'Recommendation ' END
               || r.label AS display_label,
           r.section,
           CASE WHEN a.id IS NULL THEN NULL WHEN a.sub_letter <> ''
                THEN a.number || ' (' || a.sub_letter || ')' ELSE a.number::text END
               AS agenda_item,
           r.text, 'en' AS text_language, r.source AS text_source, r.addressee, r.strength,
           COALESCE((SELECT json_agg(t.slug ORDER BY t."order", t.name)
                     FROM recommendations_recommendation_themes rt
                     JOIN recommendations_theme t ON t.id = rt.theme_id
                     WHERE rt.recommendation_id = r.id), '[]')::text AS themes,
           p.code AS proposer, r.adopted_as_id AS adopted_as,
           'http://testserver/api/v1/recommendations/' || r.id || '/' AS url,
           'http://testserver/api/v1/recommendations/' || r.id || '/status/' AS status_url,
           r.updated_at::text AS updated_at
    FROM recommendations_recommendation r
    JOIN meetings_meeting m ON m.id = r.meeting_id
    LEFT JOIN meetings_agendaitem a ON a.id = r.agenda_item_id
    LEFT JOIN states_state p ON p.id = r.proposer_id
    ORDER BY m.ordinal, r.status, r."order", r.id
"""


def export_api_rows(sqlite_path: Path) -> int:
    """Every row of the API's recommendations list, in its order, into a SQLite table
    `recommendations` (`position` is the API's order, so Datasette's first page is the API's);
    themes as a JSON array, which Datasette filters with `themes__arraycontains`."""
    from django.db import connection

    sqlite_path.unlink(missing_ok=True)
    rows = 0
    with sqlite3.connect(sqlite_path) as db, connection.chunked_cursor() as cursor:
        cursor.execute(EXPORT_SQL)
        batch = cursor.fetchmany(5000)
        # A server-side cursor describes its columns once the first rows are fetched.
        columns = [column[0] for column in cursor.description]
        quoted = ", ".join(f'"{name}"' for name in columns)
        db.execute(f"CREATE TABLE recommendations (position INTEGER PRIMARY KEY, {quoted})")
        insert = f"INSERT INTO recommendations VALUES (?, {', '.join('?' for _ in columns)})"
        while batch:
            db.executemany(insert, [(rows + n, *row) for n, row in enumerate(batch)])
            rows += len(batch)
            batch = cursor.fetchmany(5000)
    return rows


def hammer(port: int, path: str, *, clients: int, total: int) -> Throughput:
    """`total` GETs of `path` shared by `clients` threads on kept-alive connections."""
    durations: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def run(count: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for _ in range(count):
            started = time.perf_counter()
            try:
                connection.request(
                    "GET", path, headers={"Host": "127.0.0.1", "Accept": "application/json"}
                )
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            elapsed = time.perf_counter() - started
            with lock:
                if ok:
                    durations.append(elapsed)
                else:
                    errors[0] += 1
        connection.close()

    shares = [total // clients + (1 if n < total % clients else 0) for n in range(clients)]
    threads = [threading.Thread(target=run, args=(share,)) for share in shares]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return Throughput(
        path,
        requests_per_second=len(durations) / elapsed if elapsed else float("nan"),
        median=statistics.median(durations) if durations else float("nan"),
        errors=errors[0],
    )


def first_page_ids(port: int, path: str, key: str) -> list[int]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1", "Accept": "application/json"})
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RequestFailed(f"{path} answered {response.status}")
        return [row["id"] for row in json.loads(body)[key]]
    finally:
        connection.close()


def compare_with_datasette(
    database_url: str, sample: dict[str, Any], *, folder: Path, clients: int, total: int
) -> DatasetteComparison:
    """The API list (first page of 50, unfiltered and by one theme) through gunicorn with one
    worker, against Datasette's JSON of the same rows and page size, same client, same run."""
    from benchmarks.servers import django_environment, free_port, gunicorn_command, running

    comparison = DatasetteComparison()
    try:
        sqlite_path = folder / "bench.db"
        comparison.rows = export_api_rows(sqlite_path)
        with sqlite3.connect(sqlite_path) as db:
            comparison.theme_rows = db.execute(
                "SELECT count(*) FROM recommendations, json_each(recommendations.themes) "
                "WHERE json_each.value = ?",
                [sample["theme"]],
            ).fetchone()[0]
        env = {
            **django_environment(folder),
            "DATABASE_URL": database_url,
            "API_THROTTLE_ANON": "off",
            "API_THROTTLE_USER": "off",
            # Connections kept between requests, as a production worker is configured.
            "DJANGO_CONN_MAX_AGE": "60",
            "GUNICORN_WORKERS": "1",
        }
        api_port, datasette_port = free_port(), free_port()
        datasette = [
            str(Path(sys.executable).with_name("datasette")),
            "serve",
            "--immutable",
            str(sqlite_path),
            "--host",
            "127.0.0.1",
            "--port",
            str(datasette_port),
            "--setting",
            "default_page_size",
            "50",
            # As a tuned deployment would: no facet suggestions computed on every table page.
            "--setting",
            "suggest_facets",
            "off",
        ]
        theme = sample["theme"]
        pairs = [
            (
                "/api/v1/recommendations/?page_size=50",
                "/bench/recommendations.json?_size=50&_shape=objects",
            ),
            (
                f"/api/v1/recommendations/?page_size=50&theme={theme}",
                "/bench/recommendations.json?_size=50&_shape=objects"
                f"&themes__arraycontains={theme}",
            ),
        ]
        with (
            running(
                gunicorn_command(api_port, workers=1),
                env,
                f"http://127.0.0.1:{api_port}/api/v1/",
            ),
            running(datasette, env, f"http://127.0.0.1:{datasette_port}/-/versions.json"),
        ):
            for api_path, datasette_path in pairs:
                comparison.same_rows.append(
                    first_page_ids(api_port, api_path, "results")
                    == first_page_ids(datasette_port, datasette_path, "rows")
                )
                # A warm-up round for both, then the measured one.
                hammer(api_port, api_path, clients=clients, total=clients * 2)
                hammer(datasette_port, datasette_path, clients=clients, total=clients * 2)
                comparison.results.append(
                    (
                        hammer(api_port, api_path, clients=clients, total=total),
                        hammer(datasette_port, datasette_path, clients=clients, total=total),
                    )
                )
    except (Exception, SystemExit) as exc:
        comparison.error = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
    return comparison


# --- The report -------------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    return "-" if seconds != seconds else f"{seconds * 1000:.1f}"  # NaN check


def _flag(ok: bool) -> str:
    return "" if ok else " ✗"


def markdown_table(
    results: dict[str, dict[str, Measurement]], sizes: Sequence[str], *, requests: int = 1
) -> str:
    """The table of the issue: endpoint | queries | per size median and p95 | growth | ratio
    to the baseline at the largest size. ✗ marks a missed target."""
    small, large = sizes[0], sizes[-1]
    two = len(sizes) > 1
    header = ["endpoint", "queries"]
    for size in sizes:
        header += [f"{size} median ms", f"{size} p95 ms"]
    if two:
        header.append(f"{large}/{small}")
    header += [f"{large} vs base", f"{large} vs base + floor"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    names = list(results[large])
    for name in names:
        per_size = [results[size].get(name) for size in sizes]
        last = results[large][name]
        endpoint = last.endpoint
        counts = [m.queries for m in per_size if m is not None and m.page]
        queries = "/".join(str(n) for n in dict.fromkeys(counts)) or "-"
        limit = endpoint.max_queries
        if limit is not None and counts and max(counts) > limit:
            queries += " ✗"
        row = [f"{name} (`{last.url}`)", queries]
        for m in per_size:
            if m is None or m.error:
                row += [f"**{m.error if m else 'not run'}**", ""]
            elif m.skipped:
                row += [m.skipped, ""]
            else:
                fewer = f" (n={len(m.page)})" if len(m.page) < requests else ""
                row += [_ms(m.median) + fewer, _ms(m.p95)]
        first = per_size[0]
        if two:
            if not (last.page and first and first.page):
                row.append("-")
            else:
                growth = last.median / first.median
                row.append(
                    f"{growth:.2f}" + (_flag(growth <= MAX_GROWTH) if endpoint.bounded else "")
                )
        floor = results[large].get(FLOOR_OF_KIND.get(endpoint.kind, ""))
        if endpoint.kind == "floor":
            row += ["(the floor)", "-"]
        elif not last.page:
            row += ["-", "-"]
        else:
            row.append(f"{last.ratio:.1f}x" + _flag(last.ratio <= endpoint.max_ratio))
            if floor is None or not floor.page:
                row.append("-")
            else:
                ratio = last.median / (last.base_median + floor.median)
                row.append(f"{ratio:.1f}x" + _flag(ratio <= endpoint.max_ratio))
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def summary_lines(
    results: dict[str, dict[str, Measurement]],
    snapshots: dict[str, SnapshotFigures],
    datasette: dict[str, DatasetteComparison],
    sizes: Sequence[str],
) -> list[str]:
    small, large = sizes[0], sizes[-1]
    lines = []
    for name in ("search", "search one word", "api recommendations ?search", "recommendations ?q"):
        m = results[large].get(name)
        if m is not None and m.page:
            lines.append(
                f"- Search `{m.url}` at {large}: {_ms(m.median)} ms against "
                f"{_ms(m.base_median)} ms for the bare GIN tsquery: {m.ratio:.1f}x"
                + _flag(m.ratio <= MAX_SEARCH_RATIO)
                + f" (target {MAX_SEARCH_RATIO:g}x)"
            )
    for size in sizes:
        snap = snapshots.get(size)
        if snap is None:
            continue
        if snap.error:
            lines.append(f"- Snapshot at {size}: **{snap.error}**")
            continue
        lines.append(
            f"- Snapshot at {size}: {_ms(snap.median)} ms (rolled back) against "
            f"{_ms(snap.base_median)} ms for the single GROUP BY: {snap.ratio:.1f}x"
            + _flag(snap.ratio <= MAX_SNAPSHOT_RATIO)
            + f" (target {MAX_SNAPSHOT_RATIO:g}x); worker: {snap.worker_seconds:.2f} s, peak "
            f"Python memory {snap.peak_python_bytes / 2**20:.1f} MiB, peak RSS "
            f"{snap.max_rss_kb / 1024:.0f} MiB of which {snap.rss_growth_kb / 1024:.1f} MiB "
            f"during the snapshot; one snapshot added {snap.rows_added} figure "
            f"rows, {snap.bytes_added / 1024:.0f} KiB"
        )
    first, last = snapshots.get(small), snapshots.get(large)
    if len(sizes) > 1 and first and last and not (first.error or last.error):
        # Flat: the larger of Python's peak and the process's growth, at L over S (a few MiB
        # of slack, so that noise at a tiny S does not read as growth).
        def footprint(snap: SnapshotFigures) -> float:
            return max(snap.peak_python_bytes / 2**20, snap.rss_growth_kb / 1024, 4.0)

        growth = footprint(last) / footprint(first)
        lines.append(
            f"- Snapshot peak memory {large}/{small}: {growth:.2f}"
            + _flag(growth <= MAX_MEMORY_GROWTH)
            + f" (flat: at most {MAX_MEMORY_GROWTH})"
        )
    for size, comparison in datasette.items():
        if comparison.error:
            lines.append(f"- Datasette at {size}: **{comparison.error}**")
            continue
        for (api, other), same in zip(comparison.results, comparison.same_rows, strict=False):
            ratio = (
                api.requests_per_second / other.requests_per_second
                if other.requests_per_second
                else float("nan")
            )
            lines.append(
                f"- API vs Datasette at {size} ({comparison.rows} rows exported, "
                f"{comparison.theme_rows} in the theme): `{api.label}` "
                f"{api.requests_per_second:.0f} req/s, median {_ms(api.median)} ms; "
                f"`{other.label}` {other.requests_per_second:.0f} req/s, median "
                f"{_ms(other.median)} ms; API/Datasette throughput {ratio:.2f}"
                + _flag(ratio > 1)
                + ("" if same else " (**the first pages differ**)")
                + (
                    f" (errors: API {api.errors}, Datasette {other.errors})"
                    if api.errors or other.errors
                    else ""
                )
            )
    slow = [
        name
        for name, m in results[large].items()
        if m.endpoint.kind in {"page", "search"} and m.page and m.median * 1000 > INDICATIVE_PAGE_MS
    ]
    if slow:
        lines.append(
            f"- Pages over {INDICATIVE_PAGE_MS:.0f} ms median at {large} (indicative): "
            + ", ".join(slow)
        )
    return lines


def report(
    results: dict[str, dict[str, Measurement]],
    snapshots: dict[str, SnapshotFigures],
    datasette: dict[str, DatasetteComparison],
    sizes: Sequence[str],
    *,
    counts: dict[str, dict[str, int]],
    requests: int,
    warmups: int,
    warnings: Sequence[str] = (),
) -> str:
    described = "; ".join(
        f"{size}: " + ", ".join(f"{n} {label}" for label, n in counts[size].items())
        for size in sizes
    )
    parts = [
        f"# make bench-scale ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})",
        "",
        f"Sizes: {described}.",
        f"{requests} timed requests per endpoint after {warmups} warm-ups, each followed by "
        "its SQL baseline (benchmarks/scale_baselines.py). ✗: target missed (at most "
        f"{MAX_PAGE_QUERIES} queries per page, {MAX_API_QUERIES} per API request; within "
        f"{MAX_RATIO:g}x of the baseline, {MAX_SEARCH_RATIO:g}x for search; growth at most "
        f"{MAX_GROWTH} where the answer is bounded).",
        "",
        markdown_table(results, sizes, requests=requests),
        "",
        *summary_lines(results, snapshots, datasette, sizes),
        *(f"- Warning: {warning}" for warning in warnings),
        "",
    ]
    return "\n".join(parts)


# --- Command line -----------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["S", "L"], type=str.upper,
                        choices=sorted(DEFAULT_DATABASES))  # fmt: skip
    for size, url in DEFAULT_DATABASES.items():
        parser.add_argument(f"--database-{size.lower()}", default=url, metavar="URL")
    parser.add_argument("--requests", type=int, default=9, help="timed requests per endpoint")
    parser.add_argument("--warmups", type=int, default=2)
    parser.add_argument(
        "--only", default="", help="only endpoints whose name has one of these (comma-separated)"
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=90.0,
        help="seconds per endpoint and size after which no request is started",
    )
    parser.add_argument("--max-download-rows", type=int, default=50_000,
                        help="skip a download whose SQL baseline returns more rows")  # fmt: skip
    parser.add_argument("--output", default="/tmp/bench-scale.md")
    parser.add_argument("--workdir", default="/tmp/wgsom-bench-scale")
    parser.add_argument("--clients", type=int, default=4, help="Datasette comparison clients")
    parser.add_argument("--datasette-requests", type=int, default=200)
    parser.add_argument("--no-datasette", action="store_true")
    parser.add_argument("--no-snapshot", action="store_true")
    parser.add_argument("--snapshot-worker", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)

    if arguments.snapshot_worker:
        setup_django(os.environ["DATABASE_URL"])
        snapshot_worker()
        return 0
    if arguments.requests < 1 or arguments.warmups < 0:
        parser.error("--requests must be at least 1 and --warmups at least 0")

    urls = {size: getattr(arguments, f"database_{size.lower()}") for size in arguments.sizes}
    setup_django(urls[arguments.sizes[0]])
    chosen = [name.strip() for name in arguments.only.split(",")]
    endpoints = [e for e in ENDPOINTS if any(name in e.name for name in chosen)]
    workdir = Path(arguments.workdir)
    workdir.mkdir(parents=True, exist_ok=True)

    results: dict[str, dict[str, Measurement]] = {}
    snapshots: dict[str, SnapshotFigures] = {}
    datasette: dict[str, DatasetteComparison] = {}
    counts: dict[str, dict[str, int]] = {}
    failed: list[str] = []
    warnings: list[str] = []
    for size in arguments.sizes:
        print(f"{size}: {urls[size]}", flush=True)
        try:
            use_database(urls[size])
            counts[size] = database_counts()
            sample = pick_sample()
        except Exception as exc:
            print(f"bench-scale: {size}: cannot use {urls[size]}: {exc}", file=sys.stderr)
            return 2
        print("  " + ", ".join(f"{n} {label}" for label, n in counts[size].items()), flush=True)
        if missing := missing_migrations():
            warnings.append(f"{size} lacks {len(missing)} migrations: {', '.join(missing)}")
            print(f"  warning: {warnings[-1]}", flush=True)
        results[size] = measure_endpoints(
            endpoints,
            sample,
            requests=arguments.requests,
            warmups=arguments.warmups,
            budget=arguments.budget,
            max_download_rows=arguments.max_download_rows,
            progress=lambda line: print(line, flush=True),
        )
        failed += [f"{size} {m.url}: {m.error}" for m in results[size].values() if m.error]
        if not arguments.no_snapshot:
            print("  snapshot", flush=True)
            snapshots[size] = measure_snapshot(urls[size], requests=min(arguments.requests, 5))
            if snapshots[size].error:
                failed.append(f"{size} snapshot: {snapshots[size].error}")
        if not arguments.no_datasette:
            print("  API and Datasette", flush=True)
            datasette[size] = compare_with_datasette(
                urls[size],
                sample,
                folder=workdir,
                clients=arguments.clients,
                total=arguments.datasette_requests,
            )
            if datasette[size].error:
                failed.append(f"{size} Datasette comparison: {datasette[size].error}")

    text = report(
        results,
        snapshots,
        datasette,
        arguments.sizes,
        counts=counts,
        requests=arguments.requests,
        warmups=arguments.warmups,
        warnings=warnings,
    )
    print()
    print(text)
    Path(arguments.output).write_text(text, encoding="utf-8")
    print(f"Written to {arguments.output}")
    if failed:
        print("bench-scale: errors:\n  " + "\n  ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
