"""Languages in the browser: the switcher's links keep the page, and dates and numbers follow the language."""

from datetime import UTC, datetime

import pytest

from tests.factories import open_cycle_with_criteria

from .conftest import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def switch_language(page, name: str, expected_path: str) -> None:
    page.locator(".language-switcher").get_by_role("link", name=name).click()
    page.wait_for_url(f"**{expected_path}")


def test_language_switcher_keeps_a_page_with_a_path_parameter(page):
    from tests.factories.library import nominate, published_cycle  # noqa: PLC0415
    from tests.factories.practices import PracticeFactory  # noqa: PLC0415

    cycle = published_cycle(2091)
    practice = PracticeFactory(name="Perhevalmentajat")
    nominate(practice, cycle)

    page.goto("/fi/palkinto/2091/")
    switch_language(page, "Svenska", "/sv/palkinto/2091/")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert "Perhevalmentajat" in page.locator("main").inner_text()
    switch_language(page, "English", "/en/palkinto/2091/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page)

    page.goto(f"/en/kaytannot/{practice.slug}/")
    switch_language(page, "Suomi", f"/fi/kaytannot/{practice.slug}/")
    assert page.locator("html").get_attribute("lang") == "fi"
    assert page.get_by_role("heading", level=1).inner_text() == "Perhevalmentajat"


def test_language_switcher_keeps_the_query_of_a_search(page):
    page.goto("/fi/kaytannot/?q=perhe")
    switch_language(page, "Svenska", "/sv/kaytannot/?q=perhe")
    assert page.locator("#id_q").input_value() == "perhe"


def test_call_page_deadline_is_formatted_per_language(page):
    # 13:00 UTC on 31 March 2100 is 16:00 in Helsinki (summer time).
    open_cycle_with_criteria(nominations_close_at=datetime(2100, 3, 31, 13, 0, tzinfo=UTC))
    texts = {}
    for language in ("fi", "sv", "en"):
        page.goto(f"/{language}/palkinto/haku/")
        texts[language] = page.locator("#deadline-heading").locator("xpath=..").inner_text()
    assert "31. maaliskuuta 2100" in texts["fi"]
    assert "16.00" in texts["fi"]
    assert "31 mars 2100" in texts["sv"]
    assert "16:00" in texts["sv"]
    assert "31 March 2100" in texts["en"]
    assert "16:00" in texts["en"]
    assert "p.m." not in texts["en"]  # a 24-hour clock, as in Finland
