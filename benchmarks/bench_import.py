"""Parser benchmark: time to clean and read hostile one-line texts and long numbered reports
at 64 KB, 128 KB, 256 KB and 1 MB, with the ratio to the size before.

Run with `make bench-import`. Pure Python: the parser needs no database. A linear parse shows
ratios near 2 for each doubling (near 4 from 256 KB to 1 MB); a regular expression that scans
to the end of the line from every delimiter shows ratios near 4 (16), which is what this
benchmark is for. The limits are lifted for the run (lines, time), so that the figures are the
parser's own work, not a refusal.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wgsom.settings.test")

from ingest.report_parser import Limits, ReportParseError, parse_report
from ingest.report_parser.cleaning import clean
from ingest.report_parser.readers import text_pages

SIZES = [64 * 1024, 128 * 1024, 256 * 1024, 1024 * 1024]
# Repeated units that made the cleaning quadratic (an unclosed delimiter on every few
# characters), and ordinary words.
LINES = {
    "one word": "a",
    "unclosed [": "[",
    "unclosed <b": "<b",
    "emphasis *a": " *a",
    "bold **a": "**a",
    "links [a](": "[a](",
    "words": "word ",
}
UNLIMITED = Limits(max_lines=10**9, seconds=10**6)


def numbered(size: int) -> bytes:
    lines = ["I. Recommendations", ""]
    number = 0
    while sum(len(line) + 1 for line in lines) < size:
        number += 1
        lines += [f"{number}. States should take measure {number}.", ""]
    return "\n".join(lines).encode()


def timed(work) -> float:
    start = time.perf_counter()
    # A refusal is an outcome; its time counts the same.
    with contextlib.suppress(ReportParseError):
        work()
    return time.perf_counter() - start


def main() -> None:
    print(f"{'input':<16}" + "".join(f"{size // 1024:>8} KB" for size in SIZES) + "   ratios")
    for name, unit in LINES.items():
        times = []
        for size in SIZES:
            line = (unit * (size // len(unit) + 1))[:size]
            times.append(timed(lambda line=line: clean(text_pages(line), fmt="text")))
        _row(f"clean: {name}", times)
    times = [
        timed(lambda size=size: parse_report(numbered(size), filename="r.txt", limits=UNLIMITED))
        for size in SIZES
    ]
    _row("parse: numbered", times)


def _row(name: str, times: list[float]) -> None:
    ratios = " ".join(
        f"{later / max(earlier, 1e-6):.1f}" for earlier, later in itertools.pairwise(times)
    )
    print(f"{name:<16}" + "".join(f"{t:>10.3f}s"[:11] for t in times) + f"   {ratios}")


if __name__ == "__main__":
    main()
