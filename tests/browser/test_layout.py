"""Every kind of page, in both languages, on a 360 px phone: no sideways scroll, the footer at the
bottom of the screen or below the content, and no axe-core violation."""

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD
from tests.helpers import site_tour

# The footer's bottom edge and the document's height, in CSS pixels from the top of the document.
FOOTER_AND_DOCUMENT = """() => {
    const footer = document.querySelector(".site-footer").getBoundingClientRect();
    return {footer: footer.bottom + window.scrollY, document: document.documentElement.scrollHeight,
            screen: window.innerHeight, width: document.documentElement.scrollWidth,
            viewport: document.documentElement.clientWidth};
}"""


# Elements that stick out of the screen sideways, or whose content (a long word) sticks out of them,
# outside a container that scrolls or clips them (a wide table in .table-scroll is fine): the page's
# scroll width alone can miss what sticks out of the left edge of a right-to-left page.
STICKING_OUT = """() => {
    const width = document.documentElement.clientWidth;
    // Whether a box that scrolls or clips contains el: an absolutely positioned element escapes every
    // box up to its nearest positioned ancestor, a fixed one escapes them all.
    const inScroller = el => {
        let position = getComputedStyle(el).position;
        for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
            const style = getComputedStyle(up);
            if (position === "fixed") return false;
            if (position === "absolute" && style.position === "static") continue;
            if (style.overflowX !== "visible") return true;
            position = style.position;
        }
        return false;
    };
    return Array.from(document.body.querySelectorAll("*")).flatMap(el => {
        const box = el.getBoundingClientRect();
        const outside = box.width && (box.left < -1 || box.right > width + 1);
        const spills = el.clientWidth && el.scrollWidth > el.clientWidth + 1
            && getComputedStyle(el).overflowX === "visible";
        if (!(outside || spills) || inScroller(el)) return [];
        const where = `${Math.round(box.left)} to ${Math.round(box.right)}`;
        return [`${el.tagName.toLowerCase()}.${el.className}: ${where}, content ${el.scrollWidth} wide`];
    });
}"""


def _assert_layout(page: Page, name: str) -> None:
    box = page.evaluate(FOOTER_AND_DOCUMENT)
    assert page.evaluate(STICKING_OUT) == [], f"{name}: wider than the screen"
    assert box["width"] <= box["viewport"], f"{name} scrolls sideways: {box}"
    assert box["document"] >= box["screen"], f"{name}: {box}"
    assert abs(box["footer"] - box["document"]) <= 1, f"{name}: the footer is not at the bottom: {box}"


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_page_fits_a_360_px_screen_with_the_footer_at_the_bottom(page, lang):
    tour = site_tour(lang=lang)
    page.set_viewport_size({"width": 360, "height": 740})
    users = {"student": tour.student, "teacher": tour.teacher}
    for who in ["anonymous", "student", "teacher"]:
        page.context.clear_cookies()
        if who in users:
            log_in(page, users[who].username, PASSWORD, lang=lang)
        for name, (viewer, path) in tour.pages.items():
            if viewer != who:
                continue
            page.goto(page.base + path)
            _assert_layout(page, f"{lang}{path} ({name})")
            assert_accessible(page)


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("path", ["/accounts/login/", "/no-such-page/"])
def test_the_footer_sits_at_the_bottom_of_a_short_page_on_a_large_screen(page, lang, path):
    page.set_viewport_size({"width": 1280, "height": 1400})
    page.goto(f"{page.base}/{lang}{path}")
    box = page.evaluate(FOOTER_AND_DOCUMENT)
    assert box["document"] == box["screen"] == 1400  # short: nothing to scroll
    assert abs(box["footer"] - 1400) <= 1, box
