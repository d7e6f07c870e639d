"""The policy reader in the browser: with htmx, without JavaScript, on a phone, zero axe violations."""

import pytest

from apps.labs import content
from tests.browser.conftest import assert_accessible
from tests.labs.conftest import POLICY_FIXTURE

RIGHT = {"collect": "collected", "keep": "kept", "change": "changes"}


@pytest.fixture(autouse=True)
def fixture_policies(monkeypatch):
    policies = content.load_policies(POLICY_FIXTURE)
    monkeypatch.setattr(content, "policies", lambda: policies)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_marking_the_clauses_with_htmx(page, lang):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{page.base}/{lang}/labs/policies/")
    assert_accessible(page)
    page.locator(".lab-list a").first.click()
    page.wait_for_url(f"**/{lang}/labs/policies/social/")
    assert_accessible(page)
    for clause, topic in RIGHT.items():
        page.locator(f"#clause-{clause}-{topic}").check()
    page.locator("#check-policy").click()
    page.locator(".lab-clauses").wait_for()
    assert page.locator("#lab-announcer").count() == 1 and page.locator("#lab-announcer").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)
    page.goto(f"{page.base}/{lang}/labs/policies/guide/")
    assert_accessible(page)


def test_the_reader_without_javascript(page_without_js):
    page = page_without_js
    page.goto(f"{page.base}/en/labs/policies/social/")
    for clause, topic in {**RIGHT, "change": "delete"}.items():
        page.locator(f"#clause-{clause}-{topic}").check()
    page.locator("#check-policy").click()
    page.wait_for_url("**/en/labs/policies/social/#policy")
    assert "2 of 3 clauses right" in page.locator("#policy").inner_text()
