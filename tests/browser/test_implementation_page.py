"""The implementation summary (/implementation/) in a real browser, on a phone (390 px) and a
laptop (1366 px): no sideways scrolling, axe-core finds nothing, the trend's dates are written
in the page's language and its labels keep their size, and the status chart's labels sit
whole above their bars on a phone."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from compliance.models import ComplianceSnapshot
from compliance.services import compliance_snapshot_compute
from recommendations.models import Recommendation
from states.models import State
from tests.factories import ImplementationReportFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}


def _with_a_trend() -> None:
    """Validated reports of every status and two snapshots a month apart, so the page draws
    every chart, the trend on its time axis and the snapshots table."""
    adopted = list(Recommendation.objects.filter(status="adopted").order_by("order", "pk")[:5])
    austria = State.objects.get(code="AUT")
    compliance_snapshot_compute(force=True)
    ComplianceSnapshot.objects.update(computed_at=timezone.now() - datetime.timedelta(days=30))
    statuses = [
        "implemented",
        "partially_implemented",
        "in_progress",
        "not_implemented",
        "not_applicable",
    ]
    for recommendation, status in zip(adopted, statuses, strict=True):
        ImplementationReportFactory(state=austria, recommendation=recommendation, status=status)
    compliance_snapshot_compute(force=True)


@pytest.fixture
def sized_page(browser, site):
    contexts = []

    def open_at(viewport: dict[str, int], locale: str = "en-GB"):
        context = browser.new_context(base_url=site, viewport=viewport, locale=locale)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_at
    for context in contexts:
        context.close()


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["390px", "1366px"])
def test_the_page_fits_the_screen_and_axe_finds_nothing(sized_page, axe_violations, viewport):
    _with_a_trend()
    page = sized_page(viewport)

    page.goto(reverse("compliance:summary"))

    assert page.locator("h1").inner_text() == "Implementation summary"
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert page.locator(".trend-plot .trend-x").count() >= 2
    assert axe_violations(page) == []


def test_every_scrolling_table_is_a_named_focusable_region(sized_page):
    _with_a_trend()
    page = sized_page(PHONE)
    page.goto(reverse("compliance:summary"))

    regions = page.locator(".table-scroll")
    assert regions.count() >= 7
    for index in range(regions.count()):
        region = regions.nth(index)
        assert region.get_attribute("tabindex") == "0"
        assert region.get_attribute("role") == "region"
        assert region.get_attribute("aria-label") or region.get_attribute("aria-labelledby")


def test_on_a_phone_a_chart_label_sits_whole_above_its_bar(sized_page):
    _with_a_trend()
    page = sized_page(PHONE)
    page.goto(reverse("compliance:summary"))

    row = page.locator("#by-regional-group-chart-caption ~ .status-chart-body .chart-row").first
    label = row.locator(".chart-label").bounding_box()
    bar = row.locator(".chart-bar").bounding_box()
    assert label["y"] + label["height"] <= bar["y"] + 1
    # Not cut: the label's text fits its box.
    assert row.locator(".chart-label").evaluate("e => e.scrollWidth <= e.clientWidth")


def test_the_trend_is_on_a_time_axis_with_dates_in_the_pages_language(sized_page):
    _with_a_trend()
    page = sized_page(LAPTOP, locale="fr-FR")
    page.goto(reverse("compliance:summary"))
    page.wait_for_selector("html[lang=fr]")

    ticks = page.locator(".trend-plot .trend-x").all_inner_texts()
    months = (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    )
    # Dates as French writes them ("7 décembre 2026"), never ISO ("2026-12-07").
    assert ticks and all(any(month in tick for month in months) for tick in ticks)
    percent_labels = page.locator(".trend-plot .trend-y").all_inner_texts()
    assert "50\N{NO-BREAK SPACE}%" in percent_labels
    # The labels are HTML, not shrunk with the drawing: at least 12 px whatever the width.
    size = page.locator(".trend-plot .trend-x").first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    assert size >= 12
