"""A large, realistic database for benchmarks: `make bench-data SIZE=XS|S|L`.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wgsom_bench_l \\
        .venv/bin/python -m benchmarks.scale_data --size L

Sizes (recommendations / implementation reports, always 200 States):

    L   250,000 / 2,000,000    S   125,000 / 1,000,000    XS   1,250 / 10,000
    TINY    150 / 900 (the tests)

What it does, in order: creates the database if it is missing; migrates it; loads the real
WGSOM reference data (`load_wgsom`: States, themes, meetings, recommendations), so that the
real records sit beside the generated ones; adds generated States up to 200; then writes
meetings (one per 100 recommendations), agenda items, recommendations (texts recombined from
the real ones, sections, chapeaux, labels, statuses, themes, proposals and what they became),
implementation reports (statuses, sources, review states, superseding chains of validated
reports over the years) and the history rows django-simple-history keeps for both, all with
PostgreSQL's COPY from rows generated in chunks (memory stays flat whatever the size). Then the
app's own services derive what the app keeps: the current status of each pair
(`current_status_rebuild`, compared with `--check`), the search lexicon
(`search_words_rebuild`) and one compliance snapshot; then VACUUM ANALYZE.

Safe by default: refuses a DATABASE_URL that is not PostgreSQL, and a database holding data it
did not generate (users, reports, records staff made) unless --replace, which drops it first.
A database it generated earlier is replaced without asking (it carries a comment saying so).
The same seed gives the same data.

The app's modules are imported inside the functions that use them: Django is set up only once
the database exists (`main` creates it first), and the tests import this module too.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import os
import random
import sys
import tempfile
import time
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.scale_text import TextMaker, text_parts, weighted_orders


@dataclass(frozen=True)
class Size:
    recommendations: int
    reports: int
    states: int = 200

    @property
    def meetings(self) -> int:
        # About one meeting per hundred recommendations; two at least, so the smallest sizes
        # still have more than one meeting to list.
        return max(2, self.recommendations // 100)


SIZES = {
    "L": Size(recommendations=250_000, reports=2_000_000),
    "S": Size(recommendations=125_000, reports=1_000_000),
    "XS": Size(recommendations=1_250, reports=10_000),
    "TINY": Size(recommendations=150, reports=900),
}

DEFAULT_SEED = 20261207
# What the generated database's comment starts with: how a later run knows it may replace it.
MARKER = "WGSOM scale data (benchmarks/scale_data.py)"
GENERATED_SOURCE = "Generated for scale tests by benchmarks/scale_data.py; not a real record."
SCALE_USERNAME = "scale-data"

# The generated data's "today": fixed, so that two runs write the same dates.
END = datetime.date(2026, 11, 30)
FIRST_MEETING = datetime.date(2012, 3, 1)
LAST_MEETING = datetime.date(2026, 6, 30)

STATUS_WEIGHTS = {
    "implemented": 30,
    "partially_implemented": 25,
    "in_progress": 20,
    "not_implemented": 15,
    "not_applicable": 10,
}
EARLIER_STATUSES = ("in_progress", "in_progress", "not_implemented", "partially_implemented")
# The newest report of a pair; those before it in its chain are all validated.
LAST_REVIEW_WEIGHTS = {"validated": 88, "submitted": 5, "returned": 3, "draft": 4}
STAFF_SOURCE_WEIGHTS = {
    "questionnaire": 30,
    "voluntary_submission": 15,
    "review_mechanism": 10,
    "national_statement": 10,
}
CHAIN_LENGTH_WEIGHTS = {1: 70, 2: 20, 3: 7, 4: 3}

_EPOCH = datetime.date(1970, 1, 1)


class Progress:
    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.started = time.monotonic()

    def __call__(self, message: str) -> None:
        self.out.write(f"[{time.monotonic() - self.started:7.1f} s] {message}\n")
        self.out.flush()

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started


# Dates and times as numbers (days, seconds since 1970), formatted once per day ------------


_day_text: dict[int, str] = {}


def day_iso(day: int) -> str:
    text = _day_text.get(day)
    if text is None:
        text = (_EPOCH + datetime.timedelta(days=day)).isoformat()
        _day_text[day] = text
    return text


# " HH:MM:SS+00" for each second of a day: a timestamp is then two look-ups.
_CLOCK = [f" {s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}+00" for s in range(86400)]


def stamp(seconds: int) -> str:
    day, rest = divmod(seconds, 86400)
    return day_iso(day) + _CLOCK[rest]


def day_number(value: datetime.date) -> int:
    return (value - _EPOCH).days


# COPY -------------------------------------------------------------------------------------
#
# PostgreSQL's text format: tab-separated, \N for NULL. Every value is generated here, and none
# holds a tab, a line break or a backslash (scale_text.py removes them from the real texts), so
# nothing needs escaping, which makes a row a join instead of a CSV writer's quoting.

_NULL = "\\N"


def _line(row: tuple[Any, ...]) -> str:
    return "\t".join([_NULL if v is None else v if v.__class__ is str else str(v) for v in row])


class Table:
    """COPY into one model's table: the columns the generator gives, in order, then every other
    column at its field's default (so a field added later with a default needs no change
    here). A database-generated column (GeneratedField) is never written."""

    def __init__(self, model: Any, columns: Sequence[str]) -> None:
        from django.db import connection, models

        self.model = model
        self.table = model._meta.db_table
        self.columns = list(columns)
        known = {f.column: f for f in model._meta.concrete_fields}
        unknown = set(self.columns) - set(known)
        if unknown:
            raise RuntimeError(f"{self.table} has no column {sorted(unknown)}")
        suffix: list[Any] = []
        every = list(self.columns)
        for column, f in known.items():
            if column in self.columns or getattr(f, "generated", False):
                continue
            if f.has_default():
                value = f.get_db_prep_save(f.get_default(), connection)
            elif f.null:
                value = None
            elif f.empty_strings_allowed and isinstance(f, models.CharField | models.TextField):
                value = ""
            else:
                raise RuntimeError(f"{self.table}.{column} has no default: give it a value")
            suffix.append(_default_value(value))
            every.append(column)
        # What each row ends with: the defaults, as text once.
        self.suffix = "".join("\t" + (_NULL if v is None else str(v)) for v in suffix) + "\n"
        quote = connection.ops.quote_name
        self.sql = f"COPY {quote(self.table)} ({', '.join(quote(c) for c in every)}) FROM STDIN"
        self.rows = 0

    def lines(self, rows: Iterable[tuple[Any, ...]]) -> Iterator[str]:
        suffix = self.suffix
        for row in rows:
            self.rows += 1
            yield _line(row) + suffix

    def copy(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """COPY the rows, generated while PostgreSQL reads them (in chunks, never all)."""
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(self.sql, _Stream(self.lines(rows)), size=1 << 20)


def _default_value(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value)
    if hasattr(value, "adapted"):  # psycopg2's Json wrapper
        return json.dumps(value.adapted)
    return value


class _Stream:
    """A file psycopg2's copy_expert reads: each read is the next few thousand lines."""

    def __init__(self, lines: Iterator[str], chunk: int = 5000) -> None:
        self.lines = lines
        self.chunk = chunk

    def read(self, size: int = -1) -> str:
        return "".join(itertools.islice(self.lines, self.chunk))


class Spool:
    """Rows of a table written to a temporary file while another table's rows are generated
    (one pass of the random generator feeds both), then COPYed from the file."""

    def __init__(self, table: Table) -> None:
        self.table = table
        # Closed by copy(), after the pass that fills it: no `with` block spans both.
        self.file = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
        self.pending: list[str] = []
        suffix = table.suffix
        pending = self.pending

        def write(row: tuple[Any, ...]) -> None:
            pending.append(_line(row) + suffix)
            if len(pending) >= 10_000:
                self.flush()

        self.write: Callable[[tuple[Any, ...]], None] = write

    def flush(self) -> None:
        self.table.rows += len(self.pending)
        self.file.write("".join(self.pending))
        self.pending.clear()

    def copy(self) -> None:
        from django.db import connection

        self.flush()
        self.file.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(self.table.sql, self.file, size=1 << 20)
        self.file.close()


@contextmanager
def indexes_built_after(models_: Sequence[Any], progress: Progress) -> Iterator[None]:
    """Drop the tables' secondary indexes, unique and foreign-key constraints for the block
    and create them again after it, in the same transaction: building an index once over
    millions of rows, and checking a foreign key with one join, is many times faster than
    keeping them up to date row by row. The primary keys and check constraints stay.

    Transactional: if anything fails, the rollback puts every index and constraint back.
    """
    from django.db import connection

    tables = [m._meta.db_table for m in models_]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary AND NOT EXISTS ("
            "  SELECT 1 FROM pg_constraint c WHERE c.conrelid = i.indrelid "
            "  AND c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))",
            [tables],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype "
            "FROM pg_constraint WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('f', 'u') "
            "ORDER BY contype",  # foreign keys ('f') dropped first, created last
            [tables],
        )
        constraints = cursor.fetchall()
        quote = connection.ops.quote_name
        # Rows written earlier in the transaction (the scale user, the States) have their
        # deferred foreign-key checks pending, and a table with pending checks cannot be
        # altered: check them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, name, _definition, _type in constraints:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
    yield
    progress(f"building {len(indexes)} indexes, checking {len(constraints)} constraints")
    with connection.cursor() as cursor:
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition, _type in reversed(constraints):
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
        # Back to each constraint's own timing (Django declares its foreign keys deferred).
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _next_id(model: Any, column: str = "id") -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COALESCE(MAX({connection.ops.quote_name(column)}), 0) + 1 "
            f"FROM {connection.ops.quote_name(model._meta.db_table)}"
        )
        return int(cursor.fetchone()[0])


def _advance_sequence(model: Any, column: str) -> None:
    """After COPY with explicit ids, the table's identity must continue after them."""
    from django.db import connection

    table = model._meta.db_table
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, %s), "
            f"COALESCE((SELECT MAX({quote(column)}) FROM {quote(table)}), 1))",
            [table, column],
        )


# The generator ----------------------------------------------------------------------------


@dataclass
class Generated:
    states: int = 0
    meetings: int = 0
    agenda_items: int = 0
    recommendations: int = 0
    adopted: int = 0
    reports: int = 0


class Generator:
    def __init__(self, *, size: Size, seed: int, progress: Progress) -> None:
        self.size = size
        self.seed = seed
        self.progress = progress
        self.generated = Generated()

    # Reference data read from the database --------------------------------------------

    def _read_reference(self) -> None:
        from django.db.models import Q

        from meetings.models import AgendaItem, Meeting
        from recommendations.models import Recommendation, Theme

        real = Recommendation.objects.all()
        topics: list[str] = []
        for theme in Theme.objects.all():
            topics.extend(str(t) for t in (theme.key_topics or []))
        parts = text_parts(
            texts=real.values_list("text", flat=True),
            topics=topics,
            section_titles=real.exclude(section_title="").values_list("section_title", flat=True),
            agenda_titles=AgendaItem.objects.filter(~Q(title=""), number__gt=1).values_list(
                "title", flat=True
            ),
        )
        self.rng = random.Random(self.seed)
        self.text = TextMaker(parts, self.rng)
        self.theme_ids = list(Theme.objects.order_by("pk").values_list("pk", flat=True))
        if not self.theme_ids:
            raise RuntimeError("no themes: load the WGSOM reference data first")
        self.first_ordinal = (
            Meeting.objects.order_by("-ordinal").values_list("ordinal", flat=True).first() or 0
        ) + 1

    def _scale_user(self) -> int:
        from accounts.models import User

        user, _created = User.objects.get_or_create(
            username=SCALE_USERNAME,
            defaults={
                "email": "scale-data@example.invalid",
                "first_name": "Scale",
                "last_name": "data",
                "is_active": False,
            },
        )
        if _created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        return int(user.pk)

    # States ---------------------------------------------------------------------------

    def states(self) -> None:
        from states.models import RegionalGroup, State

        have = State.objects.count()
        missing = self.size.states - have
        if missing > 0:
            rng = random.Random(self.seed + 1)
            groups = list(RegionalGroup.objects.order_by("pk").values_list("pk", flat=True))
            taken_codes = set(State.objects.values_list("code", flat=True))
            taken_names = set(State.objects.values_list("name", flat=True))
            table = Table(
                State,
                [
                    "id", "created_at", "updated_at", "loaded_checksum", "code", "name",
                    "other_names", "kind", "regional_group_id", "protocol_status",
                    "protocol_consent_date", "protocol_consent_kind", "protocol_status_source",
                ],
            )  # fmt: skip
            next_id = _next_id(State)
            created = stamp(day_number(FIRST_MEETING) * 86400 - 86400)
            rows: list[tuple[Any, ...]] = []
            letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
            # User-assigned ISO codes ("XAA"-"XZZ"), which no real State has.
            codes = (f"X{a}{b}" for a in letters for b in letters)
            number = 0
            while len(rows) < missing:
                code = next(codes)
                number += 1
                name = f"Synthetic State {number}"
                if code in taken_codes or name in taken_names:
                    continue
                consent = FIRST_MEETING - datetime.timedelta(days=rng.randint(0, 3650))
                rows.append(
                    (
                        next_id + len(rows), created, created, "", code, name, "[]",
                        "member_state", rng.choice(groups) if groups else None, "party",
                        consent.isoformat(), "ratification", GENERATED_SOURCE,
                    )
                )  # fmt: skip
            table.copy(rows)
            _advance_sequence(State, "id")
            self.generated.states = table.rows
            self.progress(f"States: {table.rows} generated beside {have} real ones")
        states = list(State.objects.order_by("pk").values_list("pk", "protocol_status", "name"))
        self.state_ids = [pk for pk, _status, _name in states]
        self.state_names = {pk: name for pk, _status, name in states}
        # Parties report most; the others (signatories, unknown) now and then. Some States
        # report far more than others.
        rng = random.Random(self.seed + 2)
        weights = [
            (1.0 if status == "party" else 0.15) * rng.uniform(0.2, 1.0)
            for _pk, status, _name in states
        ]
        self.state_orders = weighted_orders(rng, self.state_ids, weights, 64)
        self.parties = [pk for pk, status, _name in states if status == "party"] or self.state_ids

    # Meetings, agenda items, recommendations ------------------------------------------

    def recommendations(self) -> None:
        from django.apps import apps

        from meetings.models import AgendaItem, Meeting
        from recommendations.models import Recommendation

        historical = Recommendation.history.model
        historical_themes = apps.get_model("recommendations", "HistoricalRecommendation_themes")
        through = Recommendation.themes.through

        meeting_table = Table(
            Meeting,
            [
                "id", "created_at", "updated_at", "loaded_checksum", "ordinal", "year",
                "start_date", "end_date", "venue", "format", "chair", "sources",
            ],
        )  # fmt: skip
        agenda_table = Table(
            AgendaItem,
            [
                "id", "created_at", "updated_at", "loaded_checksum", "number", "sub_letter",
                "title", "title_en", "parent_id", "meeting_id",
            ],
        )  # fmt: skip
        rec_columns = [
            "id", "created_at", "updated_at", "loaded_checksum", "section", "section_title",
            "label", "chapeau", "text", "status", "addressee", "strength", "legal_references",
            "order", "source", "adopted_as_id", "agenda_item_id", "meeting_id", "proposer_id",
            "version",
        ]  # fmt: skip
        rec_table = Table(Recommendation, rec_columns)
        history_table = Table(
            historical,
            [*rec_columns[:15], "version", "meeting_id", "agenda_item_id", "proposer_id",
             "adopted_as_id", "history_id", "history_date", "history_change_reason",
             "history_type", "history_user_id"],
        )  # fmt: skip
        themes_table = Table(through, ["id", "recommendation_id", "theme_id"])
        history_themes_table = Table(
            historical_themes,
            ["m2m_history_id", "id", "history_id", "recommendation_id", "theme_id"],
        )
        meetings = Spool(meeting_table)
        agenda = Spool(agenda_table)
        history = Spool(history_table)
        themes = Spool(themes_table)
        history_themes = Spool(history_themes_table)

        ids = {
            "meeting": _next_id(Meeting),
            "agenda": _next_id(AgendaItem),
            "rec": _next_id(Recommendation),
            "history": _next_id(historical, "history_id"),
            "theme_link": _next_id(through),
            "history_theme": _next_id(historical_themes, "m2m_history_id"),
        }
        # What the reports need of each adopted recommendation: its id and its meeting's
        # last day, in compact arrays (a quarter of a million of each at size L).
        self.adopted_ids = array("q")
        self.adopted_day = array("i")
        self.adopted_meeting = array("q")
        rng = self.rng
        text = self.text
        user = self.user_id
        total = self.size.recommendations
        count = self.size.meetings
        span = day_number(LAST_MEETING) - day_number(FIRST_MEETING)
        theme_ids = self.theme_ids

        def generate() -> Iterator[tuple[Any, ...]]:
            for index in range(count):
                n = total // count + (1 if index < total % count else 0)
                meeting_id = ids["meeting"]
                ids["meeting"] += 1
                ordinal = self.first_ordinal + index
                start = day_number(FIRST_MEETING) + span * index // max(1, count - 1)
                end = start + rng.randint(1, 2)
                year = int(day_iso(start)[:4])
                created = stamp((end + 14) * 86400 + 9 * 3600)
                format_ = rng.choices(
                    ("in_person", "hybrid", "online"),
                    (80, 15 if year >= 2020 else 0, 5 if year >= 2020 else 1),
                )[0]
                meetings.write(
                    (
                        meeting_id, created, created, "", ordinal, year, day_iso(start),
                        day_iso(end), "Vienna" if rng.random() < 0.9 else "", format_, "",
                        GENERATED_SOURCE,
                    )
                )  # fmt: skip
                self.generated.meetings += 1
                draft_report = rng.random() < 0.04
                proposals = 0 if draft_report or n < 8 else round(n * rng.uniform(0.03, 0.12))
                reported = n - proposals
                # The agenda: organizational matters (opening, adoption of the agenda), the
                # thematic items the sections follow, other matters, adoption of the report.
                thematic = max(1, min(rng.randint(2, 4), reported))
                items: list[tuple[int, int, str, str, int | None]] = []

                def item(
                    number: int,
                    letter: str,
                    title: str,
                    parent: int | None,
                    items: list[tuple[int, int, str, str, int | None]] = items,
                ) -> int:
                    pk = ids["agenda"]
                    ids["agenda"] += 1
                    items.append((pk, number, letter, title, parent))
                    return pk

                opening = item(1, "", "Organizational matters", None)
                item(1, "a", "Opening of the meeting", opening)
                item(1, "b", "Adoption of the agenda and organization of work", opening)
                sections = []
                for position in range(thematic):
                    title = text.agenda_title()
                    sections.append(
                        (
                            item(2 + position, "", title, None),
                            "ABCDEFGH"[position],
                            text.section_title(title),
                            rng.choice(theme_ids),
                        )
                    )
                item(2 + thematic, "", "Other matters", None)
                item(3 + thematic, "", "Adoption of the report", None)
                for pk, number, letter, title, parent in items:
                    agenda.write(
                        (pk, created, created, "", number, letter, title, title, parent, meeting_id)
                    )
                self.generated.agenda_items += len(items)

                kind = "Draft report" if draft_report else "Report"
                source = (
                    f"{kind} on the meeting of the Working Group on the Smuggling of Migrants "
                    f"held in Vienna from {day_iso(start)} to {day_iso(end)} "
                    f"(CTOC/COP/WG.7/{year}/{ordinal})"
                )
                status = "draft" if draft_report else "adopted"
                lettered = draft_report or rng.random() < 0.3
                # Cut points sharing the reported recommendations among the sections.
                cuts = sorted(rng.sample(range(1, reported), thematic - 1)) if thematic > 1 else []
                bounds = list(zip([0, *cuts], [*cuts, reported], strict=True))
                order = 0
                paragraph = 0
                adopted_here: list[int] = []
                for (agenda_id, letter, section_title, theme), (low, high) in zip(
                    sections, bounds, strict=True
                ):
                    position = low
                    while position < high:
                        # A lettered paragraph ("3 (a)" ... "3 (k)") shares its chapeau, and
                        # so its addressee and strength; numbered ones each have their own.
                        paragraph += 1
                        in_paragraph = min(high - position, rng.randint(4, 26)) if lettered else 1
                        addressee = rng.choices(
                            ("states_parties", "states", "secretariat"), (80, 15, 5)
                        )[0]
                        strength = rng.choices(
                            ("should", "encouraged", "may_consider"), (55, 35, 10)
                        )[0]
                        chapeau = ""
                        if lettered:
                            chapeau = (
                                "The Working Group recommended that the Conference of the "
                                "Parties consider the following recommendations for adoption. "
                                + {
                                    "states_parties": "States parties",
                                    "states": "States",
                                    "secretariat": "The Secretariat",
                                }[addressee]
                                + {
                                    "should": " should:",
                                    "encouraged": " are encouraged to:",
                                    "may_consider": " may consider:",
                                }[strength]
                            )
                        for sub in range(in_paragraph):
                            order += 1
                            label = f"{paragraph} ({chr(97 + sub)})" if lettered else str(paragraph)
                            article = None
                            references = "[]"
                            if rng.random() < 0.15:
                                instrument = rng.choice(("convention", "protocol"))
                                article = rng.randint(2, 20)
                                references = json.dumps(
                                    [
                                        {
                                            "article": article,
                                            "paragraph": None,
                                            "instrument": instrument,
                                        }
                                    ]
                                )
                            body = text.recommendation(
                                addressee=addressee,
                                strength=strength,
                                article=article,
                                lettered=lettered,
                            )
                            rec_themes = {theme}
                            for _ in range(rng.choices((0, 1, 2), (50, 35, 15))[0]):
                                rec_themes.add(rng.choice(theme_ids))
                            row: tuple[Any, ...] = (
                                ids["rec"], created, created, "", letter, section_title, label,
                                chapeau, body, status, addressee, strength, references, order,
                                source, None, agenda_id, meeting_id, None, 1,
                            )  # fmt: skip
                            yield self._recommendation_written(
                                row, sorted(rec_themes), history, themes, history_themes, ids, user
                            )
                            if status == "adopted":
                                adopted_here.append(row[0])
                                self.adopted_ids.append(row[0])
                                self.adopted_day.append(end)
                                self.adopted_meeting.append(meeting_id)
                        position += in_paragraph
                # Proposals made in statements: numbered by their proposer, some adopted.
                proposers = rng.sample(self.state_ids, min(len(self.state_ids), rng.randint(1, 3)))
                numbers = dict.fromkeys(proposers, 0)
                for _ in range(proposals):
                    order += 1
                    proposer = rng.choice(proposers)
                    numbers[proposer] += 1
                    addressee = rng.choices(("states_parties", "states"), (85, 15))[0]
                    strength = rng.choices(("should", "encouraged"), (60, 40))[0]
                    adopted_as = (
                        rng.choice(adopted_here) if adopted_here and rng.random() < 0.4 else None
                    )
                    row = (
                        ids["rec"], created, created, "", "", "", str(numbers[proposer]), "",
                        text.recommendation(
                            addressee=addressee, strength=strength, article=None, lettered=False
                        ),
                        "proposed", addressee, strength, "[]", numbers[proposer],
                        f"{self.state_names[proposer]} statement, meeting {ordinal} ({year})",
                        adopted_as, None, meeting_id, proposer, 1,
                    )  # fmt: skip
                    yield self._recommendation_written(
                        row, [rng.choice(theme_ids)], history, themes, history_themes, ids, user
                    )
                if index % max(1, count // 10) == 0:
                    self.progress(
                        f"  recommendations: {self.generated.recommendations:,} of {total:,}"
                    )

        rec_table.copy(generate())
        self.progress(f"recommendations: {rec_table.rows:,} copied; copying the rest")
        for spool in (meetings, agenda, themes, history, history_themes):
            spool.copy()
        for model, column in (
            (Meeting, "id"),
            (AgendaItem, "id"),
            (Recommendation, "id"),
            (through, "id"),
            (historical, "history_id"),
            (historical_themes, "m2m_history_id"),
        ):
            _advance_sequence(model, column)
        self.generated.adopted = len(self.adopted_ids)
        self.progress(
            f"meetings {meeting_table.rows:,}, agenda items {agenda_table.rows:,}, "
            f"recommendations {rec_table.rows:,} ({self.generated.adopted:,} adopted), "
            f"theme links {themes_table.rows:,}, history rows {history_table.rows:,}"
        )

    def _recommendation_written(
        self,
        row: tuple[Any, ...],
        theme_list: list[int],
        history: Spool,
        themes: Spool,
        history_themes: Spool,
        ids: dict[str, int],
        user: int,
    ) -> tuple[Any, ...]:
        pk = row[0]
        ids["rec"] += 1
        self.generated.recommendations += 1
        history_id = ids["history"]
        ids["history"] += 1
        # The history row: the record as created (simple-history's "+"), by the scale user.
        history.write(
            (
                *row[:15],
                row[19],
                row[17],
                row[16],
                row[18],
                row[15],
                history_id,
                row[1],
                None,
                "+",
                user,
            )
        )
        for theme in theme_list:
            link = ids["theme_link"]
            ids["theme_link"] += 1
            themes.write((link, pk, theme))
            history_themes.write((ids["history_theme"], link, history_id, pk, theme))
            ids["history_theme"] += 1
        return row

    # Implementation reports -----------------------------------------------------------

    def reports(self) -> None:
        from core.statuses import ImplementationStatus
        from reporting.models import ImplementationReport

        historical = ImplementationReport.history.model
        columns = [
            "id", "state_id", "recommendation_id", "status", "as_of", "period_start", "period_end",
            "description", "source", "source_meeting_id", "evidence_url", "review_state",
            "review_comment", "submitted_by_id", "validated_by_id", "validated_at", "supersedes_id",
            "is_demonstration", "created_at", "updated_at", "version",
        ]  # fmt: skip
        # The weights name every value of the app's vocabularies (core/statuses.py, the review
        # states) and only values of them: a value added there must be given a weight here.
        vocabularies = (
            (STATUS_WEIGHTS, ImplementationStatus.values),
            (LAST_REVIEW_WEIGHTS, ImplementationReport.ReviewState.values),
        )
        for weighted, values in vocabularies:
            if set(weighted) != set(values):
                raise RuntimeError(f"weights {sorted(weighted)} are not the vocabulary {values}")
        if not {*STAFF_SOURCE_WEIGHTS, "focal_point"} <= set(ImplementationReport.Source.values):
            raise RuntimeError("a source the generator writes is not in the app's vocabulary")
        table = Table(ImplementationReport, columns)
        history_table = Table(
            historical,
            [*columns, "history_id", "history_date", "history_change_reason", "history_type",
             "history_user_id"],
        )  # fmt: skip
        history = Spool(history_table)
        write_history = history.write
        next_report = _next_id(ImplementationReport)
        next_history = _next_id(historical, "history_id")
        rng = random.Random(self.seed + 3)
        rnd = rng.random
        text = TextMaker(self.text.parts, rng)
        user = self.user_id
        total = self.size.reports
        adopted = len(self.adopted_ids)
        if not adopted:
            raise RuntimeError("no adopted recommendation to report on")
        end_day = day_number(END)
        # Older recommendations have been reported on more (more time, more questionnaires).
        weights = [0.3 + (end_day - day) / 3650 for day in self.adopted_day]
        weight_sum = sum(weights)
        # Weighted draws as look-ups in tables of 100: a fraction of random.choices' cost,
        # which counts at two million reports.
        status_table = _draw_table(STATUS_WEIGHTS)
        review_table = _draw_table(LAST_REVIEW_WEIGHTS)
        source_table = _draw_table(STAFF_SOURCE_WEIGHTS)
        length_table = _draw_table(CHAIN_LENGTH_WEIGHTS)
        orders = self.state_orders
        state_count = len(self.state_ids)
        evidence_site = {
            pk: f"https://www.example.org/{code.lower()}/measures/"
            for pk, code in self.state_codes.items()
        }
        describe = text.report_description
        progress_step = max(1, adopted // 10)

        def generate() -> Iterator[tuple[Any, ...]]:
            nonlocal next_report, next_history
            cumulative = 0.0
            done = 0
            for index in range(adopted):
                cumulative += weights[index]
                target = total if index == adopted - 1 else round(cumulative * total / weight_sum)
                k = target - done
                if k <= 0:
                    continue
                done = target
                recommendation = self.adopted_ids[index]
                meeting = self.adopted_meeting[index]
                first_day = self.adopted_day[index] + 30
                # Reports are dated up to two months before END, so that the review steps
                # after them (at most fifty days) are not in the future either.
                last_day = end_day - 60
                window = max(1, last_day - first_day)
                chains: list[int] = []
                remaining = k
                while remaining > 0:
                    c = min(remaining, length_table[int(rnd() * 100)])
                    chains.append(c)
                    remaining -= c
                while len(chains) > state_count:  # more reports than States: longer chains
                    extra = chains.pop()
                    for j in range(extra):
                        chains[j % len(chains)] += 1
                order = orders[int(rnd() * len(orders))]
                for state, length in zip(order, chains, strict=False):
                    previous_validated: int | None = None
                    day = first_day + int(window * 0.6 * rnd())
                    for position in range(length):
                        last = position == length - 1
                        if position:
                            day = min(last_day, day + 90 + int(rnd() * 630))
                        review = review_table[int(rnd() * 100)] if last else "validated"
                        validated = review == "validated"
                        status = (
                            status_table[int(rnd() * 100)]
                            if last
                            else EARLIER_STATUSES[int(rnd() * len(EARLIER_STATUSES))]
                        )
                        focal_point = rnd() < (0.35 if validated else 0.8)
                        if focal_point:
                            source, source_meeting = "focal_point", None
                        else:
                            source = source_table[int(rnd() * 100)]
                            source_meeting = meeting if source == "national_statement" else None
                        as_of = day_iso(day)
                        year = int(as_of[:4])
                        period_start = period_end = None
                        if rnd() < 0.5:
                            period_end = as_of
                            period_start = day_iso(day - 365 - int(rnd() * 730))
                        pk = next_report
                        next_report += 1
                        evidence = f"{evidence_site[state]}{year}/{pk}" if rnd() < 0.3 else ""
                        # The steps of its review, each a history row: created as a draft,
                        # submitted (a focal point's), then validated or returned.
                        created = day * 86400 + 28800 + int(rnd() * 36000)
                        events = [("created", created, "draft")]
                        moment = created
                        if (focal_point and review != "draft") or review == "submitted":
                            moment += 3600 + int(rnd() * 864000)
                            events.append(("submitted for validation", moment, "submitted"))
                        if validated:
                            moment += 3600 + int(rnd() * 3456000)
                            events.append(("validated", moment, "validated"))
                        elif review == "returned":
                            moment += 3600 + int(rnd() * 1728000)
                            events.append(("returned for changes", moment, "returned"))
                        comment = text.review_comment() if review == "returned" else ""
                        last_stamp = stamp(moment)
                        row = (
                            pk, state, recommendation, status, as_of, period_start, period_end,
                            describe(year=year), source, source_meeting, evidence, review,
                            comment, user, user if validated else None,
                            last_stamp if validated else None,
                            previous_validated if validated else None, False, stamp(created),
                            last_stamp, len(events),
                        )  # fmt: skip
                        head = row[:11]
                        final_version = len(events)
                        for version, (reason, when, state_then) in enumerate(events, start=1):
                            when_stamp = stamp(when)
                            if version == final_version:
                                tail = row[11:17]
                            else:
                                tail = (state_then, "", user, None, None, None)
                            write_history(
                                (
                                    *head, *tail, False, row[18], when_stamp, version,
                                    next_history, when_stamp, reason,
                                    "+" if version == 1 else "~", user,
                                )
                            )  # fmt: skip
                            next_history += 1
                        if validated:
                            previous_validated = pk
                        yield row
                if index % progress_step == 0:
                    self.progress(f"  reports: {table.rows:,} of {total:,}")

        table.copy(generate())
        history.flush()
        self.progress(
            f"reports: {table.rows:,} copied; copying their {history_table.rows:,} history rows"
        )
        history.copy()
        _advance_sequence(ImplementationReport, "id")
        _advance_sequence(historical, "history_id")
        self.generated.reports = table.rows
        self.progress(f"reports: {table.rows:,}, their history rows: {history_table.rows:,}")

    def run(self) -> Generated:
        from django.apps import apps
        from django.db import connection, transaction

        from recommendations.models import Recommendation
        from reporting.models import ImplementationReport
        from states.models import State

        self._read_reference()
        with transaction.atomic():
            with connection.cursor() as cursor:
                # This transaction only: a crash loses the generated data, which is then
                # generated again, never half of it.
                cursor.execute("SET LOCAL synchronous_commit TO off")
            self.user_id = self._scale_user()
            self.states()
            self.state_codes = dict(State.objects.values_list("pk", "code"))
            big = [
                Recommendation,
                Recommendation.history.model,
                Recommendation.themes.through,
                apps.get_model("recommendations", "HistoricalRecommendation_themes"),
                ImplementationReport,
                ImplementationReport.history.model,
            ]
            with indexes_built_after(big, self.progress):
                self.recommendations()
                self.reports()
            self.progress("committing")
        with connection.cursor() as cursor:
            # The planner's statistics, before the app's services query the new rows.
            for model in big:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        self.progress("committed and analysed")
        return self.generated


def _draw_table(weights: dict[Any, int]) -> list[Any]:
    """A list of 100 in which each value appears as often as its weight says (weights in
    percent, or scaled to 100)."""
    scale = 100 / sum(weights.values())
    table: list[Any] = []
    for value, weight in weights.items():
        table.extend([value] * round(weight * scale))
    return (table + [table[-1]] * 100)[:100]


def generate(
    *, size: Size, seed: int = DEFAULT_SEED, progress: Progress | None = None
) -> Generated:
    """Write `size` generated records into the database Django is connected to, beside the
    reference data already loaded, then derive what the app keeps from them. No VACUUM: the
    caller decides (it cannot run inside a transaction, as the tests hold one)."""
    from compliance.services import compliance_snapshot_compute
    from recommendations.services import search_words_rebuild
    from reporting.selectors import current_status_differences
    from reporting.services import current_status_rebuild

    progress = progress or Progress(sys.stdout)
    generated = Generator(size=size, seed=seed, progress=progress).run()
    progress("current status: rebuilding (reporting.services.current_status_rebuild)")
    pairs = current_status_rebuild()
    progress(f"current status: {pairs:,} pairs with a current report; checking")
    differences = current_status_differences()
    if differences:
        raise RuntimeError(f"current status differs from the reports for {len(differences)} pairs")
    progress("current status matches the reports; rebuilding the search lexicon")
    words = search_words_rebuild()
    progress(f"search lexicon: {words:,} words; computing a compliance snapshot")
    snapshot = compliance_snapshot_compute(trigger="manual", force=True).snapshot
    if snapshot is None:
        raise RuntimeError("the compliance snapshot was not written")
    progress(
        f"compliance snapshot {snapshot.sequence}: {snapshot.validated_reports:,} validated reports"
    )
    return generated


# The command ------------------------------------------------------------------------------


class Refused(Exception):
    """Why nothing was written, in one line."""


def _postgres_url(url: str) -> tuple[dict[str, Any], str]:
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql", "postgis"):
        raise Refused(
            "DATABASE_URL must name a PostgreSQL database (postgres://...), "
            f"not {parts.scheme or 'nothing'}"
        )
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise Refused("DATABASE_URL names no database (postgres://host:5432/NAME)")
    server = {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "user": unquote(parts.username or "postgres"),
    }
    if parts.password:
        server["password"] = unquote(parts.password)
    return server, name


def _foreign_data(cursor: Any) -> str | None:
    """What in a migrated database was not written by load_wgsom or this generator, or None."""
    cursor.execute("SELECT to_regclass('accounts_user') IS NOT NULL")
    if not cursor.fetchone()[0]:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        return None if cursor.fetchone()[0] == 0 else "tables that are not this app's"
    checks = (
        ("users", f"SELECT count(*) FROM accounts_user WHERE username <> '{SCALE_USERNAME}'"),
        ("implementation reports", "SELECT count(*) FROM reporting_implementationreport"),
        (
            "recommendations not from the data files",
            "SELECT count(*) FROM recommendations_recommendation WHERE loaded_checksum = ''",
        ),
        (
            "meetings not from the data files",
            "SELECT count(*) FROM meetings_meeting WHERE loaded_checksum = ''",
        ),
    )
    for what, sql in checks:
        try:
            cursor.execute(sql)
        except Exception:  # a table this version has not: asked of a database of another app
            return "tables of another version or application"
        found = cursor.fetchone()[0]
        if found:
            return f"{what}: {found}"
    return None


def prepare_database(url: str, *, replace: bool, size_name: str, seed: int, out: IO[str]) -> None:
    """Create the database if missing; drop and create it again if it holds generated data
    (or anything, with `replace`); refuse if it holds data this generator did not write."""
    import psycopg2
    from psycopg2 import sql

    server, name = _postgres_url(url)
    try:
        admin = psycopg2.connect(dbname="postgres", **server)
    except psycopg2.Error as exc:
        raise Refused(
            f"cannot reach the PostgreSQL server: {str(exc).strip().splitlines()[0]}"
        ) from None
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                [name],
            )
            found = cursor.fetchone()
            drop = False
            if found is not None:
                generated = (found[0] or "").startswith(MARKER)
                if generated:
                    out.write(f"{name}: generated earlier; replacing it\n")
                    drop = True
                else:
                    target = psycopg2.connect(dbname=name, **server)
                    try:
                        with target.cursor() as probe:
                            foreign = _foreign_data(probe)
                    finally:
                        target.close()
                    if foreign and not replace:
                        raise Refused(
                            f"database {name} holds data this generator did not write "
                            f"({foreign}); use --replace to drop it and start again"
                        )
                    drop = bool(foreign)
            if drop:
                try:
                    cursor.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))
                except psycopg2.errors.ObjectInUse:
                    raise Refused(
                        f"database {name} is in use by other sessions; close them and run again"
                    ) from None
                found = None
            if found is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                out.write(f"{name}: created\n")
            comment = f"{MARKER}: size {size_name}, seed {seed}, being written"
            cursor.execute(
                sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                    sql.Identifier(name), sql.Literal(comment)
                )
            )
    finally:
        admin.close()


def _mark_complete(name: str, size_name: str, seed: int, seconds: float) -> None:
    from django.db import connection
    from psycopg2 import sql

    comment = f"{MARKER}: size {size_name}, seed {seed}, complete (generated in {seconds:.0f} s)"
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}")
            .format(sql.Identifier(name), sql.Literal(comment))
            .as_string(cursor.cursor)
        )


def figures(out: IO[str]) -> None:
    """Rows per table (counted, for the tables the generator writes; the planner's estimate
    for the rest) and the database's size."""
    from django.db import connection

    counted = {
        "states_state", "meetings_meeting", "meetings_agendaitem",
        "recommendations_recommendation", "recommendations_recommendation_themes",
        "recommendations_historicalrecommendation",
        "recommendations_historicalrecommendation_themes", "reporting_implementationreport",
        "reporting_historicalimplementationreport", "reporting_currentstatus",
        "recommendations_searchword", "compliance_compliancefigure",
    }  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_live_tup, pg_total_relation_size(relid) FROM pg_stat_user_tables "
            "WHERE n_live_tup > 0 OR relname = ANY(%s) "
            "ORDER BY pg_total_relation_size(relid) DESC LIMIT 16",
            [sorted(counted)],
        )
        rows = cursor.fetchall()
        exact = []
        for table, estimate, size in rows:
            if table in counted:
                cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
                exact.append((table, f"{cursor.fetchone()[0]:,}", size))
            else:
                exact.append((table, f"~{estimate:,}", size))
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        database_size = cursor.fetchone()[0]
    out.write(f"\n{'table':<50} {'rows':>12} {'size':>10}\n")
    for table, count, size in exact:
        out.write(f"{table:<50} {count:>12} {size / 2**20:>7.0f} MB\n")
    out.write(f"database size: {database_size}\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.scale_data",
        description="Generate a large WGSOM database (into DATABASE_URL, PostgreSQL only).",
    )
    parser.add_argument("--size", choices=sorted(SIZES), default="S", type=str.upper)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--replace",
        action="store_true",
        help="Drop the database first even if it holds data this generator did not write.",
    )
    args = parser.parse_args(argv)
    out = sys.stdout
    url = os.environ.get("DATABASE_URL", "")
    try:
        if not url:
            raise Refused("DATABASE_URL is not set; it must name a PostgreSQL database")
        prepare_database(url, replace=args.replace, size_name=args.size, seed=args.seed, out=out)
    except Refused as exc:
        print(f"scale_data: {exc}", file=sys.stderr)
        return 2

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wgsom.settings.base")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    progress = Progress(out)
    size = SIZES[args.size]
    progress(
        f"size {args.size}: {size.recommendations:,} recommendations, {size.reports:,} reports, "
        f"{size.states} States, {size.meetings:,} meetings (seed {args.seed})"
    )
    call_command("migrate", "--noinput", verbosity=0)
    progress("migrated; loading the WGSOM reference data (load_wgsom)")
    call_command("load_wgsom", verbosity=0)
    progress("reference data loaded")
    generate(size=size, seed=args.seed, progress=progress)
    progress("VACUUM ANALYZE")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    seconds = progress.elapsed
    _mark_complete(connection.settings_dict["NAME"], args.size, args.seed, seconds)
    figures(out)
    out.write(f"generated in {seconds:.0f} s ({seconds / 60:.1f} min)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
