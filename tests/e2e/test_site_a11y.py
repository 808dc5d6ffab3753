"""The base layout in a real browser: accessible in every language, usable with the keyboard."""

import pytest

from .conftest import LAPTOP, PHONE, assert_accessible, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_home_page_has_no_wcag_violations(page, language):
    page.goto(f"/{language}/")
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page)


def test_skip_link_is_first_and_moves_focus_to_main(page):
    page.goto("/fi/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_language_switcher_keeps_the_page(page):
    page.goto("/fi/palkinto/")
    page.get_by_role("link", name="Svenska").click()
    page.wait_for_url("**/sv/palkinto/")
    assert page.locator("html").get_attribute("lang") == "sv"


@pytest.mark.parametrize(("width_name", "viewport"), [("phone", PHONE), ("laptop", LAPTOP)])
def test_home_page_screenshots(new_page, width_name, viewport):
    page = new_page(viewport=viewport)
    page.goto("/fi/")
    path = screenshot(page, f"home-{width_name}")
    assert path.stat().st_size > 1000
    # Nothing wider than the screen: no horizontal scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


@pytest.mark.parametrize("path", ["/fi/saavutettavuus/", "/sv/tietosuoja/", "/en/palkinto/"])
def test_static_pages_have_no_wcag_violations(page, path):
    page.goto(path)
    assert_accessible(page)
