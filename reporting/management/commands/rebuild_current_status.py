"""`python manage.py rebuild_current_status [--check]`: the CurrentStatus table.

Without options, rewrites the table from the reports (services.current_status_rebuild). With
--check, writes nothing: compares the table with the reports and exits non-zero naming every
pair that differs (State code, recommendation label, stored and derived report).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from recommendations.models import Recommendation
from reporting.selectors import current_status_differences
from reporting.services import current_status_rebuild
from states.models import State


def _describe(row: tuple[Any, ...] | None) -> str:
    if row is None:
        return "none"
    report_id, status, as_of = row[0], row[1], row[2]
    return f"report {report_id} ({status} as of {as_of})"


class Command(BaseCommand):
    help = (
        "Rebuild the current status of every (State, recommendation) pair from the validated "
        "reports; with --check, only compare and fail naming the pairs that differ."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; exit non-zero if the table differs from the reports.",
        )

    def handle(self, *args: Any, check: bool = False, **options: Any) -> None:
        if not check:
            written = current_status_rebuild()
            self.stdout.write(f"Current status rebuilt: {written} pairs with a current report.")
            return
        differences = current_status_differences()
        if not differences:
            self.stdout.write("Current status matches the reports.")
            return
        codes = dict(
            State.objects.filter(pk__in={d.state_id for d in differences}).values_list("pk", "code")
        )
        labels = dict(
            Recommendation.objects.filter(
                pk__in={d.recommendation_id for d in differences}
            ).values_list("pk", "label")
        )
        for difference in differences:
            self.stderr.write(
                f"{codes.get(difference.state_id, difference.state_id)} / "
                f"{labels.get(difference.recommendation_id, difference.recommendation_id)}: "
                f"stored {_describe(difference.stored)}, "
                f"reports say {_describe(difference.derived)}"
            )
        raise CommandError(
            f"{len(differences)} pairs differ from the reports; run rebuild_current_status."
        )
