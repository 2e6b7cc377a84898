"""How much work one report may cost the parser, and the refusals when it would cost more.

A meeting report is a few hundred lines with paragraph numbers below 200, a few hundred KB
unpacked. A hostile file can be otherwise: a .docx whose numbering starts at 2,000,000,000 (so
rendering its letters would take gigabytes), a zip bomb, a text of a hundred thousand
numbered paragraphs. Each limit here turns such a file into a one-line refusal naming the
limit and the value, before the work is done. The time budget is a deadline the parser's
loops check (no signals: the parser runs in web workers and Celery alike), the last line of
defence for a cost no other limit foresaw.

The parser reads no settings: `ingest.services` builds `Limits` from the INGEST_* settings, so
the staff page, the command and `load_wgsom` apply the same ones. The defaults below are for
callers that pass none (tests, scripts).
"""

from __future__ import annotations

import contextlib
import contextvars
import time
from collections.abc import Iterator
from dataclasses import dataclass

from .types import ReportParseError


@dataclass(frozen=True)
class Limits:
    # Lines of a text or PDF file, paragraphs of a Word file.
    max_lines: int = 10_000
    # The largest value Word's automatic numbering may reach (start values included).
    max_list_number: int = 10_000
    # A .docx, once unpacked, and how much better than this any large part may compress.
    max_unzipped_bytes: int = 25 * 1024 * 1024
    max_zip_ratio: int = 100
    # Seconds the whole parse may take.
    seconds: float = 20.0


DEFAULT_LIMITS = Limits()

_deadline: contextvars.ContextVar[tuple[float, float] | None] = contextvars.ContextVar(
    "report_parser_deadline", default=None
)


@contextlib.contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Within this block, `check_time` refuses once `seconds` have passed."""
    token = _deadline.set((time.monotonic() + seconds, seconds))
    try:
        yield
    finally:
        _deadline.reset(token)


def check_time() -> None:
    """Refuse (ReportParseError) when the current parse has run past its time budget.

    Called from the parser's loops, once per line or node: cheap enough to call often."""
    current = _deadline.get()
    if current is not None and time.monotonic() > current[0]:
        raise ReportParseError(
            f"reading the file took longer than {current[1]:g} seconds, the limit; "
            "it is not a meeting report this importer can read"
        )


def refuse_count(found: int, limit: int, what: str) -> None:
    """Refuse when a file holds more `what` ("lines", "paragraphs") than the limit."""
    if found > limit:
        raise ReportParseError(f"the file holds {found:,} {what}; the limit is {limit:,}")
