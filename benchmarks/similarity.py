"""Similar recommendations benchmark: stored neighbours against the per-request model.

Run with `make bench-similarity` (or `benchmarks/similarity.py --sizes 25000 250000`). It works
in a throwaway SQLite test database loaded with the WGSOM data, never in the development
database, and makes N synthetic recommendation texts by recombining the clauses of the real
ones, so that words and their frequencies stay those of the real data.

For each size it measures, in the same run:

- the per-request path this replaced: fitting the model (the first request after any change),
  unpickling the cached model (every request) and ranking one recommendation against all
  (transpose, product, sort: every request);
- the neighbours' rebuild: time and peak memory (tracemalloc: the numpy and scipy arrays
  included) of the block-wise computation. Up to --full-up-to recommendations the whole
  rebuild runs, through the service, writes included; above, the quadratic product is timed
  on --sample blocks and extrapolated (said so in the output);
- a refresh after one changed text above FULL_REBUILD_UP_TO: the refit and the changed row's
  product with every other (the lists it enters);
- the page's read of the stored neighbours (one indexed query, median of 200) against the
  per-request path, as a ratio.

Times are the process's CPU time, not wall time: everything measured runs in this process
on one core, and CPU time does not count the waits a shared machine adds.
"""

from __future__ import annotations

import argparse
import os
import pickle
import random
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wgsom.settings.test")
os.environ.pop("DATABASE_URL", None)  # always the throwaway SQLite database

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from recommendations import similarity  # noqa: E402
from recommendations.models import Recommendation  # noqa: E402


def synthetic_texts(real: list[str], count: int, seed: int = 2026) -> list[str]:
    pieces = [part.strip() for text in real for part in text.replace(";", ",").split(",")]
    pieces = [p for p in pieces if p]
    rng = random.Random(seed)
    return real[:count] + [
        ", ".join(rng.sample(pieces, 4)) + "." for _ in range(max(0, count - len(real)))
    ]


def corpus_of(texts: list[str]) -> similarity._Corpus:
    vectorizer = similarity._vectorizer()
    matrix = vectorizer.fit_transform(texts).tocsr()
    return similarity._Corpus(pks=list(range(len(texts))), vectorizer=vectorizer, matrix=matrix)


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    """(CPU seconds of this process, result): the work is single-threaded and in-process
    (SQLite included), and the machine is shared, so wall time would measure the neighbours."""
    started = time.process_time()
    result = function()
    return time.process_time() - started, result


def peak(function: Callable[[], Any]) -> tuple[float, float, Any]:
    """(seconds, peak MB traced, result)."""
    tracemalloc.start()
    try:
        seconds, result = timed(function)
        _, top = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return seconds, top / 2**20, result


def median_ms(function: Callable[[], Any], repeat: int) -> float:
    durations = []
    for _ in range(repeat):
        seconds, _ = timed(function)
        durations.append(seconds)
    return statistics.median(durations) * 1000


def old_request(blob: bytes, row: int) -> list[list[tuple[int, float]]]:
    """One page view before: unpickle the cached model, rank one row against all."""
    loaded = pickle.loads(blob)
    return similarity._ranked(loaded, loaded.matrix[row], limit=5, exclude={loaded.pks[row]})


def measure_in_memory(texts: list[str], *, full_up_to: int, sample: int) -> dict[str, float]:
    figures: dict[str, float] = {}
    figures["fit_s"], corpus = timed(lambda: corpus_of(texts))
    blob = pickle.dumps(corpus)
    figures["pickle_mb"] = len(blob) / 2**20
    figures["unpickle_ms"] = median_ms(lambda: pickle.loads(blob), 3)
    figures["old_request_ms"] = median_ms(lambda: old_request(blob, 0), 3)
    count = len(texts)
    step = max(1, min(similarity.BLOCK_ROWS, similarity.BLOCK_CELLS // count))
    if count <= full_up_to:
        rows = list(range(count))
        figures["estimated"] = 0
    else:
        rows = list(range(min(count, sample * step)))
        figures["estimated"] = 1
    seconds, top, _ = peak(lambda: similarity._lists(corpus, rows))
    figures["rebuild_s"] = seconds * count / len(rows)
    figures["rebuild_peak_mb"] = top
    # A refresh of one changed text at this size: refit, its row against every other.
    figures["refresh_s"] = figures["fit_s"] + timed(lambda: similarity._lists(corpus, [1]))[0]
    return figures


def measure_in_database(texts: list[str], real_count: int) -> dict[str, float]:
    """Through the services, in the test database: the rebuild with its writes, then the
    page's read."""
    from meetings.models import Meeting

    meeting = Meeting.objects.order_by("ordinal").last()
    Recommendation.objects.bulk_create(
        [
            Recommendation(
                meeting=meeting,
                label=f"S{n}",
                text=text,
                status="draft",
                addressee="states_parties",
                strength="should",
                order=1000 + n,
            )
            for n, text in enumerate(texts[real_count:])
        ],
        batch_size=2000,
    )
    figures: dict[str, float] = {}
    # Timed without tracing: tracemalloc slows the creation of the rows' objects tenfold.
    figures["service_s"], rows = timed(similarity.recommendation_neighbours_rebuild)
    figures["rows"] = rows
    sample = list(Recommendation.objects.order_by("?")[:200])
    it = iter(sample * 2)
    figures["lookup_ms"] = median_ms(
        lambda: [str(r) for r, _ in similarity.similar_recommendations(next(it))], 200
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[25_000, 250_000])
    parser.add_argument(
        "--full-up-to", type=int, default=25_000, help="largest size rebuilt in full"
    )
    parser.add_argument("--sample", type=int, default=10, help="blocks timed above that")
    arguments = parser.parse_args()

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("load_wgsom", verbosity=0)
        real = list(Recommendation.objects.order_by("pk").values_list("text", flat=True))
        print(f"== similar recommendations: {len(real)} real texts, recombined")
        print(
            f"   K={similarity.NEIGHBOURS_KEPT}, minimum score {similarity.MINIMUM_SCORE}, "
            f"blocks of at most {similarity.BLOCK_CELLS:,} cells"
        )
        lookup: dict[str, float] | None = None
        for size in sorted(arguments.sizes):
            texts = synthetic_texts(real, size)
            figures = measure_in_memory(
                texts, full_up_to=arguments.full_up_to, sample=arguments.sample
            )
            rebuild = "estimated from a sample" if figures["estimated"] else "measured"
            print(f"-- {size:,} recommendations")
            print(
                f"   before, per request: unpickle {figures['unpickle_ms']:.0f} ms "
                f"({figures['pickle_mb']:.0f} MB cached), unpickle + rank "
                f"{figures['old_request_ms']:.0f} ms; first request after a change refits: "
                f"{figures['fit_s']:.1f} s"
            )
            print(
                f"   rebuild of every list ({rebuild}): {figures['rebuild_s']:.1f} s "
                f"(= {figures['rebuild_s'] / figures['fit_s']:.1f}x one fit), "
                f"peak {figures['rebuild_peak_mb']:.0f} MB traced"
            )
            print(
                f"   refresh after one changed text (refit + its row): {figures['refresh_s']:.1f} s"
            )
            if lookup is None and size <= arguments.full_up_to:
                lookup = measure_in_database(texts, len(real))
                print(
                    f"   through the service, fit and writes included: "
                    f"{lookup['service_s']:.1f} s, {lookup['rows']:,.0f} rows"
                )
            if lookup is not None:
                print(
                    f"   page read of stored neighbours: {lookup['lookup_ms']:.2f} ms (one "
                    f"indexed query, measured at {arguments.full_up_to:,}) vs "
                    f"{figures['old_request_ms']:.0f} ms per request before: "
                    f"{figures['old_request_ms'] / lookup['lookup_ms']:.0f}x faster; vs the "
                    f"first request after a change: "
                    f"{figures['fit_s'] * 1000 / lookup['lookup_ms']:.0f}x"
                )
        maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"process peak RSS {maxrss:.0f} MB")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
