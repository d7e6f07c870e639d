"""The letter writer in the browser: with htmx, without JavaScript, on a phone, zero axe violations."""

import pytest

from apps.labs import content
from tests.browser.conftest import assert_accessible
from tests.labs.conftest import REQUESTS_FIXTURE


@pytest.fixture(autouse=True)
def fixture_requests(monkeypatch):
    lab = content.load_requests(REQUESTS_FIXTURE)
    monkeypatch.setattr(content, "requests", lambda: lab)


def fill(page, *, law="testland", kind="copy", company="Northwind Games"):
    page.locator(f"#law-{law}").check()
    page.locator(f"#kind-{kind}").check()
    page.locator("#id_company").fill(company)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_writing_copying_and_starting_again_with_htmx(page, lang):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{page.base}/{lang}/labs/requests/")
    assert_accessible(page)
    fill(page, kind="correct")
    page.locator("#write-letter").click()
    page.locator(".form-errors").wait_for()  # a correction needs its details
    assert page.locator("#id_details_errors").count() == 1
    assert_accessible(page)
    page.locator("#id_details").fill("My name is Sam, not Sal.")
    page.locator("#write-letter").click()
    page.locator("#letter-text").wait_for()
    assert "My name is Sam, not Sal." in page.locator("#letter-text").input_value()
    assert page.evaluate("document.activeElement.id") == "write-letter"  # focus stays where it was
    assert page.locator("#lab-announcer").count() == 1 and page.locator("#lab-announcer").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)
    copied = page.locator("[data-copy]").get_attribute("data-copied")
    page.locator("[data-copy]").click()
    page.wait_for_function("t => document.getElementById('lab-announcer').textContent === t", arg=copied)
    assert page.locator("[data-print]").is_visible()
    page.get_by_role("button", name="Start again" if lang == "en" else "ابدأ من جديد").click()
    page.wait_for_url(f"**/{lang}/labs/requests/")
    assert page.locator("#letter").count() == 0


def test_the_nearest_request_and_an_arabic_letter_with_htmx(page):
    page.goto(f"{page.base}/en/labs/requests/")
    fill(page, kind="sell")
    page.locator("#id_language_1").check()
    page.locator("#write-letter").click()
    page.locator("#letter .notice").wait_for()
    assert page.locator("#letter-text").get_attribute("dir") == "rtl"
    assert "أوقفوا التسويق" in page.locator("#letter-text").input_value()
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_letter_writer_without_javascript(page_without_js, lang):
    page = page_without_js
    page.goto(f"{page.base}/{lang}/labs/requests/")
    assert not page.locator("[data-copy]").is_visible() and not page.locator("[data-print]").is_visible()
    fill(page, law="elsewhere")
    page.locator("#write-letter").click()
    page.wait_for_url(f"**/{lang}/labs/requests/#letter")
    letter = page.locator("#letter-text")
    expected = "Under the Elsewhere Privacy Law, send me a copy." if lang == "en" else "أرسلوا لي نسخة"
    assert expected in letter.input_value() and letter.get_attribute("lang") == lang
    assert page.locator("#letter .js-hide").is_visible()  # how to copy and print without JavaScript
    with page.expect_download() as download:
        page.locator("a[download]").click()
    assert download.value.suggested_filename == f"data-request-elsewhere-copy-{lang}.txt"
