"""`python manage.py import_report PATH [--meeting N] [--dry-run] [--format json] [--update]
[--alias "NAME=ISO3" ...] [--language fr --source SYMBOL]`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ingest.report_parser import ReportParseError
from ingest.services import (
    LanguageImportResult,
    ReportImportResult,
    report_check_size,
    report_import,
    report_import_preview,
    report_language_import,
    report_language_read,
    report_read,
    validation_error_line,
)
from recommendations.models import RecommendationText
from recommendations.similarity import NEAR_DUPLICATE_SCORE


class Command(BaseCommand):
    help = (
        "Import a meeting report (.txt, .docx or .pdf in the UN layout): the meeting, its "
        "agenda, attendance, statements and recommendations, in one transaction. Importing "
        "the same report again changes nothing; records staff edited are kept unless --update."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path, help="The report file.")
        parser.add_argument(
            "--meeting",
            type=int,
            help="The meeting's number (1st, 2nd...), when the report does not say it.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what the report holds and what importing it would change; write nothing.",
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--alias",
            action="append",
            default=[],
            metavar="NAME=ISO3",
            help=(
                "What a name the report uses stands for: a State's ISO3 code, organization or "
                "skip (NAME=ITA, NAME=organization, NAME=skip). Repeatable; kept for later "
                "imports."
            ),
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="Also overwrite records staff edited since they were loaded or imported.",
        )
        parser.add_argument(
            "--language",
            choices=["en", *RecommendationText.Language.values],
            default="en",
            help=(
                "The report's language (default en). In another language only the official "
                "texts of the meeting's recommendations on record are imported, matched by "
                "number; the English report must be imported first."
            ),
        )
        parser.add_argument(
            "--source",
            default="",
            help="With --language: the document the texts come from (default: the symbol "
            "the report prints).",
        )

    def handle(
        self,
        *args,
        path: Path,
        meeting,
        dry_run,
        format,
        update,
        alias,
        language,
        source,
        **options,
    ) -> None:
        aliases = _aliases(alias)
        try:
            # The size first: the command refuses what the staff page refuses, unread.
            report_check_size(size=path.stat().st_size)
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: cannot be read ({exc.strerror})") from None
        except ReportParseError as exc:
            raise CommandError(f"{path.name}: {exc}; nothing was imported") from None
        if language != "en":
            self._import_language(path, data, language, meeting, source, dry_run, format)
            return
        try:
            report = report_read(data=data, filename=path.name)
            run = report_import_preview if dry_run else report_import
            result = run(report=report, meeting_ordinal=meeting, update=update, aliases=aliases)
        except ReportParseError as exc:
            raise CommandError(f"{path.name}: {exc}; nothing was imported") from None
        except ValidationError as exc:
            raise CommandError(
                f"{path.name}: {validation_error_line(exc)}; nothing was imported"
            ) from None

        if format == "json":
            payload = {**report.to_dict(), "import": _import_dict(result, dry_run=dry_run)}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self._write_text(result, dry_run=dry_run)

    def _import_language(
        self,
        path: Path,
        data: bytes,
        language: str,
        meeting: int | None,
        source: str,
        dry_run: bool,
        format: str,
    ) -> None:
        try:
            version = report_language_read(data=data, filename=path.name, language=language)
            result = report_language_import(
                version=version, meeting_ordinal=meeting, source=source, dry_run=dry_run
            )
        except ReportParseError as exc:
            raise CommandError(f"{path.name}: {exc}; nothing was imported") from None
        except ValidationError as exc:
            raise CommandError(
                f"{path.name}: {validation_error_line(exc)}; nothing was imported"
            ) from None
        if format == "json":
            payload = {**result.to_dict(), "dry_run": dry_run}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self._write_language_text(result, dry_run=dry_run)

    def _write_language_text(self, result: LanguageImportResult, *, dry_run: bool) -> None:
        self.stdout.write(
            f"Meeting: {result.meeting_ordinal}; language: {result.language}; "
            f"source: {result.source}"
        )
        for outcome in ("created", "updated", "unchanged"):
            labels = [label for label, done in result.matched.items() if done == outcome]
            if labels:
                self.stdout.write(f"Texts {outcome}: {', '.join(labels)}")
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
        else:
            self.stdout.write(self.style.SUCCESS("Language version imported."))

    def _write_text(self, result: ReportImportResult, *, dry_run: bool) -> None:
        self.stdout.write(f"Meeting: {result.meeting}")
        for model, counts in result.counts_by_model():
            shown = ", ".join(f"{n} {outcome}" for outcome, n in counts.items() if n)
            self.stdout.write(f"{model}: {shown}")
        for change in result.changes:
            if change.outcome in {"updated", "overwritten", "kept"}:
                fields = f" ({', '.join(change.fields)})" if change.fields else ""
                self.stdout.write(f"  {change.record}: {change.outcome}{fields}")
        for label, matches in result.near_duplicates.items():
            for recommendation, score in matches:
                if score >= NEAR_DUPLICATE_SCORE:
                    self.stdout.write(
                        f"  Recommendation {label} is a near-duplicate of "
                        f"{recommendation} ({score:.2f})"
                    )
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(f"Warning: {warning}"))
        if result.unresolved_names:
            names = ", ".join(repr(name) for name in result.unresolved_names)
            self.stdout.write(
                self.style.WARNING(
                    f"Unknown names, left out above: {names}; importing needs each resolved "
                    '(--alias "NAME=ISO3", NAME=organization or NAME=skip).'
                )
            )
        kept = result.counts()["kept"]
        if kept:
            self.stdout.write(
                self.style.WARNING(
                    f"{kept} records edited by staff were kept as they are (--update replaces "
                    "them)."
                )
            )
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
        else:
            self.stdout.write(self.style.SUCCESS("Report imported."))


def _import_dict(result: ReportImportResult, *, dry_run: bool) -> dict[str, Any]:
    data = {**result.to_dict(), "dry_run": dry_run}
    if dry_run:
        data["near_duplicates"] = {
            label: [
                {
                    "meeting": recommendation.meeting.ordinal,
                    "label": recommendation.label,
                    "status": recommendation.status,
                    "score": score,
                }
                for recommendation, score in matches
            ]
            for label, matches in result.near_duplicates.items()
        }
    return data


def _aliases(given: list[str]) -> dict[str, str]:
    """--alias values as name -> choice; CommandError, one line, for one without "="."""
    aliases: dict[str, str] = {}
    for value in given:
        name, equals, choice = value.rpartition("=")
        if not equals or not name.strip() or not choice.strip():
            raise CommandError(
                f"--alias {value!r}: expected NAME=ISO3, NAME=organization or NAME=skip; "
                "nothing was imported"
            )
        aliases[name.strip()] = choice.strip()
    return aliases
