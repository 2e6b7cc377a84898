"""Synthetic reports for trying the product: the one write path of demonstration data.

The documents in this repository record no implementation report, so a fresh site shows "no
information" everywhere, which is honest but shows little of the product. `demonstration_
reports_load` fills validated reports, every one marked `is_demonstration=True`; every page
that shows statuses then carries a "demonstration data" banner.

The reports go through `implementation_report_create` (validated at once), so they obey every
rule a real report does. They are entered by a dedicated account, "demonstration-data", which
is made inactive again before the transaction ends: it can neither sign in nor reset a
password.

Loading refuses a database that holds real reports (is_demonstration=False) unless `force`,
since reports are never deleted and the demonstration ones would mix with real ones for good.
Loading again when demonstration reports exist changes nothing. The same seed gives the same
reports.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from accounts.models import User
from accounts.services import secretariat_group
from core.statuses import ImplementationStatus
from meetings.models import Meeting
from recommendations.models import Recommendation
from states.models import State

from .models import ImplementationReport
from .services import current_status_deferred, implementation_report_create


def demonstration_note() -> str:
    """The sentence every download and document that counts demonstration reports carries."""
    return gettext(
        "Demonstration data: some of the reports counted here are synthetic, made up for "
        "trying the tracker, and reported by no State."
    )


DEMO_USERNAME = "demonstration-data"
DEMO_EMAIL = "demonstration-data@example.invalid"

Source = ImplementationReport.Source

# How often each status is drawn: the picture a real Working Group might plausibly see.
STATUS_WEIGHTS = {
    ImplementationStatus.IMPLEMENTED: 30,
    ImplementationStatus.PARTIALLY_IMPLEMENTED: 25,
    ImplementationStatus.IN_PROGRESS: 20,
    ImplementationStatus.NOT_IMPLEMENTED: 15,
    ImplementationStatus.NOT_APPLICABLE: 10,
}
SOURCES = (
    Source.QUESTIONNAIRE,
    Source.VOLUNTARY_SUBMISSION,
    Source.REVIEW_MECHANISM,
    Source.NATIONAL_STATEMENT,
)
SHARE_OF_PARTIES_REPORTING = 0.5
SHARE_OF_EARLIER_REPORTS = 0.2  # reports preceded by an older one, so histories show change


@dataclass(frozen=True)
class DemonstrationLoad:
    """What a load did: how many reports for how many States (0 and 0: already loaded)."""

    reports: int
    states: int


def demonstration_reports_load(
    *, seed: int = 2024, states: int | None = None, force: bool = False
) -> DemonstrationLoad:
    """Fill synthetic validated reports for `states` States parties (default: half of them).

    Raises ValidationError, saying why, when real reports exist (unless `force`), when no
    adopted recommendation or State party is loaded, or when `states` is out of range.
    """
    real = ImplementationReport.objects.filter(is_demonstration=False).count()
    if real and not force:
        raise ValidationError(
            "The database holds %(real)s real implementation report(s); demonstration reports "
            "would mix with them for good (reports are never deleted).",
            code="real_reports_exist",
            params={"real": real},
        )
    if ImplementationReport.objects.filter(is_demonstration=True).exists():
        return DemonstrationLoad(reports=0, states=0)
    recommendations = list(
        Recommendation.objects.filter(status=Recommendation.Status.ADOPTED).order_by("pk")
    )
    parties = list(State.objects.parties().order_by("code"))
    if not recommendations or not parties:
        raise ValidationError(
            "No adopted recommendation or no State party is loaded; run load_wgsom first."
        )
    if states is None:
        states = round(len(parties) * SHARE_OF_PARTIES_REPORTING)
    if not 1 <= states <= len(parties):
        raise ValidationError(
            "The number of States must be between 1 and %(most)s, not %(states)s.",
            code="states_out_of_range",
            params={"most": len(parties), "states": states},
        )
    created = _load(random.Random(seed), recommendations, parties, states)
    return DemonstrationLoad(reports=created, states=states)


@transaction.atomic
@current_status_deferred()  # the current statuses of all the pairs, once, at the end
def _load(
    rng: random.Random,
    recommendations: Sequence[Recommendation],
    parties: Sequence[State],
    states: int,
) -> int:
    author = _demonstration_author()
    statement_meeting = Meeting.objects.filter(ordinal=8).first()
    today = datetime.date.today()
    statuses, weights = zip(*STATUS_WEIGHTS.items(), strict=True)
    created: list[int] = []
    for state in sorted(rng.sample(parties, states), key=lambda s: s.code):
        share = rng.uniform(0.3, 0.9)
        for recommendation in recommendations:
            if rng.random() > share:
                continue
            as_of = min(today, datetime.date(2021, 1, 1) + datetime.timedelta(rng.randint(0, 1400)))
            source = rng.choice(SOURCES)
            if source == Source.NATIONAL_STATEMENT and not statement_meeting:
                source = Source.QUESTIONNAIRE
            meeting = statement_meeting if source == Source.NATIONAL_STATEMENT else None
            status = rng.choices(statuses, weights=weights)[0]
            if rng.random() < SHARE_OF_EARLIER_REPORTS:
                earlier = as_of - datetime.timedelta(days=rng.randint(200, 500))
                created.append(
                    _report(
                        author,
                        state,
                        recommendation,
                        status=ImplementationStatus.IN_PROGRESS,
                        as_of=earlier,
                        source=Source.QUESTIONNAIRE,
                        meeting=None,
                    )
                )
            created.append(
                _report(
                    author,
                    state,
                    recommendation,
                    status=status,
                    as_of=as_of,
                    source=source,
                    meeting=meeting,
                )
            )
    # Marked inside the same transaction, history included: no reader ever sees them unmarked.
    ImplementationReport.objects.filter(pk__in=created).update(is_demonstration=True)
    ImplementationReport.history.filter(id__in=created).update(is_demonstration=True)
    author.is_active = False
    author.save(update_fields=["is_active"])
    return len(created)


def _report(
    author: User,
    state: State,
    recommendation: Recommendation,
    *,
    status: str,
    as_of: datetime.date,
    source: str,
    meeting: Meeting | None,
) -> int:
    report = implementation_report_create(
        by=author,
        state=state,
        recommendation=recommendation,
        status=status,
        as_of=as_of,
        description=f"Demonstration data: a synthetic report, not what {state.name} reported.",
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
