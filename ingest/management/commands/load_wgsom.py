from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from compliance.services import compliance_snapshot_compute
from core.data_files import DataFileError
from ingest.loaders import reference_data_load


class Command(BaseCommand):
    help = (
        "Load the WGSOM reference data (States, meetings, themes, background papers, "
        "recommendations) from the data files kept in the repository. Safe to run again: "
        "unchanged records stay as they are and records staff edited are kept."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=settings.WGSOM_DATA_DIR,
            help="Folder holding the data files (default: the repository's data/).",
        )

    def handle(self, *args, data_dir: Path, verbosity: int, **options) -> None:
        try:
            stats = reference_data_load(data_dir=data_dir)
        except DataFileError as exc:
            raise CommandError(f"Nothing was loaded: {exc}") from None
        if verbosity >= 1:
            self.stdout.write(stats.summary())
            kept = sum(n for (_, outcome), n in stats.items() if outcome.startswith("kept"))
            if kept:
                self.stdout.write(
                    self.style.WARNING(f"{kept} records edited by staff were kept as they are.")
                )
            self.stdout.write(self.style.SUCCESS("WGSOM reference data loaded."))
        # A snapshot straight away, so that the compliance page has one without a worker or
        # beat (`make run` has neither); with nothing changed since the last, none is written.
        try:
            outcome = compliance_snapshot_compute(trigger="load")
        except DatabaseError as exc:
            raise CommandError(
                f"The data was loaded, but no compliance snapshot could be computed: {exc}"
            ) from None
        if verbosity >= 1 and outcome.written:
            self.stdout.write(f"Compliance snapshot {outcome.snapshot.sequence} computed.")
