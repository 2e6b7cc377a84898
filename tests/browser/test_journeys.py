"""Each role's everyday tasks, end to end in a browser, counted in steps.

A step is one thing a person does: open an address, type in a field, choose an option, tick a
box, attach a file, press a button or follow a link. The counts are pinned, so a change that
makes a task longer fails here and is a decision, not an accident; docs/work-area.md lists
them beside the screenshots.

Focal point: write a draft with an attachment, submit it, see the Secretariat's return where
they land after signing in, and resubmit. Secretariat: validate with confirmation, return with
a comment, record reports for a regional group, send the reminders now, import a meeting
report.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.urls import reverse

from meetings.models import Meeting
from recommendations.models import Recommendation
from reporting.models import ImplementationReport
from reporting.services import implementation_report_create, implementation_report_return
from states.models import RegionalGroup, State
from tests.factories import FocalPointFactory, SecretariatUserFactory
from tests.ingest.documents import LAYOUT_2020, source_paragraphs, tenth_meeting_text, to_docx
from tests.reporting.files import pdf_bytes

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password"  # tests.factories.UserFactory's


@dataclass
class Journey:
    """A page driven the way a person would, counting each step."""

    page: object
    steps: list[str] = field(default_factory=list)

    def open(self, address: str) -> None:
        self.steps.append(f"open {address}")
        self.page.goto(address)

    def type(self, label: str, text: str) -> None:
        # A label may end in "(optional)".
        self.steps.append(f"type {label}")
        self.page.get_by_label(re.compile("^" + re.escape(label))).fill(text)

    def choose(self, label: str) -> None:
        self.steps.append(f"choose {label}")
        self.page.get_by_label(label, exact=True).check()

    def select(self, label: str, option: str) -> None:
        self.steps.append(f"select {label}")
        self.page.get_by_label(label, exact=True).select_option(option)

    def attach(self, label: str, path: Path) -> None:
        self.steps.append(f"attach {path.name}")
        self.page.get_by_label(label).set_input_files(str(path))

    def press(self, name: str) -> None:
        self.steps.append(f"press {name}")
        self.page.locator("main").get_by_role("button", name=name, exact=True).first.click()

    def follow(self, name: str, *, within: str = "main") -> None:
        self.steps.append(f"follow {name}")
        # Links may carry hidden words after their text ("Write a report: Recommendation 8").
        link = re.compile("^" + re.escape(name))
        self.page.locator(within).get_by_role("link", name=link).first.click()

    def sign_in(self, username: str) -> None:
        self.open(reverse("login"))
        self.type("E-mail address or username", username)
        self.type("Password", PASSWORD)
        self.press("Sign in")
        self.page.wait_for_url(lambda url: "/accounts/login/" not in url)

    def sign_out(self) -> None:
        self.steps.append("press Sign out")
        self.page.get_by_role("button", name="Sign out").first.click()

    def main_text(self) -> str:
        return self.page.locator("main").inner_text()


@pytest.fixture
def journey(page, settings, tmp_path):
    settings.REPORT_ATTACHMENTS_ROOT = tmp_path / "private-media"
    return Journey(page)


@pytest.fixture
def italy(site):
    return State.objects.get(code="ITA")


def adopted(meeting: int, label: str) -> Recommendation:
    return Recommendation.objects.get(meeting__ordinal=meeting, label=label, status="adopted")


def test_a_focal_point_drafts_with_an_attachment_submits_sees_the_return_and_resubmits(
    journey, italy, tmp_path
):
    FocalPointFactory(username="fp-italy", state=italy)
    officer = SecretariatUserFactory(username="officer")
    evidence = tmp_path / "action-plan.pdf"
    evidence.write_bytes(pdf_bytes())

    journey.sign_in("fp-italy")
    assert journey.page.get_by_role("heading", name="Needs your action", level=1).is_visible()
    journey.follow("Write a report")
    journey.choose("In progress")
    journey.type("Status as of", "2026-10-01")
    journey.type("Describe the measures taken", "A national action plan is being drafted.")
    journey.attach("Attach files", evidence)
    journey.press("Save as draft")
    drafting = len(journey.steps)

    assert "action-plan.pdf" in journey.main_text()
    report = ImplementationReport.objects.get(state=italy, attachments__isnull=False)
    assert report.review_state == "draft"
    journey.press("Submit for validation")
    report.refresh_from_db()
    assert report.review_state == "submitted"
    submitting = len(journey.steps) - drafting

    implementation_report_return(
        report=report, by=officer, comment="Please name the plan and when it was adopted."
    )
    journey.sign_out()
    before_return = len(journey.steps)
    journey.sign_in("fp-italy")
    assert "Please name the plan and when it was adopted." in journey.main_text()
    journey.follow("Edit and resubmit")
    journey.type(
        "Describe the measures taken",
        "The National Action Plan 2026-2028 was adopted on 1 October 2026.",
    )
    journey.press("Submit for validation")
    report.refresh_from_db()
    assert report.review_state == "submitted"
    resubmitting = len(journey.steps) - before_return

    assert (drafting, submitting, resubmitting) == (10, 1, 7), journey.steps


def _submitted(state: State, recommendation: Recommendation) -> ImplementationReport:
    author = FocalPointFactory(state=state)
    return implementation_report_create(
        by=author,
        state=state,
        recommendation=recommendation,
        status="implemented",
        as_of=datetime.date(2026, 9, 1),
        description="Legislation was amended in 2026.",
        submit=True,
    )


def test_the_secretariat_validates_with_confirmation_and_returns_with_a_comment(journey, italy):
    SecretariatUserFactory(username="officer")
    to_validate = _submitted(italy, adopted(7, "1"))
    to_return = _submitted(State.objects.get(code="MEX"), adopted(7, "2"))

    journey.sign_in("officer")
    journey.follow(str(to_validate.recommendation))
    journey.choose("Validate")
    journey.press("Continue")
    assert "This cannot be undone" in journey.main_text()
    journey.press("Validate report")
    to_validate.refresh_from_db()
    assert to_validate.review_state == "validated"
    validating = len(journey.steps)

    journey.follow(str(to_return.recommendation))
    journey.choose("Return to the State")
    journey.type("Comment", "Please attach the amended law.")
    journey.press("Continue")
    to_return.refresh_from_db()
    assert to_return.review_state == "returned"
    returning = len(journey.steps) - validating

    assert (validating, returning) == (8, 4), journey.steps


def test_the_secretariat_records_reports_for_a_regional_group(journey):
    SecretariatUserFactory(username="officer")
    group = RegionalGroup.objects.get(slug="eastern-european-states")
    recommendation = adopted(7, "3")

    journey.sign_in("officer")
    journey.follow("Bulk entry", within="main")
    journey.select("Recommendation", str(recommendation.pk))
    journey.choose(group.name)
    journey.choose("Implemented")
    journey.type("Status as of", "2026-11-15")
    journey.select("Source", "questionnaire")
    journey.press("Continue")
    members = State.objects.filter(regional_group=group).count()
    journey.press(f"Record {members} reports")
    journey.page.get_by_role(
        "link", name=re.compile(r"^View|^Report|Recommendation")
    ).first.wait_for()

    recorded = ImplementationReport.objects.filter(
        recommendation=recommendation, state__regional_group=group
    )
    assert recorded.count() == members
    assert len(journey.steps) == 12, journey.steps


def test_the_secretariat_sends_the_reminders_now(journey):
    SecretariatUserFactory(username="officer")
    # A State with a focal point and no report on the latest meeting: someone to remind.
    FocalPointFactory(state=State.objects.get(code="BRA"))

    journey.sign_in("officer")
    journey.follow("Reminders", within="nav")
    assert journey.page.get_by_role("heading", name="Reminders", level=1).is_visible()
    journey.follow("Send the reminders now")
    journey.press("Yes, send the reminders")
    assert journey.page.locator(".messages").is_visible()
    assert len(journey.steps) == 7, journey.steps


def test_the_secretariat_imports_a_meeting_report(journey, tmp_path):
    SecretariatUserFactory(username="officer")
    text = tmp_path / "tenth.txt"
    text.write_text(tenth_meeting_text(), encoding="utf-8")
    report = tmp_path / "report-of-the-tenth-meeting.docx"
    report.write_bytes(to_docx(source_paragraphs(text), LAYOUT_2020, per_page=10))

    journey.sign_in("officer")
    journey.follow("Import a meeting report", within="nav")
    journey.attach("Report file", report)
    journey.press("Read the report")
    journey.press("Confirm the import")
    journey.page.get_by_role("heading", name="Meeting report imported").wait_for()
    assert Meeting.objects.filter(ordinal=10).exists()
    assert len(journey.steps) == 8, journey.steps
