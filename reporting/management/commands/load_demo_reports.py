"""`python manage.py load_demo_reports [--seed N] [--states N] [--force]`: synthetic reports.

What is loaded, and why it is safe, is told in reporting/demonstration.py; this command only
reads the options and reports the outcome in one line.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from reporting.demonstration import demonstration_reports_load


class Command(BaseCommand):
    help = (
        "Fill synthetic, validated implementation reports (marked as demonstration data) for "
        "trying the product. Refuses when real reports exist unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed", type=int, default=2024, help="Random seed (same seed, same reports)."
        )
        parser.add_argument(
            "--states",
            type=int,
            default=None,
            help="How many States parties report (default: half of them).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Add demonstration reports even though real reports exist (they never go away).",
        )

    def handle(
        self,
        *args: Any,
        seed: int,
        force: bool,
        states: int | None,
        verbosity: int = 1,
        **options: Any,
    ) -> None:
        try:
            loaded = demonstration_reports_load(seed=seed, states=states, force=force)
        except ValidationError as exc:
            hint = {
                "real_reports_exist": " Use --force to add them anyway.",
                "states_out_of_range": " (--states)",
            }.get(str(exc.code), "")
            raise CommandError(" ".join(exc.messages) + hint) from exc
        if not verbosity:
            return
        if not loaded.reports:
            self.stdout.write("Demonstration reports are already loaded: nothing to do.")
            return
        self.stdout.write(
            f"Loaded {loaded.reports} demonstration reports (validated, marked as demonstration "
            f"data) for {loaded.states} States parties."
        )
