"""The scam lab in the browser: with htmx, without JavaScript, on a phone, with zero axe violations."""

import pytest

from apps.labs import content
from tests.browser.conftest import assert_accessible
from tests.labs.conftest import FIXTURE


@pytest.fixture(autouse=True)
def fixture_scams(monkeypatch):
    messages = content.load_scams(FIXTURE)
    monkeypatch.setattr(content, "scams", lambda: messages)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_answering_with_htmx_shows_the_clues_in_place(page, lang):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{page.base}/{lang}/labs/scams/")
    assert_accessible(page)
    page.locator("main a.button").first.click()
    page.wait_for_url(f"**/{lang}/labs/scams/fee/")
    assert_accessible(page)
    page.locator("#verdict-fake").check()
    page.locator("#part-1").check()
    page.locator("#check-message").click()
    page.locator(".lab-feedback").wait_for()
    assert page.evaluate("document.activeElement.textContent").strip() != ""  # focus on the next link
    assert page.locator("#lab-announcer").count() == 1 and page.locator("#lab-announcer").inner_text()
    assert page.locator(".lab-part.is-clue").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)


def test_the_lab_without_javascript_to_the_score(page_without_js):
    page = page_without_js
    page.goto(f"{page.base}/en/labs/scams/fee/")
    for key, verdict in [("fee", "fake"), ("pin", "real"), ("code", "real")]:
        page.goto(f"{page.base}/en/labs/scams/{key}/")
        page.locator(f"#verdict-{verdict}").check()
        page.locator("#check-message").click()
        page.wait_for_url(f"**/en/labs/scams/{key}/#message")
        assert page.locator(".lab-feedback").is_visible()
    page.get_by_role("link", name="See your score").click()
    assert "2 of 3 right." in page.locator("#score").inner_text()
