"""Every page of the site, in a real browser, as each persona meets it: at a phone's width
(390x844) and a desktop's (1366x900), in English and in French, no page scrolls sideways
(document.documentElement.scrollWidth <= window.innerWidth) and axe-core finds nothing. On the
phone the folded header stays short, so the page starts on the first screen.

The pages are named by URL name (PAGES), with real ids from the WGSOM data and a few reports
made here; `test_every_html_page_in_the_urlpatterns_is_listed` fails when a page is added to
the urlpatterns without being added here, so a new page is checked from its first day.

Each persona signs in once per pass (one browser context per persona, width and language):
the four passes are most of this module's time.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1366, "height": 900}
PASSWORD = "a-long-test-password"  # tests.factories.UserFactory's
# The folded header on a phone: the site's name (at most two lines) and the "Menu" button.
PHONE_HEADER_MAX_HEIGHT = 120

ANONYMOUS, FOCAL_POINT, SECRETARIAT = "anonymous", "focal point", "Secretariat"


@dataclass(frozen=True)
class Page:
    """One page to visit: its URL name, the persona who sees it, the ids its address needs
    (keys of the dict `_ids` builds) and a query string. `reach` names how to get there when
    the page is the answer to a form (a POST) rather than an address."""

    name: str
    persona: str = ANONYMOUS
    args: tuple[str, ...] = ()
    query: str = ""
    reach: str = ""
    label: str = field(default="", compare=False)

    def title(self) -> str:
        return self.label or self.name


PAGES: list[Page] = [
    # Public pages.
    Page("home"),
    Page("recommendations:list"),
    Page("recommendations:list", query="theme=technology&state=AUT", label="filtered list"),
    Page("recommendations:detail", args=("rec13",)),
    Page("recommendations:detail", args=("proposal9",), label="a proposal"),
    Page("recommendations:theme_list"),
    Page("recommendations:theme_detail", args=("theme",)),
    Page("recommendations:search"),
    Page("recommendations:search", query="q=joint+investigative+teams", label="search results"),
    Page("meetings:list"),
    Page("meetings:detail", args=("meeting",)),
    Page("states:list"),
    Page("states:detail", args=("state",)),
    Page("states:reports", args=("state",)),
    Page("compliance:summary"),
    Page("compliance:section", args=("section",)),
    Page("subscriptions:subscribe"),
    Page("subscriptions:check_email"),
    Page("subscriptions:confirm", args=("signup_token",)),
    Page("subscriptions:unsubscribe", args=("unsubscribe_token",)),
    Page("login"),
    Page("password_reset"),
    Page("password_reset_done"),
    Page("password_reset_confirm", args=("reset_uid", "reset_token")),
    Page("password_reset_complete"),
    # A focal point's pages.
    Page("work", FOCAL_POINT),
    Page("reporting:my_state", FOCAL_POINT),
    Page("reporting:report_new", FOCAL_POINT),
    Page("reporting:report_detail", FOCAL_POINT, ("draft",), label="a draft"),
    Page("reporting:report_edit", FOCAL_POINT, ("draft",)),
    Page("profile", FOCAL_POINT),
    Page("password_change", FOCAL_POINT),
    Page("password_change_done", FOCAL_POINT),
    Page("contact_points:list", FOCAL_POINT),
    Page("contact_points:add", FOCAL_POINT),
    Page("contact_points:edit", FOCAL_POINT, ("contact_point",)),
    Page("contact_points:delete", FOCAL_POINT, ("contact_point",)),
    # The Secretariat's pages.
    Page("work", SECRETARIAT),
    Page("reporting:review_queue", SECRETARIAT),
    Page("reporting:report_detail", SECRETARIAT, ("submitted",), label="a submitted report"),
    Page("reporting:report_detail", SECRETARIAT, ("returned",), label="a returned report"),
    Page("reporting:report_detail", SECRETARIAT, ("validated",), label="a validated report"),
    # The confirmation asked before validating: the answer of the decision form.
    Page("reporting:report_review", SECRETARIAT, ("submitted",), reach="choose_validate"),
    Page("reporting:state", SECRETARIAT, ("state",)),
    Page("reporting:bulk_entry", SECRETARIAT),
    # Its second step (each State's line) and the result, answers of its forms.
    Page("reporting:bulk_entry", SECRETARIAT, reach="bulk_check", label="bulk entry: check"),
    Page("reporting:bulk_entry", SECRETARIAT, reach="bulk_record", label="bulk entry: result"),
    Page("reporting:import", SECRETARIAT),
    Page("reporting:import_job", SECRETARIAT, ("import_job",)),
    Page("report_import:upload", SECRETARIAT),
    # A meeting report's job, checked: the preview with the names to resolve and Confirm.
    Page("report_import:job", SECRETARIAT, ("meeting_report_job",)),
    Page("report_import:done", SECRETARIAT, ("meeting",)),
    Page("compliance:reports", SECRETARIAT),
    Page("compliance:report_preview", SECRETARIAT, query="{preview_query}"),
    Page("compliance:report_status", SECRETARIAT, ("secretariat_report",)),
    Page("compliance:reminders", SECRETARIAT),
    Page("compliance:reminders_send", SECRETARIAT),
    Page("subscriptions:counts", SECRETARIAT),
    # Staff accounts' second factor (asked for only outside the test settings) and the
    # password asked again before a sensitive step.
    Page("two_factor_setup", SECRETARIAT),
    Page("confirm_identity", SECRETARIAT),
]

# What the list above need not cover, with the reason: answers that are not HTML pages, and
# addresses that only take a POST (their pages, if any, are reached through a form above).
EXCLUDED = {
    "admin:": "Django's admin, styled and tested by Django",
    "api:": "the REST API (JSON, CSV, its own documentation pages)",
    "feeds:": "Atom feeds",
    "healthz": "JSON for monitors",
    "set_language": "POST only (the header's language buttons)",
    "logout": "POST only (the header's Sign out button)",
    "api_token_create": "POST only (the profile's buttons)",
    "api_token_revoke": "POST only (the profile's buttons)",
    "two_factor_verify": "needs an app set up: tests/browser/test_second_factor.py visits it",
    "two_factor_recovery_codes": "needs an app set up: tests/accounts/test_second_factor.py",
    "recommendations:export": "a download (CSV, Excel)",
    "states:profile": "a download (the State profile document)",
    "compliance:csv": "a download (CSV)",
    "compliance:report_download": "a download (PDF, Word)",
    "compliance:report_generate": "POST only (redirects to the report's status page)",
    "reporting:attachment": "a download (the attachment's file)",
    "reporting:report_submit": "POST only (redirects to the report)",
    "reporting:report_validate": "POST only (redirects to the report)",
    "reporting:report_return": "POST only (redirects to the report)",
    "reporting:report_review_confirm": "POST only (validates, then redirects)",
    "reporting:import_confirm": "POST only (redirects to the import job)",
    "report_import:confirm": "POST only (queues the import, then redirects to its job page)",
}
# Patterns without a name: the catch-alls that answer outside the site's pages.
EXCLUDED_UNNAMED_PREFIXES = ("^api/", "api/", "admin/", "^compliance/")


def _url_names(
    patterns: list[Any], namespace: tuple[str, ...] = (), prefix: str = ""
) -> Iterator[tuple[str, str]]:
    """(qualified URL name or "", route) of every pattern, included ones too."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + ((pattern.namespace,) if pattern.namespace else ())
            yield from _url_names(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            name = ":".join((*namespace, pattern.name)) if pattern.name else ""
            yield name, prefix + str(pattern.pattern)


def _excluded(name: str, route: str) -> bool:
    if not name:
        return route.startswith(EXCLUDED_UNNAMED_PREFIXES)
    return any(name == key or (key.endswith(":") and name.startswith(key)) for key in EXCLUDED)


def test_every_html_page_in_the_urlpatterns_is_listed():
    patterns = list(_url_names(get_resolver().url_patterns))
    listed = {page.name for page in PAGES}

    not_listed = sorted(
        f"{name or '(unnamed)'} {route}"
        for name, route in patterns
        if name not in listed and not _excluded(name, route)
    )
    assert not_listed == [], "add these pages to PAGES, or to EXCLUDED with the reason"
    # And nothing listed that the site does not have (a page renamed or removed).
    assert sorted(listed - {name for name, _route in patterns}) == []


# --- The data the pages need ------------------------------------------------------------------


def _meeting_report_job(staff: Any) -> int:
    """A meeting report uploaded by `staff` and checked (in-process): its preview names a
    State the records do not know, so the page shows a question as well as Confirm."""
    from ingest.import_jobs import report_import_check_run, report_import_job_create
    from tests.ingest.documents import tenth_meeting_text

    job = report_import_job_create(
        by=staff,
        content=tenth_meeting_text().replace("Afghanistan,", "Atlantis,").encode(),
        filename="tenth.txt",
        meeting_ordinal=None,
        update=False,
        language="en",
    )
    return report_import_check_run(job_id=job.pk).pk


def _ids() -> dict[str, Any]:
    """The users, and the ids every listed address needs: the WGSOM data's, and a report in
    each review state, a contact point, an import job, a Secretariat report, and valid
    links from a sign-up and a password reset e-mail, made here."""
    from compliance.models import SecretariatReport
    from compliance.services import compliance_snapshot_compute
    from meetings.models import Meeting
    from recommendations.models import Recommendation, Theme
    from reporting.models import ImplementationReport, ImportJob
    from states.models import State
    from subscriptions.models import SignUp, Subscriber
    from subscriptions.tokens import confirmation_token, unsubscribe_token
    from tests.factories import (
        ContactPointFactory,
        FocalPointFactory,
        ImplementationReportFactory,
        SecretariatUserFactory,
    )

    state = State.objects.get(code="AUT")
    meeting = Meeting.objects.get(ordinal=7)
    # Factories are typed as themselves, not as what they make.
    focal_point: Any = FocalPointFactory(username="every-page-focal", state=state)
    staff: Any = SecretariatUserFactory(username="every-page-staff")
    adopted = list(
        Recommendation.objects.filter(meeting=meeting, status="adopted").order_by("pk")[:4]
    )
    reports: dict[str, Any] = {}
    for recommendation, review_state in zip(
        adopted, ("draft", "submitted", "returned", "validated"), strict=True
    ):
        reports[review_state] = ImplementationReportFactory(
            state=state,
            recommendation=recommendation,
            status="in_progress",
            as_of=datetime.date(2025, 3, 1),
            description="A national action plan against the smuggling of migrants.",
            source=ImplementationReport.Source.FOCAL_POINT,
            review_state=review_state,
            review_comment="Please name the ministry." if review_state == "returned" else "",
            submitted_by=focal_point,
            validated_at=timezone.now() if review_state == "validated" else None,
        )
    snapshot: Any = compliance_snapshot_compute(force=True).snapshot
    signup = SignUp.objects.create(email="every-page@example.org", frequency="weekly")
    subscriber = Subscriber.objects.create(
        email="every-page-subscriber@example.org",
        frequency="weekly",
        confirmed_at=timezone.now(),
    )
    return {
        "users": {FOCAL_POINT: focal_point.username, SECRETARIAT: staff.username},
        "rec13": Recommendation.objects.get(meeting=meeting, label="13", status="adopted").pk,
        "proposal9": Recommendation.objects.get(meeting=meeting, label="9", status="proposed").pk,
        "theme": Theme.objects.order_by("pk").first().slug,  # type: ignore[union-attr]
        "meeting": meeting.ordinal,
        "state": state.code,
        "section": "meeting",
        **{review_state: report.pk for review_state, report in reports.items()},
        "contact_point": ContactPointFactory.create(state=state).pk,
        "import_job": ImportJob.objects.create(
            created_by=staff, filename="reports.csv", status="done", total_rows=3
        ).pk,
        "meeting_report_job": _meeting_report_job(staff),
        "secretariat_report": SecretariatReport.objects.create(
            snapshot=snapshot, meeting=meeting, language="en", requested_by=staff
        ).pk,
        "preview_query": f"meeting={meeting.pk}&snapshot={snapshot.pk}&language=en",
        "signup_token": confirmation_token(signup.key),
        "unsubscribe_token": unsubscribe_token(subscriber.key),
        "reset_uid": urlsafe_base64_encode(force_bytes(focal_point.pk)),
        "reset_token": default_token_generator.make_token(focal_point),
    }


def _address(page: Page, ids: dict[str, Any]) -> str:
    if page.reach == "choose_validate":
        return reverse("reporting:report_detail", args=[ids[page.args[0]]])
    url = reverse(page.name, args=[ids[key] for key in page.args])
    return f"{url}?{page.query.format(**ids)}" if page.query else url


def _choose_validate(page_) -> None:
    """From a submitted report's page, choose to validate and continue: the answer is the
    confirmation page (validating publishes for good)."""
    form = page_.locator("form[action$='/review/']")
    form.locator("input[type=radio][value=validate]").check()
    form.locator("button[type=submit]").first.click()
    page_.wait_for_load_state()
    assert page_.locator("form[action$='/review/confirm/']").count(), "the confirmation page"


def _bulk_check(page_) -> None:
    """Bulk entry's first step filled in: two States by their codes, one status."""
    page_.locator("#id_recommendation").select_option(index=1)
    page_.locator("#id_pasted").fill("AUT, FRA")
    page_.locator("input[name=status][value=in_progress]").check()
    page_.locator("#id_as_of").fill("2025-03-01")
    page_.locator("#id_source").select_option("questionnaire")
    page_.locator("button[name=step][value=check]").click()
    page_.wait_for_load_state()
    # Refused, the form comes back: that page is checked already; this one must be step two.
    assert page_.locator("button[name=step][value=record]").count(), "bulk entry's check step"


def _bulk_record(page_) -> None:
    _bulk_check(page_)
    page_.locator("button[name=step][value=record]").click()
    page_.wait_for_url("**done**")


REACH: dict[str, Callable[[Any], None]] = {
    "choose_validate": _choose_validate,
    "bulk_check": _bulk_check,
    "bulk_record": _bulk_record,
}


# --- The walk ---------------------------------------------------------------------------------


def _context(browser, site: str, *, phone: bool, language: str):
    context = browser.new_context(
        base_url=site,
        viewport=PHONE if phone else WIDE,
        is_mobile=phone,
        has_touch=phone,
        locale="en-GB",
    )
    context.set_default_timeout(30_000)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": site}])
    return context


def _sign_in(page, username: str) -> None:
    # By the fields' ids: the labels are in whatever language the page is in.
    page.goto(reverse("login"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: reverse("login") not in url)


PASSES = [("phone", "en"), ("phone", "fr"), ("desktop", "en"), ("desktop", "fr")]


def test_every_page_fits_the_width_and_passes_axe(browser, site, axe_violations):
    ids = _ids()
    failures: dict[str, Any] = {}
    widths: dict[str, Any] = {}
    for width, language in PASSES:
        phone = width == "phone"
        for persona in (ANONYMOUS, FOCAL_POINT, SECRETARIAT):
            context = _context(browser, site, phone=phone, language=language)
            page = context.new_page()
            try:
                if persona != ANONYMOUS:
                    _sign_in(page, ids["users"][persona])
                for listed in (p for p in PAGES if p.persona == persona):
                    key = f"{width} {language} {persona}: {listed.title()}"
                    try:
                        response = page.goto(_address(listed, ids))
                        if listed.reach:
                            REACH[listed.reach](page)
                        elif response is None or response.status >= 400:
                            failures[key] = f"HTTP {response.status if response else '?'}"
                            continue
                        measured = page.evaluate(
                            """[document.documentElement.scrollWidth, window.innerWidth,
                               Math.round(document.querySelector('.site-header')
                                          .getBoundingClientRect().height)]"""
                        )
                        widths[key] = measured
                        problems = []
                        if measured[0] > measured[1]:
                            problems.append(f"{measured[0]}px wide in {measured[1]}px")
                        if phone and measured[2] > PHONE_HEADER_MAX_HEIGHT:
                            problems.append(f"header {measured[2]}px high")
                        problems += axe_violations(page)
                        if problems:
                            failures[key] = problems
                    except Exception as error:  # one page's error, then the rest
                        failures[key] = f"{type(error).__name__}: {error}"[:300]
            finally:
                context.close()

    # The widths at 390px, for whoever reads the output (pytest -s): the widest first.
    for key, measured in sorted(widths.items(), key=lambda item: -item[1][0]):
        if key.startswith("phone"):
            print(f"{measured[0]:>5} {measured[2]:>4}  {key}")
    assert not failures, "\n".join(f"{key}: {problems}" for key, problems in failures.items())
