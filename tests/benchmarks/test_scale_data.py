"""The scale data generator (benchmarks/scale_data.py), at its TINY size in the test database:
it writes the counts its size promises, beside the real WGSOM data, and the app reads the
result (the current status agrees with the reports, pages answer)."""

from __future__ import annotations

import datetime
import io
import random

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from benchmarks.scale_data import END, SCALE_USERNAME, SIZES, Progress, generate, main
from benchmarks.scale_text import TextMaker, text_parts
from meetings.models import Meeting
from recommendations.models import Recommendation
from reporting.models import CurrentStatus, ImplementationReport
from states.models import State

TINY = SIZES["TINY"]


@pytest.fixture
def generated(postgresql, wgsom):
    before = {
        "recommendations": Recommendation.objects.count(),
        "meetings": Meeting.objects.count(),
    }
    output = io.StringIO()
    result = generate(size=TINY, progress=Progress(output))
    return before, result, output.getvalue()


def test_tiny_size_writes_the_counts_it_promises_beside_the_real_data(generated):
    before, result, _output = generated

    assert Recommendation.objects.count() == before["recommendations"] + TINY.recommendations
    assert Meeting.objects.count() == before["meetings"] + TINY.meetings
    assert ImplementationReport.objects.count() == TINY.reports
    assert State.objects.count() == TINY.states
    assert result.recommendations == TINY.recommendations
    assert result.reports == TINY.reports
    # The real recommendations are still there, with their meeting.
    assert Recommendation.objects.filter(meeting__ordinal=7, label="13").exists()


def test_generated_reports_are_real_looking_and_never_demonstration(generated):
    reports = ImplementationReport.objects.all()

    assert not reports.filter(is_demonstration=True).exists()
    assert set(reports.values_list("review_state", flat=True)) <= {
        "draft",
        "submitted",
        "validated",
        "returned",
    }
    assert reports.validated().count() > TINY.reports * 0.8
    assert reports.filter(supersedes__isnull=False).exists()  # superseding chains
    assert not reports.exclude(recommendation__status="adopted").exists()
    # Fixed dates (the same seed, the same data), none after the generator's "today".
    latest = datetime.datetime.combine(END, datetime.time.max, tzinfo=datetime.UTC)
    assert not reports.filter(validated_at__gt=latest).exists()
    assert not reports.filter(updated_at__gt=latest).exists()
    # Every report has at least its "created" history row, and a validated one its step.
    history = ImplementationReport.history.model.objects
    assert history.filter(history_type="+").count() == TINY.reports
    assert history.filter(history_change_reason="validated").count() == reports.validated().count()
    assert Recommendation.history.model.objects.filter(
        history_type="+", meeting__ordinal__gt=9
    ).count() == (TINY.recommendations)
    # Entered by an account that cannot sign in.
    user = User.objects.get(username=SCALE_USERNAME)
    assert reports.exclude(submitted_by=user).count() == 0
    assert not user.is_active
    assert not user.has_usable_password()


def test_current_status_agrees_with_the_reports(generated):
    call_command("rebuild_current_status", "--check", stdout=io.StringIO())

    assert CurrentStatus.objects.count() > 0


def test_pages_answer_on_generated_data(generated):
    recommendation = (
        Recommendation.objects.filter(status="adopted", meeting__ordinal__gt=9)
        .filter(pk__in=CurrentStatus.objects.values("recommendation"))
        .first()
    )
    state = State.objects.get(pk=CurrentStatus.objects.values("state")[:1])
    client = Client()

    page = client.get(reverse("recommendations:detail", args=[recommendation.pk]))
    assert page.status_code == 200
    page = client.get(reverse("states:detail", args=[state.code]))
    assert page.status_code == 200


def test_the_same_seed_gives_the_same_texts():
    parts = text_parts(
        texts=[
            "States parties should share information on smuggling routes and fees, including "
            "through regional networks, as well as data on prosecutions."
        ],
        topics=["routes", "fees"],
    )

    def texts(seed: int) -> list[str]:
        maker = TextMaker(parts, random.Random(seed))
        return [
            maker.recommendation(
                addressee="states", strength="should", article=None, lettered=False
            )
            for _ in range(5)
        ] + [maker.report_description(year=2020) for _ in range(5)]

    assert texts(1) == texts(1)
    assert texts(1) != texts(2)


@pytest.mark.parametrize("url", ["", "sqlite:////tmp/db.sqlite3"])
def test_refuses_a_database_that_is_not_postgresql(url, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", url)

    assert main(["--size", "XS"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert "PostgreSQL" in error
