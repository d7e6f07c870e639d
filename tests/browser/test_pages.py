"""Every remaining page type, in both languages, passes axe-core; printing a lesson hides the chrome."""

import pytest

from apps.checklist.models import ChecklistItem
from tests.browser.conftest import assert_accessible, log_in, screenshot
from tests.factories import PASSWORD, StudentFactory


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_account_and_misc_pages_have_no_accessibility_violations(page, lang):
    StudentFactory(username="lina")
    page.goto(f"{page.base}/{lang}/privacy/")
    assert_accessible(page)
    page.goto(f"{page.base}/{lang}/no-such-page/")
    assert_accessible(page)
    log_in(page, "lina", PASSWORD, lang=lang)
    item = ChecklistItem.objects.select_related("group").first()
    for path in [
        "/accounts/",
        "/accounts/password/",
        "/accounts/logout/",
        f"/checklist/{item.group.slug}/{item.key}/report/",
        "/dashboard/",
        "/join/",
    ]:
        page.goto(f"{page.base}/{lang}{path}")
        assert_accessible(page)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_form_errors_are_accessible(page, lang):
    page.goto(f"{page.base}/{lang}/accounts/signup/")
    page.locator("form.stack-form button[type=submit]").click()
    page.locator(".form-errors").wait_for()
    assert page.locator('[aria-invalid="true"]').count() >= 1
    assert_accessible(page)


def test_a_lesson_prints_without_navigation(page, shipped_content):
    page.goto(f"{page.base}/en/modules/profiling/off-platform/")
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    assert page.locator(".read-status").is_hidden()
    assert page.locator(".site-footer").is_hidden()
    assert page.locator("figure.diagram svg").first.is_visible()
    page.pdf(path=str(screenshot(page, "print-lesson").with_suffix(".pdf")))


def test_keyboard_only_quiz_answer(page):
    page.goto(f"{page.base}/en/modules/alpha/quiz/")
    start = page.get_by_role("button", name="Start the quiz")
    start.focus()
    page.keyboard.press("Enter")
    page.locator(".question-form").wait_for()
    page.locator('input[name="choice"]').first.focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    if page.evaluate("document.activeElement.name") == "choice":  # checkboxes: tab through them
        while page.evaluate("document.activeElement.name") == "choice":
            page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.locator(".feedback").wait_for()
    # The form is gone: focus moves on to the next question (the verdict is announced by the status
    # element, and the feedback is read by moving back), so Enter again goes on.
    # A locator, not wait_for_function: its polling would evaluate a string, which our CSP forbids.
    page.locator(":focus", has_text="Next question").wait_for()
    assert page.evaluate("document.activeElement.textContent") == "Next question"
    page.keyboard.press("Enter")
    page.locator(".question-form").wait_for()
    assert page.get_by_text("Question 2 of 8").is_visible()
