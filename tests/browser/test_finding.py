"""Finding things in a browser: the States list narrows as one types "Find a State" (and, with
no script, when the form is sent), and the page-not-found page is accessible and fits a phone
and a laptop."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [390, 1366]
# The States list is long: give it time on a busy machine.
TIMEOUT = 30_000


def visible_states(page) -> list[str]:
    return page.locator("#states-table tbody tr:visible th").all_inner_texts()


def test_typing_in_find_a_state_narrows_the_list_as_one_types(page, axe_violations):
    page.set_default_timeout(TIMEOUT)
    page.goto("/states/")
    total = page.locator("#states-table tbody tr").count()
    assert total > 190

    page.get_by_label("Find a State").press_sequentially("guin")

    assert visible_states(page) == [
        "Equatorial Guinea",
        "Guinea",
        "Guinea-Bissau",
        "Papua New Guinea",
    ]
    # Screen readers hear the count once typing pauses.
    page.locator("#find-state-status").get_by_text("States shown: 4").wait_for()
    assert axe_violations(page) == []

    # Accents and case are ignored; clearing the box shows every State again.
    page.get_by_label("Find a State").fill("CÔTE")
    assert visible_states(page) == ["Côte d'Ivoire"]
    page.get_by_label("Find a State").fill("")
    assert len(visible_states(page)) == total


def test_without_script_find_a_state_filters_when_the_form_is_sent(browser, site):
    context = browser.new_context(base_url=site, java_script_enabled=False)
    context.set_default_timeout(TIMEOUT)
    page = context.new_page()
    page.goto("/states/")
    page.get_by_label("Find a State").fill("guinea")
    page.get_by_role("button", name="Apply filters").click()

    assert "q=guinea" in page.url
    assert page.locator("#states-table tbody tr").count() == 4
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_page_not_found_page_is_accessible_and_fits_the_screen(
    browser, site, axe_violations, width
):
    context = browser.new_context(base_url=site, viewport={"width": width, "height": 900})
    context.set_default_timeout(TIMEOUT)
    page = context.new_page()
    response = page.goto("/no-such-page/")

    assert response.status == 404
    page.get_by_role("heading", name="Page not found", level=1).wait_for()
    assert page.get_by_role("link", name="Go to the home page").is_visible()
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_states_list_with_its_search_box_fits_the_screen(browser, site, axe_violations, width):
    context = browser.new_context(base_url=site, viewport={"width": width, "height": 900})
    context.set_default_timeout(TIMEOUT)
    page = context.new_page()
    page.goto("/states/")

    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # The rows the filter hides stay hidden in the phone layout too.
    page.get_by_label("Find a State").fill("guin")
    assert len(visible_states(page)) == 4
    context.close()


def test_the_theme_cards_keep_their_text_inside_their_border_on_a_phone(browser, site):
    context = browser.new_context(base_url=site, viewport={"width": 390, "height": 844})
    context.set_default_timeout(TIMEOUT)
    page = context.new_page()
    page.goto("/themes/")

    overflowing = page.evaluate(
        """() => Array.from(document.querySelectorAll('.card')).filter(
            card => card.scrollWidth > card.clientWidth).length"""
    )
    assert overflowing == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
