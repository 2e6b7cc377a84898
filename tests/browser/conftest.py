"""Browser tests: Playwright for Python driving Debian's Chromium against pytest-django's live
server, with the WGSOM data loaded.

No browser is ever downloaded: the tests use /usr/bin/chromium (`apt-get install chromium`).
Without it they are skipped locally, with the reason, and FAIL in CI (CI=true), where a
missing browser must never pass for a green run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 900}

# Playwright's sync API runs an event loop in this thread; Django then refuses database access
# from it unless told that this is on purpose (the test, not the server, touches the database).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message}; CI needs it.", pytrace=False)
    pytest.skip(message)


# Per module, not per session: Playwright's sync API allows one running instance at a time, and
# a module that starts its own must not find this one still running.
@pytest.fixture(scope="module")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def site(live_server, transactional_db):
    """The live server's address, with the WGSOM data in its database.

    live_server needs a transactional database, which is flushed after each test; the data is
    loaded again when it is missing.
    """
    from meetings.models import Meeting

    if not Meeting.objects.filter(ordinal=7).exists():
        call_command("load_wgsom", verbosity=0)
    return live_server.url


@pytest.fixture
def context_options():
    return {"viewport": DESKTOP, "accept_downloads": True, "locale": "en-GB"}


@pytest.fixture
def page(browser, site, context_options):
    context = browser.new_context(base_url=site, **context_options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def axe_violations():
    """Runs the vendored axe-core on the page and returns its violations (WCAG 2.1 A and AA
    rules and axe's best practices), each as "rule: help (targets)"."""

    def run(page) -> list[str]:
        # Evaluated through the DevTools protocol, which the Content-Security-Policy does not
        # govern: a <script> element added to the page would be refused as inline script.
        page.evaluate(AXE.read_text(encoding="utf-8"))
        result = page.evaluate(
            """async () => await axe.run(document, {
                runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                                "best-practice"]},
                resultTypes: ["violations"],
            })"""
        )
        return [
            f"{v['id']}: {v['help']} ({', '.join(str(n['target']) for n in v['nodes'][:5])})"
            for v in result["violations"]
        ]

    return run
