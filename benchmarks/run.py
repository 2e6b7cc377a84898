"""Benchmarks: how long the heavy reads and writes take, and how many queries they run.

Run with `make bench` (or `DATABASE_URL=postgres://... make bench`). It works in a throwaway
test database created for the run, never in the development database, and prints one line per
figure. Targets are stated beside each figure; they are for people to read, not assertions:
the test suite asserts behaviour and query counts, never seconds.
"""

from __future__ import annotations

import datetime
import os
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wgsom.settings.test")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

REPEAT = 5


def timed(label: str, target: str, function, *, repeat: int = REPEAT) -> None:
    durations, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as context:
            started = time.perf_counter()
            function()
            durations.append(time.perf_counter() - started)
        queries = len(context.captured_queries)
    print(
        f"{label:<58} median {statistics.median(durations) * 1000:8.1f} ms"
        f"  max {max(durations) * 1000:8.1f} ms  {queries:4d} queries  (target {target})"
    )


def synthetic_reports(per_state: int) -> int:
    """Validated reports for every State party on `per_state` adopted recommendations."""
    from core.statuses import ImplementationStatus
    from recommendations.models import Recommendation
    from reporting.models import ImplementationReport
    from states.models import State

    rng = random.Random(2026)
    recommendations = list(Recommendation.objects.filter(status="adopted"))
    reports = []
    for state in State.objects.parties():
        for recommendation in rng.sample(recommendations, min(per_state, len(recommendations))):
            reports.append(
                ImplementationReport(
                    state=state,
                    recommendation=recommendation,
                    status=rng.choice(ImplementationStatus.values),
                    as_of=datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(600)),
                    source="questionnaire",
                    review_state="validated",
                    validated_at=timezone.now(),
                    is_demonstration=True,
                )
            )
    ImplementationReport.objects.bulk_create(reports, batch_size=1000)
    return len(reports)


def main() -> None:
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"database: {connection.vendor}")
        timed(
            "load_wgsom into an empty database",
            "< 5 s",
            lambda: call_command("load_wgsom", verbosity=0),
            repeat=1,
        )
        timed(
            "load_wgsom again (nothing changes)",
            "< 3 s",
            lambda: call_command("load_wgsom", verbosity=0),
            repeat=2,
        )
        # Measured apart from the timings: tracing allocations slows everything it traces.
        tracemalloc.start()
        call_command("load_wgsom", verbosity=0)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"{'load_wgsom peak Python memory (reload)':<58} {peak / 2**20:8.1f} MiB"
            " (target < 100 MiB)"
        )

        from recommendations.models import Recommendation
        from reporting.models import ImplementationReport
        from reporting.selectors import (
            recommendations_with_state_status,
            states_with_recommendation_status,
        )
        from states.models import State

        count = synthetic_reports(per_state=22)
        print(f"{'synthetic validated reports':<58} {count:8d}")
        state = State.objects.get(code="AUT")
        recommendation = Recommendation.objects.get(meeting__ordinal=7, label="8", status="adopted")
        timed(
            "a State's status on every adopted recommendation",
            "< 50 ms",
            lambda: list(recommendations_with_state_status(state=state)),
        )
        timed(
            "every State party's status on one recommendation",
            "< 100 ms",
            lambda: list(states_with_recommendation_status(recommendation=recommendation)),
        )
        timed(
            "current reports, all States and recommendations",
            "< 500 ms",
            lambda: list(ImplementationReport.objects.current().values("pk")),
        )
        try:
            from compliance.selectors import compliance_figures

            timed("compliance figures, computed live", "< 1 s", compliance_figures)
        except (ImportError, NotImplementedError):
            print("compliance figures: not available")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
