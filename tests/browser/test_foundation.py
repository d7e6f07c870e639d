import pytest

from tests.browser.conftest import assert_accessible, screenshot

PAGES = ["/{lang}/", "/{lang}/accounts/login/", "/{lang}/accounts/signup/"]


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("path", PAGES)
def test_pages_have_no_accessibility_violations(page, path, lang):
    page.goto(page.base + path.format(lang=lang))
    assert_accessible(page)


def test_sign_up_log_out_log_in_and_switch_to_arabic(page):
    page.goto(page.base + "/en/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill("nadia")
    page.get_by_label("a student").check()
    page.get_by_label("Password", exact=True).fill("a-strong-passphrase-42")
    page.get_by_label("Password confirmation").fill("a-strong-passphrase-42")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(page.base + "/en/")
    assert page.get_by_text("Welcome, nadia!").is_visible()

    page.get_by_role("button", name="Log out").click()
    assert page.get_by_role("link", name="Log in").is_visible()

    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill("nadia")
    page.get_by_label("Password").fill("a-strong-passphrase-42")
    page.locator("form.stack-form").get_by_role("button", name="Log in").click()
    page.wait_for_url(page.base + "/en/")
    assert page.get_by_role("link", name="nadia").is_visible()

    page.locator(".lang-switch a[hreflang=ar]").click()
    page.wait_for_url(page.base + "/ar/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    # Mirrored: the brand sits at the right edge, the account links towards the left.
    brand = page.locator(".brand").bounding_box()
    assert brand["x"] + brand["width"] > 390 - 40
    assert page.get_by_role("link", name="nadia").is_visible()
    screenshot(page, "home-ar")


def test_percentages_stay_readable_in_arabic(page):
    page.goto(page.base + "/ar/")
    figure = page.locator(".fact-figure bdi.num").first
    assert figure.inner_text() == "98\u066a"
    # Character boxes, left to right on screen: digits then the percent sign, unscrambled.
    boxes = figure.evaluate(
        """el => {
            const text = el.firstChild, out = [];
            for (let i = 0; i < text.length; i++) {
                const range = document.createRange();
                range.setStart(text, i); range.setEnd(text, i + 1);
                out.push(range.getBoundingClientRect().left);
            }
            return out;
        }"""
    )
    nine, seven, sign = boxes
    assert nine < seven < sign
    figure.screenshot(path=str(screenshot(page, "percent-ar").with_name("percent-ar-figure.png")))


def test_pages_work_without_javascript(page_without_js):
    page = page_without_js
    page.goto(page.base + "/ar/accounts/login/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.get_by_role("link", name="English").click()
    page.wait_for_url(page.base + "/en/accounts/login/")
