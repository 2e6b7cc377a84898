"""Search relevance benchmark: recall@5, MRR, latency and the queries that fail.

Run with `make bench-search`, which runs it on SQLite and then on PostgreSQL (or run
`benchmarks/search.py` alone, on the database `DATABASE_URL` names, SQLite without it). Like
benchmarks/run.py it works in a throwaway test database loaded with the WGSOM data, never in
the development database.

The queries and what must come first are in benchmarks/search_relevance.yaml (its header says
how to add one). For each query the recommendations and the documents are ranked in their own
lists, as the search page shows them:

- recall@5: of the expected items (at most 5 counted per list), the share found in the top 5;
- reciprocal rank: 1 / the rank of the first expected item (averaged over the lists a query
  expects something in); MRR is its mean;
- a query fails when an expected item is missing from its top 5, or when the first result is
  not expected.

The figures of the search before this ranking (every word required, one stemmed form:
`websearch_to_tsquery` on PostgreSQL, every word as a substring on SQLite) are measured in the
same run as the baseline. Latency is measured on the loaded data and again with the
recommendations multiplied to `--scale` rows (synthetic texts recombined from the real ones).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wgsom.settings.test")

import django
import yaml

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import translation  # noqa: E402

QUERIES_FILE = Path(__file__).resolve().parent / "search_relevance.yaml"
TOP = 5
TARGETS = {"postgresql": (0.95, 0.85)}


def resolve(key: str) -> tuple[str, int]:
    """("recommendation" or "document", pk) of an expected item written as the YAML says."""
    from meetings.models import Document
    from recommendations.models import Recommendation

    if key.startswith("CTOC/"):
        return "document", Document.objects.get(symbol=key).pk
    parts = key.split("/")
    if len(parts) == 3:
        proposer, year, label = parts
        found = Recommendation.objects.get(
            status="proposed", proposer__code=proposer, meeting__year=int(year), label=label
        )
    else:
        year, label = parts
        found = Recommendation.objects.exclude(status="proposed").get(
            meeting__year=int(year), label=label
        )
    return "recommendation", found.pk


def baseline_search(query: str) -> dict[str, list[int]]:
    """The ranking this benchmark replaced, for comparison in the same run."""
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
    from django.db.models import F, Q

    from core.text import query_words
    from meetings.models import Document
    from recommendations.models import Recommendation

    ranked: dict[str, list[int]] = {}
    for kind, model, fields in (
        ("recommendation", Recommendation, ("text", "chapeau", "section_title")),
        ("document", Document, ("title", "summary")),
    ):
        queryset = model.objects.all()
        if connection.vendor == "postgresql":
            vector: Any = None
            for name, weight in zip(fields, "ABC", strict=False):
                part = SearchVector(name, weight=weight, config="english")
                vector = part if vector is None else vector + part
            ts_query = SearchQuery(query, search_type="websearch", config="english")
            queryset = (
                queryset.annotate(v=vector)
                .filter(v=ts_query)
                .annotate(r=SearchRank(F("v"), ts_query))
                .order_by("-r", "pk")
            )
        else:
            condition = Q()
            for word in query_words(query):
                any_field = Q()
                for name in fields:
                    any_field |= Q(**{f"{name}__icontains": word})
                condition &= any_field
            queryset = (
                queryset.filter(condition).order_by("pk") if condition else model.objects.none()
            )
        ranked[kind] = list(queryset.values_list("pk", flat=True)[:50])
    return ranked


def site_search(query: str) -> dict[str, list[int]]:
    from recommendations.search import search_site

    results = search_site(query)
    return {
        "recommendation": [r.pk for r in results.recommendations],
        "document": [d.pk for d in results.documents],
    }


def score(expected: list[tuple[str, int]], ranked: dict[str, list[int]]) -> tuple[float, float]:
    found = wanted = 0
    reciprocal: list[float] = []
    for kind in ("recommendation", "document"):
        items = {pk for k, pk in expected if k == kind}
        if not items:
            continue
        ranking = ranked.get(kind, [])
        found += len(items & set(ranking[:TOP]))
        wanted += min(len(items), TOP)
        first = next((i for i, pk in enumerate(ranking) if pk in items), None)
        reciprocal.append(0.0 if first is None else 1 / (first + 1))
    return found / wanted, statistics.mean(reciprocal)


def evaluate(
    queries: list[dict[str, Any]], search: Callable[[str], dict[str, list[int]]]
) -> dict[str, Any]:
    per_query = []
    durations: list[float] = []
    query_counts: list[int] = []
    for item in queries:
        with translation.override(item.get("language", "en")):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                ranked = search(item["query"])
                durations.append(time.perf_counter() - started)
            query_counts.append(len(captured.captured_queries))
        recall, reciprocal = score(item["resolved"], ranked)
        per_query.append((item, recall, reciprocal, ranked))
    return {
        "per_query": per_query,
        "recall": statistics.mean(r for _, r, _, _ in per_query),
        "mrr": statistics.mean(rr for _, _, rr, _ in per_query),
        "durations": durations,
        "queries": max(query_counts),
    }


def label_of(kind: str, pk: int) -> str:
    from meetings.models import Document
    from recommendations.models import Recommendation

    if kind == "document":
        return Document.objects.get(pk=pk).symbol
    rec = Recommendation.objects.select_related("meeting", "proposer").get(pk=pk)
    if rec.proposer is not None:
        return f"{rec.proposer.code}/{rec.meeting.year}/{rec.label}"
    return f"{rec.meeting.year}/{rec.label}"


def print_figures(title: str, figures: dict[str, Any], baseline: dict[str, Any] | None) -> None:
    durations = sorted(figures["durations"])
    p95 = durations[max(0, int(len(durations) * 0.95) - 1)]
    line = f"{title:<34} recall@5 {figures['recall']:.3f}  MRR {figures['mrr']:.3f}"
    if baseline:
        line += (
            f"  (baseline recall@5 {baseline['recall']:.3f}, MRR {baseline['mrr']:.3f}: "
            f"x{figures['recall'] / max(baseline['recall'], 1e-9):.2f}, "
            f"x{figures['mrr'] / max(baseline['mrr'], 1e-9):.2f})"
        )
    print(line)
    print(
        f"{'':<34} latency median {statistics.median(durations) * 1000:.1f} ms, "
        f"p95 {p95 * 1000:.1f} ms, {figures['queries']} queries per search"
    )


def print_by_kind(figures: dict[str, Any]) -> None:
    by_kind: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for item, recall, reciprocal, _ in figures["per_query"]:
        by_kind[item.get("kind", "other")].append((recall, reciprocal))
    for kind, pairs in sorted(by_kind.items()):
        recall = statistics.mean(p[0] for p in pairs)
        mrr = statistics.mean(p[1] for p in pairs)
        print(f"  {kind:<14} {len(pairs):3d} queries  recall@5 {recall:.3f}  MRR {mrr:.3f}")


def print_failures(figures: dict[str, Any]) -> None:
    failures = [
        (item, recall, reciprocal, ranked)
        for item, recall, reciprocal, ranked in figures["per_query"]
        if recall < 1 or reciprocal < 1
    ]
    print(f"queries that fail: {len(failures)}")
    for item, recall, reciprocal, ranked in failures:
        top = []
        for kind in ("recommendation", "document"):
            if any(k == kind for k, _ in item["resolved"]):
                top += [label_of(kind, pk) for pk in ranked.get(kind, [])[:TOP]]
        language = item.get("language", "en")
        print(
            f"  [{language}] {item['query']!r}: recall@5 {recall:.2f}, RR {reciprocal:.2f}; "
            f"expected {item['expect']}, top {top}"
        )


def grow(scale: int) -> int:
    """Synthetic recommendations until there are `scale`: sentences of the real texts
    recombined, so that words and their frequencies stay those of the real data."""
    from recommendations.models import Recommendation
    from recommendations.services import search_words_rebuild

    real = list(Recommendation.objects.exclude(status="proposed"))
    pieces = [part.strip() for r in real for part in r.text.replace(";", ",").split(",")]
    rng = random.Random(2026)
    existing = Recommendation.objects.count()
    made = [
        Recommendation(
            meeting=template.meeting,
            section=template.section,
            section_title=template.section_title,
            chapeau=template.chapeau,
            label=f"S{n}",
            text=", ".join(rng.sample(pieces, 4)) + ".",
            status=template.status,
            addressee=template.addressee,
            strength=template.strength,
            order=1000 + n,
        )
        for n, template in ((n, rng.choice(real)) for n in range(max(0, scale - existing)))
    ]
    Recommendation.objects.bulk_create(made, batch_size=1000)
    search_words_rebuild()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return Recommendation.objects.count()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=5000, help="recommendations for latency")
    arguments = parser.parse_args()

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.settings_dict.setdefault("TEST", {})["NAME"] = (
        None if connection.vendor == "sqlite" else f"test_search_bench_{os.getpid()}"
    )
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("load_wgsom", verbosity=0)
        queries = yaml.safe_load(QUERIES_FILE.read_text(encoding="utf-8"))["queries"]
        for item in queries:
            item["resolved"] = [resolve(key) for key in item["expect"]]
        name = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}[connection.vendor]
        print(f"== search relevance on {name}: {len(queries)} queries ({QUERIES_FILE.name})")
        baseline = evaluate(queries, baseline_search)
        figures = evaluate(queries, site_search)
        print_figures("site search", figures, baseline)
        print_by_kind(figures)
        target = TARGETS.get(connection.vendor)
        if target:
            met = figures["recall"] >= target[0] and figures["mrr"] >= target[1]
            print(
                f"target recall@5 >= {target[0]}, MRR >= {target[1]}: {'met' if met else 'NOT MET'}"
            )
        print_failures(figures)
        if arguments.scale:
            rows = grow(arguments.scale)
            scaled = evaluate(queries, site_search)
            durations = sorted(scaled["durations"])
            print(
                f"latency with {rows} recommendations: median "
                f"{statistics.median(durations) * 1000:.1f} ms, "
                f"p95 {durations[int(len(durations) * 0.95) - 1] * 1000:.1f} ms, "
                f"max {durations[-1] * 1000:.1f} ms (target median < 250 ms on PostgreSQL)"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
