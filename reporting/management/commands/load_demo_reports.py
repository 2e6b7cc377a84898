"""`python manage.py load_demo_reports [--seed N] [--states N] [--force]`: synthetic reports.

The documents in this repository record no implementation report, so a fresh site shows "no
information" everywhere, which is honest but shows little of the product. This command fills
validated reports for trying the product and for screenshots. Every one is marked
`is_demonstration=True`, and every page that shows statuses then carries a "demonstration
data" banner.

The reports go through the reporting services (implementation_report_create, validated at
once), so they obey every rule a real report does. They are entered by a dedicated account,
"demonstration-data", which is made inactive again when the load ends: it can neither sign in
nor reset a password.

It refuses to run on a database that holds real reports (is_demonstration=False) unless
--force, since reports are never deleted and the demonstration ones would mix with real ones
for good. Running it again when demonstration reports exist changes nothing. The same --seed
gives the same reports.
"""

from __future__ import annotations

import datetime
import random

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from accounts.services import secretariat_group
from core.statuses import ImplementationStatus
from meetings.models import Meeting
from recommendations.models import Recommendation
from reporting.models import ImplementationReport
from reporting.services import implementation_report_create
from states.models import State

DEMO_USERNAME = "demonstration-data"
DEMO_EMAIL = "demonstration-data@example.invalid"

# How often each status is drawn: the picture a real Working Group might plausibly see.
STATUS_WEIGHTS = {
    ImplementationStatus.IMPLEMENTED: 30,
    ImplementationStatus.PARTIALLY_IMPLEMENTED: 25,
    ImplementationStatus.IN_PROGRESS: 20,
    ImplementationStatus.NOT_IMPLEMENTED: 15,
    ImplementationStatus.NOT_APPLICABLE: 10,
}
SOURCES = (
    ImplementationReport.Source.QUESTIONNAIRE,
    ImplementationReport.Source.VOLUNTARY_SUBMISSION,
    ImplementationReport.Source.REVIEW_MECHANISM,
    ImplementationReport.Source.NATIONAL_STATEMENT,
)
SHARE_OF_PARTIES_REPORTING = 0.5
SHARE_OF_EARLIER_REPORTS = 0.2  # reports preceded by an older one, so histories show change


class Command(BaseCommand):
    help = (
        "Fill synthetic, validated implementation reports (marked as demonstration data) for "
        "trying the product. Refuses when real reports exist unless --force."
    )

    def add_arguments(self, parser) -> None:
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
        self, *args, seed: int, force: bool, states: int | None, verbosity: int = 1, **options
    ) -> None:
        real = ImplementationReport.objects.filter(is_demonstration=False).count()
        if real and not force:
            raise CommandError(
                f"The database holds {real} real implementation report(s); demonstration "
                "reports would mix with them for good (reports are never deleted). "
                "Use --force to add them anyway."
            )
        if ImplementationReport.objects.filter(is_demonstration=True).exists():
            self.stdout.write("Demonstration reports are already loaded: nothing to do.")
            return
        recommendations = list(
            Recommendation.objects.filter(status=Recommendation.Status.ADOPTED).order_by("pk")
        )
        parties = list(State.objects.parties().order_by("code"))
        if not recommendations or not parties:
            raise CommandError(
                "No adopted recommendation or no State party is loaded; run load_wgsom first."
            )
        if states is None:
            states = round(len(parties) * SHARE_OF_PARTIES_REPORTING)
        if not 1 <= states <= len(parties):
            raise CommandError(f"--states must be between 1 and {len(parties)}, not {states}.")
        try:
            created = self._load(random.Random(seed), recommendations, parties, states)
        except ValidationError as exc:
            raise CommandError(f"A demonstration report was refused: {_one_line(exc)}") from exc
        if verbosity:
            self.stdout.write(
                f"Loaded {created} demonstration reports (validated, marked as demonstration "
                f"data) for {states} States parties."
            )

    @transaction.atomic
    def _load(self, rng: random.Random, recommendations, parties, states: int) -> int:
        author = _demonstration_author()
        statement_meeting = Meeting.objects.filter(ordinal=8).first()
        today = datetime.date.today()
        statuses, weights = zip(*STATUS_WEIGHTS.items(), strict=True)
        reporting = rng.sample(parties, states)
        created: list[int] = []
        for state in sorted(reporting, key=lambda s: s.code):
            share = rng.uniform(0.3, 0.9)
            for recommendation in recommendations:
                if rng.random() > share:
                    continue
                as_of = min(
                    today, datetime.date(2021, 1, 1) + datetime.timedelta(rng.randint(0, 1400))
                )
                source = rng.choice(SOURCES)
                if (
                    source == ImplementationReport.Source.NATIONAL_STATEMENT
                    and not statement_meeting
                ):
                    source = ImplementationReport.Source.QUESTIONNAIRE
                meeting = (
                    statement_meeting
                    if source == ImplementationReport.Source.NATIONAL_STATEMENT
                    else None
                )
                status = rng.choices(statuses, weights=weights)[0]
                if rng.random() < SHARE_OF_EARLIER_REPORTS:
                    earlier = as_of - datetime.timedelta(days=rng.randint(200, 500))
                    created.append(
                        self._report(
                            author,
                            state,
                            recommendation,
                            ImplementationStatus.IN_PROGRESS,
                            earlier,
                            ImplementationReport.Source.QUESTIONNAIRE,
                            None,
                        )
                    )
                created.append(
                    self._report(author, state, recommendation, status, as_of, source, meeting)
                )
        # Marked inside the same transaction, history included: no reader ever sees them
        # unmarked.
        ImplementationReport.objects.filter(pk__in=created).update(is_demonstration=True)
        ImplementationReport.history.filter(id__in=created).update(is_demonstration=True)
        author.is_active = False
        author.save(update_fields=["is_active"])
        return len(created)

    @staticmethod
    def _report(author, state, recommendation, status, as_of, source, meeting) -> int:
        report = implementation_report_create(
            by=author,
            state=state,
            recommendation=recommendation,
            status=status,
            as_of=as_of,
            description=(
                f"Demonstration data: a synthetic report, not what {state.name} reported."
            ),
            source=source,
            source_meeting=meeting,
            validate=True,
        )
        return report.pk


def _demonstration_author() -> User:
    """The account the demonstration reports are entered and validated by: Secretariat staff
    while the load runs (the services require it), inactive before the transaction ends."""
    user, _created = User.objects.get_or_create(
        username=DEMO_USERNAME,
        defaults={"email": DEMO_EMAIL, "first_name": "Demonstration", "last_name": "data"},
    )
    user.set_unusable_password()
    user.is_active = True
    user.save()
    user.groups.add(secretariat_group())
    return User.objects.get(pk=user.pk)  # a fresh object: no role cached from before


def _one_line(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return " ".join(exc.messages)
