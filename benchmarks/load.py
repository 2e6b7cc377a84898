"""A load run: many clients for a while on the public pages and the API, through gunicorn as
the stack runs it (gunicorn.conf.py).

`make bench-load` (`BENCH_LOAD_ARGS="--clients 50 --seconds 60"` are the defaults) prepares a
throwaway database (or uses the one DATABASE_URL names: run `make run` data there first),
starts gunicorn on a loopback port and keeps `--clients` connections busy, each fetching the
next address of a fixed mix (home, lists, a theme, a State, a meeting, a recommendation,
search, API lists and a State's status) for `--seconds`. The proxy is left out, and the API's
anonymous limit off: their per-address limits would answer 429 to one address sending this
much (benchmarks/proxy.py measures the proxy).

It prints requests per second, the 50th, 95th and 99th percentiles and errors, per address and
overall, with each percentile also as a ratio to a static file measured in the same run (the
cheapest answer the same server gives). An error is any status but 200 or a failed request.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import statistics
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.servers import (
    django_environment,
    free_port,
    gunicorn_command,
    prepare_database,
    running,
    throwaway_folder,
)

BASELINE = "/static/css/site.css"
MIX = [
    "/",
    "/recommendations/",
    "/recommendations/?theme=technology",
    "/themes/technology/",
    "/states/",
    "/states/MEX/",
    "/meetings/7/",
    "/search/?q=joint+investigations",
    "/api/v1/recommendations/",
    "/api/v1/recommendations/?theme=technology",
    "/api/v1/states/MEX/status/",
    "/api/v1/meetings/",
    BASELINE,
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def client(
    port: int,
    stop: threading.Event,
    start: int,
    results: dict[str, list[float]],
    errors: dict[str, int],
    *,
    requests: int | None = None,
) -> None:
    """Fetch the mix from its `start`th address on, until `stop` (or after `requests`)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for path in itertools.islice(
        itertools.cycle(MIX), start, None if requests is None else start + requests
    ):
        if stop.is_set():
            break
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers={"Host": "localhost"})
            response = connection.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            ok = False
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        elapsed = time.perf_counter() - started
        if ok:
            results[path].append(elapsed)
        else:
            errors[path] += 1
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes (2 cores)")
    arguments = parser.parse_args()
    if not 0 < arguments.clients <= 500 or not 0 < arguments.seconds <= 900:
        sys.exit("bench-load: --clients must be 1..500 and --seconds 1..900.")

    results: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    with throwaway_folder() as folder:
        # One address sends everything here: the anonymous API limit (per address) would
        # answer 429 to most of it, and the run measures capacity, not the throttle.
        env = {**django_environment(folder), "API_THROTTLE_ANON": "off"}
        print("Preparing a throwaway database with the WGSOM data", flush=True)
        prepare_database(env)
        port = free_port()
        command = gunicorn_command(port, workers=arguments.workers)
        with running(command, env, f"http://127.0.0.1:{port}/"):
            # One pass first, so the run measures a warm server, as production is.
            client(
                port, threading.Event(), 0, defaultdict(list), defaultdict(int), requests=len(MIX)
            )
            print(f"{arguments.clients} clients for {arguments.seconds} s", flush=True)
            stop = threading.Event()
            threads = [
                threading.Thread(target=client, args=(port, stop, n, results, errors))
                for n in range(arguments.clients)
            ]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            time.sleep(arguments.seconds)
            stop.set()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started

    base = statistics.median(results[BASELINE]) if results[BASELINE] else float("nan")
    print(f"\n{'address':44} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
          f"{'p50/static':>10} {'errors':>6}")  # fmt: skip
    everything: list[float] = []
    for path in MIX:
        durations = results[path]
        everything += durations
        if not durations:
            print(f"{path:44} {'-':>7} {'-':>7} {'-':>7} {'-':>7} {'-':>10} {errors[path]:6}")
            continue
        p50 = percentile(durations, 0.5)
        print(
            f"{path:44} {len(durations) / elapsed:7.1f} {p50 * 1000:7.0f} "
            f"{percentile(durations, 0.95) * 1000:7.0f} {percentile(durations, 0.99) * 1000:7.0f} "
            f"{p50 / base:10.1f} {errors[path]:6}"
        )
    total_errors = sum(errors.values())
    print(
        f"{'all':44} {len(everything) / elapsed:7.1f} {percentile(everything, 0.5) * 1000:7.0f} "
        f"{percentile(everything, 0.95) * 1000:7.0f} {percentile(everything, 0.99) * 1000:7.0f} "
        f"{percentile(everything, 0.5) / base:10.1f} {total_errors:6}"
    )
    if total_errors:
        sys.exit(f"bench-load: {total_errors} requests failed.")


if __name__ == "__main__":
    main()
