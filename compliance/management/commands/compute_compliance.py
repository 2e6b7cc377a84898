from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import timezone

from compliance.models import SnapshotTrigger
from compliance.services import compliance_snapshot_compute


class Command(BaseCommand):
    help = (
        "Compute the compliance figures from validated reports now, in this process (no "
        "worker needed), and store them as a snapshot if they changed since the last one."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Store a snapshot even if the figures have not changed since the last one.",
        )

    def handle(self, *args, force: bool, verbosity: int, **options) -> None:
        try:
            outcome = compliance_snapshot_compute(trigger=SnapshotTrigger.MANUAL, force=force)
        except DatabaseError as exc:
            raise CommandError(f"No snapshot was written: {exc}") from None
        snapshot = outcome.snapshot
        when = timezone.localtime(snapshot.computed_at).strftime("%Y-%m-%d %H:%M")
        if outcome.written:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Snapshot {snapshot.sequence} written: {snapshot.validated_reports} "
                    "validated reports."
                )
            )
        elif verbosity >= 1:
            self.stdout.write(
                f"Nothing changed since snapshot {snapshot.sequence} ({when}); nothing written. "
                "Use --force to write one anyway."
            )
