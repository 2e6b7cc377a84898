"""Fixtures of the compliance tests: report data on the real WGSOM States and
recommendations, and a Celery app pointed at a chosen broker."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache

import compliance.tasks  # noqa: F401  (shared tasks reach every app created after this)
from compliance.refresh import REFRESH_QUEUED_KEY
from recommendations.models import Recommendation
from states.models import State
from tests.factories import ImplementationReportFactory, StateFactory


@pytest.fixture(autouse=True)
def no_refresh_queued():
    """Each test starts with no debounced refresh marked as queued (the cache outlives tests)."""
    cache.delete(REFRESH_QUEUED_KEY)
    yield
    cache.delete(REFRESH_QUEUED_KEY)


def make_reports() -> dict:
    """Reports that exercise every rule, on real States parties and adopted recommendations:
    superseded reports, same-day corrections, drafts, returned reports, a non-party, and
    every status. Returns what it used, by name."""
    parties = list(State.objects.filter(protocol_status="party").order_by("code")[:6])
    adopted = list(Recommendation.objects.filter(status="adopted").order_by("order", "pk")[:4])
    non_party = State.objects.exclude(protocol_status="party").order_by("code").first()
    a, b, c, d, e, f = parties
    r1, r2, r3, r4 = adopted
    old, new = datetime.date(2022, 1, 1), datetime.date(2023, 6, 1)
    report = ImplementationReportFactory
    report(state=a, recommendation=r1, status="in_progress", as_of=old)
    report(state=a, recommendation=r1, status="implemented", as_of=new)  # supersedes
    report(state=a, recommendation=r2, status="partially_implemented", as_of=new)
    report(state=b, recommendation=r1, status="not_implemented", as_of=new)
    report(state=b, recommendation=r1, status="partially_implemented", as_of=new)  # correction
    report(state=b, recommendation=r3, status="not_applicable", as_of=old)
    report(state=c, recommendation=r1, status="in_progress", as_of=new)
    report(state=c, recommendation=r4, status="implemented", as_of=new)
    report(  # newer but a draft: the validated one counts
        state=c,
        recommendation=r4,
        status="not_implemented",
        review_state="draft",
        validated_at=None,
    )
    report(state=d, recommendation=r2, status="implemented", as_of=old)
    report(  # returned: does not count
        state=e, recommendation=r2, status="implemented", review_state="returned", validated_at=None
    )
    report(state=non_party, recommendation=r1, status="implemented", as_of=new)  # not counted
    return {
        "parties": parties,
        "recommendations": adopted,
        "non_party": non_party,
        "silent_party": f,
    }


@pytest.fixture
def reports(wgsom) -> dict:
    return make_reports()


@pytest.fixture
def grow():
    """Add `n` States parties and `n` validated reports by them on adopted recommendations."""

    def grow(n: int) -> None:
        adopted = list(Recommendation.objects.filter(status="adopted").order_by("pk")[:n])
        for index in range(n):
            state = StateFactory(protocol_status="party")
            for recommendation in adopted[: index + 1]:
                ImplementationReportFactory(state=state, recommendation=recommendation)

    return grow
