"""The public site in a real browser: htmx filtering, search, State statuses, the proposal
diff, downloads, axe-core on every page, phone width, and pages without JavaScript."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from recommendations.models import Recommendation
from states.models import State
from tests.factories import ImplementationReportFactory
from tests.public_pages import public_urls

pytestmark = pytest.mark.browser


def adopted(label: str) -> Recommendation:
    return Recommendation.objects.get(meeting__ordinal=7, label=label, status="adopted")


def test_filtering_by_theme_updates_the_list_in_place_and_the_address(page):
    page.goto("/recommendations/")
    page.evaluate("window.notReloaded = true")
    expected = Recommendation.objects.filter(themes__slug="technology").count()

    page.get_by_label("Theme").select_option("technology")

    page.wait_for_url(re.compile(r"/recommendations/\?theme=technology$"))
    count = page.locator("#results .result-count")
    count.get_by_text(f"{expected} recommendations found.").wait_for()
    assert page.evaluate("window.notReloaded") is True  # swapped in place, no page load
    for tags in page.locator("#results .rec-item .rec-tags").all_inner_texts():
        assert "Technology" in tags
    # The address is the filtered list: opening it afresh shows the same selection.
    page.reload()
    assert page.get_by_label("Theme").input_value() == "technology"
    count.get_by_text(f"{expected} recommendations found.").wait_for()


def test_a_search_for_joint_investigative_teams_finds_2020_recommendation_8_first(page):
    page.goto("/")
    page.get_by_label("Search recommendations, background papers and meetings").fill(
        "joint investigative teams"
    )
    page.get_by_role("button", name="Search", exact=True).click()

    first = page.locator("[data-testid=recommendation-results] .rec-item").first
    assert first.locator(".rec-title a").inner_text() == "Recommendation 8"
    assert "Meeting 7 (2020)" in first.locator(".rec-meeting").inner_text()
    assert first.locator("mark").all_inner_texts()[:3] == ["joint", "investigative", "teams"]


def test_a_state_page_shows_the_statuses_entered_for_it(page):
    austria = State.objects.get(code="AUT")
    ImplementationReportFactory(
        state=austria, recommendation=adopted("8"), status="partially_implemented"
    )
    ImplementationReportFactory(state=austria, recommendation=adopted("13"), status="in_progress")

    page.goto("/states/AUT/")

    table = page.locator("[data-testid=state-statuses]")
    row_8 = table.locator("tr", has=page.get_by_role("link", name="Recommendation 8 (2020)"))
    row_13 = table.locator("tr", has=page.get_by_role("link", name="Recommendation 13 (2020)"))
    assert "Partially implemented" in row_8.inner_text()
    assert "In progress" in row_13.inner_text()
    assert (
        "No information"
        in table.locator(
            "tr", has=page.get_by_role("link", name="Recommendation 1 (2020)")
        ).inner_text()
    )


def test_the_proposal_to_adoption_diff_renders(page):
    page.goto(f"/recommendations/{adopted('13').pk}/")

    diff = page.locator("[data-testid=word-diff]")
    assert diff.is_visible()
    assert diff.locator("del").all_text_contents() == ["removed: Parties", "removed: “hot spots”"]
    assert "added: migrant" in diff.locator("ins").all_text_contents()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_downloads_open_with_the_filtered_rows(page, file_format):
    expected = set(
        Recommendation.objects.filter(themes__slug="technology", status="adopted").values_list(
            "label", flat=True
        )
    )
    page.goto("/recommendations/?theme=technology&status=adopted")

    link_name = "CSV" if file_format == "csv" else "Excel (XLSX)"
    with page.expect_download() as download_info:
        page.get_by_role("link", name=link_name, exact=True).click()
    content = open(download_info.value.path(), "rb").read()  # noqa: SIM115

    if file_format == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(content)).active
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header, body = rows[0], rows[1:]
    assert {str(row[header.index("label")]) for row in body} == expected
    assert len(body) == len(expected)


def _urls() -> list[str]:
    return public_urls()


def _with_statuses() -> None:
    """Some validated reports (one marked as demonstration data), so that every status
    colour, the demonstration banner and the history tables are on the pages checked."""
    austria = State.objects.get(code="AUT")
    for label, status in [
        ("1", "implemented"),
        ("8", "partially_implemented"),
        ("13", "in_progress"),
        ("2", "not_implemented"),
        ("3", "not_applicable"),
    ]:
        ImplementationReportFactory(state=austria, recommendation=adopted(label), status=status)
    ImplementationReportFactory(
        state=State.objects.get(code="MEX"), recommendation=adopted("13"), is_demonstration=True
    )


def test_axe_core_finds_no_violation_on_any_public_page(page, axe_violations):
    _with_statuses()
    found = {}
    for url in _urls():
        page.goto(url)
        violations = axe_violations(page)
        if violations:
            found[url] = violations
    assert found == {}


def test_axe_core_finds_no_violation_on_the_french_pages(page, axe_violations):
    _with_statuses()
    page.goto("/")
    page.get_by_role("button", name="Français").click()
    page.wait_for_selector("html[lang=fr]")
    found = {}
    for url in _urls():
        page.goto(url)
        violations = axe_violations(page)
        if violations:
            found[url] = violations
    assert found == {}


@pytest.fixture
def phone_page(browser, site):
    context = browser.new_context(
        base_url=site, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    yield context.new_page()
    context.close()


def test_every_page_fits_a_phone_screen_without_sideways_scrolling(phone_page):
    _with_statuses()
    too_wide = {}
    for url in _urls():
        phone_page.goto(url)
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            too_wide[url] = width
    assert too_wide == {}


@pytest.fixture
def no_script_page(browser, site):
    context = browser.new_context(
        base_url=site, viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    yield context.new_page()
    context.close()


def test_filters_and_paging_work_without_javascript(no_script_page):
    page = no_script_page
    page.goto("/recommendations/")
    page.get_by_label("Theme").select_option("technology")
    page.get_by_label("Status", exact=True).select_option("adopted")
    page.get_by_role("button", name="Apply filters").click()

    expected = Recommendation.objects.filter(themes__slug="technology", status="adopted").count()
    assert "theme=technology" in page.url and "status=adopted" in page.url
    page.locator(".result-count").get_by_text(f"{expected} recommendations found.").wait_for()

    page.goto("/recommendations/")
    page.get_by_role("link", name="Next page").click()
    assert "page=2" in page.url
    page.get_by_role("link", name="Page 2").wait_for()


def test_recommendation_and_state_pages_print_their_content_without_navigation(page):
    # A State that has reported: one that has not shows no table (it says so instead).
    ImplementationReportFactory(
        state=State.objects.get(code="AUT"), recommendation=adopted("8"), status="implemented"
    )
    page.emulate_media(media="print")
    for url in [f"/recommendations/{adopted('13').pk}/", "/states/AUT/"]:
        page.goto(url)
        assert page.locator(".site-nav").is_hidden()
        assert page.locator(".language-form").is_hidden()
        assert page.locator("h1").is_visible()
        assert page.locator("main table").first.is_visible()
