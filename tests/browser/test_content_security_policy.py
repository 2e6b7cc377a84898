"""Under the Content-Security-Policy, in a real browser: no page, public, signed-in, the admin's
or the API documentation's, makes the browser refuse anything (a `securitypolicyviolation`
event) or log an error, and Swagger UI and ReDoc still draw the API's operations."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from states.models import State
from tests.browser.test_every_page import (
    ANONYMOUS,
    PAGES,
    SECRETARIAT,
    _address,
    _ids,
    _sign_in,
)
from tests.factories import SuperuserFactory

pytestmark = pytest.mark.browser

# Listens on the document before any of the page's own scripts run, so that a refusal while
# the page loads is caught too.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline"}` +
    ` (${event.sourceFile || ""}:${event.lineNumber || ""})`
  );
});
"""


class Watcher:
    """A browser tab that records the policy's refusals and the console's errors."""

    def __init__(self, browser: Any, site: str) -> None:
        self.context = browser.new_context(base_url=site, locale="en-GB")
        self.context.set_default_timeout(20_000)
        self.context.add_init_script(LISTEN)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _console(self, message: Any) -> None:
        # The browser asks for /favicon.ico of its own accord; the site has none.
        if message.type == "error" and not message.location["url"].endswith("/favicon.ico"):
            self.errors.append(message.text)

    def visit(self, address: str) -> list[str]:
        """Opens the address and returns what went wrong there."""
        self.errors.clear()
        response = self.page.goto(address)
        self.page.wait_for_load_state("networkidle")
        problems = [] if response and response.ok else [f"HTTP {response and response.status}"]
        problems += self.page.evaluate("window.__cspViolations")
        return problems + self.errors

    def close(self) -> None:
        self.context.close()


def test_no_page_makes_the_browser_refuse_anything(browser, site):
    ids = _ids()
    failures: dict[str, list[str]] = {}
    anonymous = Watcher(browser, site)
    try:
        for listed in (p for p in PAGES if p.persona == ANONYMOUS and not p.reach):
            if problems := anonymous.visit(_address(listed, ids)):
                failures[listed.title()] = problems
    finally:
        anonymous.close()

    staff = Watcher(browser, site)
    try:
        _sign_in(staff.page, ids["users"][SECRETARIAT])
        signed_in = [p for p in PAGES if p.persona == SECRETARIAT and not p.reach][:5]
        assert signed_in
        for listed in signed_in:
            if problems := staff.visit(_address(listed, ids)):
                failures[f"Secretariat: {listed.title()}"] = problems
    finally:
        staff.close()
    assert failures == {}


def test_the_admin_runs_without_refusals(browser, site):
    admin: Any = SuperuserFactory(username="csp-admin")
    state = State.objects.get(code="AUT")
    watcher = Watcher(browser, site)
    try:
        _sign_in(watcher.page, admin.username)
        failures = {}
        for address in (
            reverse("admin:index"),
            reverse("admin:states_state_changelist"),
            reverse("admin:recommendations_recommendation_add"),
            reverse("admin:states_state_change", args=[state.pk]),
            # django-simple-history's page, from this project's copy of its template.
            reverse("admin:states_state_history", args=[state.pk]),
            # DRF's browsable API with its "Filters" button, from templates/rest_framework/.
            "/api/v1/recommendations/?format=api",
        ):
            if problems := watcher.visit(address):
                failures[address] = problems
        assert failures == {}
    finally:
        watcher.close()


def test_swagger_ui_draws_the_operations_without_refusals(browser, site):
    watcher = Watcher(browser, site)
    try:
        problems = watcher.visit("/api/v1/docs/")
        operations = watcher.page.locator(".opblock")
        operations.first.wait_for()
        assert operations.count() > 10
        problems += watcher.page.evaluate("window.__cspViolations")
        assert problems == []
    finally:
        watcher.close()


# ReDoc's menu shows Redocly's logo from Redocly's CDN: refused, as nothing is loaded from
# another site, and ReDoc then leaves it out.
REDOCLY_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


def test_redoc_draws_the_operations_without_refusals(browser, site):
    watcher = Watcher(browser, site)
    try:
        problems = watcher.visit("/api/v1/redoc/")
        menu = watcher.page.locator("[role=menuitem], .menu-content li")
        menu.first.wait_for()
        assert menu.count() > 10
        # ReDoc's own styles applied (its <style> elements were allowed by the nonce).
        assert watcher.page.locator("style[data-styled-version]").count()
        problems += watcher.page.evaluate("window.__cspViolations")
        assert [problem for problem in problems if REDOCLY_LOGO not in problem] == []
        assert not watcher.page.locator(f'img[src="{REDOCLY_LOGO}"]').count()
    finally:
        watcher.close()
