"""Whole-table CSV export benchmark: peak Python memory and time of streaming every
implementation report as CSV, at today's size and at 100 times it.

Run with `make bench-export` (or `benchmarks/bench_export.py --scale 100`). Like
benchmarks/run.py it works in a throwaway test database (SQLite in memory unless
DATABASE_URL names a server), never in the development database: it loads the WGSOM data
and today's number of validated reports (930, as load_wgsom plus the demonstration data
give; synthetic, bulk-created, so that the run stays short), then has the database copy them
until there are `--scale` times as many.

At each size it asks /api/v1/implementation-reports/?format=csv through Django's test client
and reads `streaming_content` to the end. Baselines, measured in the same run: the same rows
materialised at once (`list(queryset.values())`), and at 1x also as one JSON page (the list
serializer over every row, rendered by DRF's JSONRenderer; at 100x that would hold about a
gigabyte). It prints peak Python memory (tracemalloc) and time, and their ratios: the
stream's memory stays flat from 1x to 100x while a materialised table's grows with the rows.
Times are taken with tracemalloc on, which slows what it traces (several times over for the
stream), equally for every figure of the run.
"""

from __future__ import annotations

import argparse
import datetime
import logging
import os
import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wgsom.settings.test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import StreamingHttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

URL = "/api/v1/implementation-reports/"
TODAY = 930  # validated reports after load_wgsom and the demonstration data


def measure(function: Callable[[], Any]) -> tuple[float, float, Any]:
    """(peak MiB, seconds, result) of one call, memory traced from a clean start."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    started = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20, seconds, result


def stream_csv() -> tuple[int, int]:
    """(rows, bytes) of the CSV export, read chunk by chunk and dropped."""
    response = Client().get(URL, {"format": "csv"})
    assert isinstance(response, StreamingHttpResponse), response.status_code
    size = lines = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\r\n")
    return lines - 1, size


def materialise_values() -> tuple[int, int]:
    """(rows, 0) of the rows as a list of dicts: what a table costs when held at once."""
    from django.contrib.auth.models import AnonymousUser

    from reporting.selectors import reports_visible_to

    rows = list(reports_visible_to(AnonymousUser()).order_by("pk").values())
    return len(rows), 0


def materialise_json() -> tuple[int, int]:
    """(rows, bytes) of the same rows as one JSON page: every row serialized, then rendered."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory
    from rest_framework.renderers import JSONRenderer
    from rest_framework.request import Request

    from reporting.selectors import reports_visible_to
    from reporting.serializers import ImplementationReportSerializer

    request = Request(RequestFactory().get(URL))
    request.user = AnonymousUser()
    rows = list(reports_visible_to(request.user).order_by("pk"))
    data = ImplementationReportSerializer(rows, many=True, context={"request": request}).data
    content = JSONRenderer().render(data)
    return len(data), len(content)


def todays_reports(count: int) -> int:
    """`count` validated synthetic reports, each State party on one adopted recommendation
    after another (as the demonstration data, without its slower one-by-one service)."""
    from core.statuses import ImplementationStatus
    from recommendations.models import Recommendation
    from reporting.models import ImplementationReport
    from states.models import State

    rng = random.Random(2026)
    parties = list(State.objects.parties())
    recommendations = list(Recommendation.objects.filter(status="adopted"))
    pairs = [(s, r) for r in recommendations for s in parties]
    now = datetime.datetime.now(datetime.UTC)
    ImplementationReport.objects.bulk_create(
        ImplementationReport(
            state=state,
            recommendation=recommendation,
            status=rng.choice(ImplementationStatus.values),
            as_of=datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(600)),
            description="Measures taken, with accents: Côte d'Ivoire, São Tomé; =1+1 quoted.",
            source="questionnaire",
            review_state="validated",
            validated_at=now,
            is_demonstration=True,
        )
        for state, recommendation in rng.sample(pairs, count)
    )
    return ImplementationReport.objects.count()


def grow_reports(factor: int) -> int:
    """Copies of the reports, made by the database (INSERT ... SELECT, a few seconds rather
    than building 90,000 objects in Python), until there are `factor` times as many; returns
    the number of reports."""
    from reporting.models import ImplementationReport

    meta = ImplementationReport._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in meta.concrete_fields if not f.primary_key)
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    last_original = ImplementationReport.objects.order_by("-pk").values_list("pk", flat=True)[0]
    with connection.cursor() as cursor:
        for _copy in range(1, factor):
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {table} WHERE {pk} <= %s",
                [last_original],
            )
    return ImplementationReport.objects.count()


def line(label: str, peak: float, seconds: float, rows: int, size: int) -> None:
    print(
        f"{label:<44} {rows:7d} rows {size / 2**20:7.1f} MiB out  "
        f"peak {peak:7.1f} MiB  {seconds:6.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100, help="times today's reports")
    arguments = parser.parse_args()

    # The compliance snapshot tasks and the loaders log at INFO: the figures are the output.
    logging.disable(logging.WARNING)
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    # The benchmark's client asks again and again from one address: no throttling.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
    from rest_framework.settings import api_settings

    api_settings.reload()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("load_wgsom", verbosity=0)
        today = todays_reports(TODAY)
        print(f"database: {connection.vendor}; today's size: {today} implementation reports")
        stream_csv()  # warm-up: the first request imports and compiles what every later one uses

        figures: dict[str, tuple[float, float, int, int]] = {}
        big = f"{arguments.scale}x"
        for label, factor in (("1x", 1), (big, arguments.scale)):
            if factor > 1:
                started = time.perf_counter()
                total = grow_reports(factor)
                print(f"grown to {total} reports in {time.perf_counter() - started:.1f} s")
            runs: list[tuple[str, str, Callable[[], tuple[int, int]]]] = [
                ("csv", "streamed CSV", stream_csv),
                ("values", "baseline: list(queryset.values())", materialise_values),
            ]
            if factor == 1:
                runs.append(("json", "baseline: one JSON page of every row", materialise_json))
            for key, name, function in runs:
                peak, seconds, (rows, size) = measure(function)
                figures[f"{key} {label}"] = (peak, seconds, rows, size)
                line(f"{name}, {label}", peak, seconds, rows, size)

        for label in ("1x", big):
            csv_run, values_run = figures[f"csv {label}"], figures[f"values {label}"]
            print(
                f"at {label}: streamed CSV peak memory = {csv_run[0] / values_run[0]:.2f} x "
                f"values()'s, time = {csv_run[1] / values_run[1]:.1f} x"
            )
        csv_run, json_run = figures["csv 1x"], figures["json 1x"]
        print(
            f"at 1x: streamed CSV peak memory = {csv_run[0] / json_run[0]:.2f} x the JSON "
            f"page's, time = {csv_run[1] / json_run[1]:.1f} x"
        )
        rows = figures[f"csv {big}"][2] / max(figures["csv 1x"][2], 1)
        print(
            f"{big} vs 1x ({rows:.0f} x the rows): streamed CSV peak memory "
            f"x{figures[f'csv {big}'][0] / figures['csv 1x'][0]:.1f}, values() "
            f"x{figures[f'values {big}'][0] / figures['values 1x'][0]:.1f}"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
