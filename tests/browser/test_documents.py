"""The documents in a real browser: the Secretariat chooses a meeting and a snapshot, previews
the implementation report, builds it and follows its progress, then downloads the Word and PDF
files; and anyone downloads a State's profile from its page. axe-core checks each new page, at
desktop and phone widths.

The build runs as it does with a worker: in another thread, while the page polls. The thread
holds at one step until the page has shown it, so that seeing the progress is certain rather
than a race with a fast machine.
"""

from __future__ import annotations

import io
import threading

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from django.urls import reverse
from docx import Document as open_word
from pypdf import PdfReader

from compliance import services
from compliance.models import SecretariatReport
from compliance.services import compliance_snapshot_compute
from recommendations.models import Recommendation
from states.models import State
from tests.factories import ImplementationReportFactory, SecretariatUserFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def signed_in(page, site: str) -> None:
    """Staff session cookie handed to the browser: the sign-in form is another page's test."""
    client = Client()
    client.force_login(SecretariatUserFactory(username="documents-staff"))
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": site,
            }
        ]
    )


def fits_the_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.fixture
def reported(site, settings, tmp_path):
    settings.REPORT_ATTACHMENTS_ROOT = tmp_path / "private-media"
    adopted = list(Recommendation.objects.filter(status="adopted").order_by("order")[:5])
    for state in State.objects.parties().order_by("code")[:6]:
        for recommendation in adopted:
            ImplementationReportFactory(state=state, recommendation=recommendation)
    return compliance_snapshot_compute(force=True).snapshot


@pytest.fixture
def worker(monkeypatch):
    """Builds queued reports in a thread of their own, as a Celery worker would, holding at the
    PDF step until `worker.go` is set."""
    go = threading.Event()
    threads: list[threading.Thread] = []
    shared = {
        alias: connection
        for alias, connection in ((c.alias, c) for c in connections.all())
        # An in-memory SQLite database lives in one connection, which the live server
        # already shares with its thread; the worker must use it too.
        if connection.vendor == "sqlite" and connection.is_in_memory_db()
    }
    real_progress = services._progress

    def progress(document_id, *, step, progress, **fields):
        real_progress(document_id, step=step, progress=progress, **fields)
        if step == SecretariatReport.Step.PDF:
            go.wait(timeout=30)

    def run(document_id):
        for alias, connection in shared.items():
            connections[alias] = connection
        try:
            services.secretariat_report_generate(document_id=document_id)
        finally:
            if not shared:
                connections.close_all()

    def queue(document_id):
        thread = threading.Thread(target=run, args=(document_id,), daemon=True)
        threads.append(thread)
        thread.start()

    for connection in shared.values():
        connection.inc_thread_sharing()
    monkeypatch.setattr(services, "_progress", progress)
    monkeypatch.setattr(services, "_queue_secretariat_report", queue)
    worker = type("Worker", (), {"go": go, "threads": threads})
    yield worker
    go.set()
    for thread in threads:
        thread.join(timeout=60)
    for connection in shared.values():
        connection.dec_thread_sharing()


def test_the_secretariat_builds_the_meeting_report_follows_its_progress_and_downloads_it(
    page, site, reported, worker, axe_violations
):
    signed_in(page, site)

    page.goto(reverse("compliance:reports"))
    assert axe_violations(page) == []
    page.get_by_label("Meeting").select_option(label="8th meeting (2021)")
    snapshot = page.get_by_label("Compliance snapshot")
    assert f"Snapshot {reported.sequence}," in snapshot.locator("option:checked").inner_text()
    page.get_by_label("Language of the report").select_option("en")
    page.get_by_role("button", name="Preview the report").focus()
    page.keyboard.press("Enter")  # by keyboard

    page.get_by_role("heading", name="I. Introduction").wait_for()
    assert f"compliance snapshot {reported.sequence}" in page.locator("main").inner_text()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Build the Word and PDF files").click()

    progress = page.get_by_test_id("build-progress")
    # Drawing the charts before it takes seconds on a busy machine.
    progress.get_by_text("Laying out the PDF").wait_for(timeout=120_000)
    assert page.locator("progress").get_attribute("value") == "35"
    assert axe_violations(page) == []
    worker.go.set()

    word_link = page.get_by_role("link", name="Download the Word document")
    word_link.wait_for(timeout=120_000)
    assert page.locator("progress").get_attribute("value") == "100"
    assert axe_violations(page) == []
    with page.expect_download() as word_download:
        word_link.click()
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Download the PDF").click()

    assert word_download.value.suggested_filename.endswith(f"-snapshot-{reported.sequence}-en.docx")
    word = open_word(word_download.value.path())
    assert word.paragraphs[1].text.startswith("CTOC/COP/WG.7/2021/")
    with open(pdf_download.value.path(), "rb") as pdf:
        text = PdfReader(io.BytesIO(pdf.read())).pages[0].extract_text()
    assert "Implementation of the recommendations adopted by the Working Group" in text


def test_the_report_pages_fit_a_phone(browser, site, reported):
    context = browser.new_context(base_url=site, viewport=PHONE, locale="en-GB")
    page = context.new_page()
    try:
        signed_in(page, site)
        page.goto(reverse("compliance:reports"))
        assert fits_the_width(page)
        page.get_by_role("button", name="Preview the report").click()
        page.get_by_role("heading", name="I. Introduction").wait_for()
        assert fits_the_width(page)
    finally:
        context.close()


def test_a_visitor_downloads_a_state_profile_from_the_state_page(page, site, reported):
    page.goto(reverse("states:detail", args=["AUT"]))
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF", exact=True).click()

    assert download.value.suggested_filename.startswith("wgsom-state-profile-AUT-")
    with open(download.value.path(), "rb") as pdf:
        text = PdfReader(io.BytesIO(pdf.read())).pages[0].extract_text()
    assert "State profile: Austria" in text
