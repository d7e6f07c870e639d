import pytest

from apps.quizzes.models import Attempt
from tests.browser.conftest import answer_current, assert_accessible


def test_whole_quiz_with_htmx(page):
    page.goto(f"{page.base}/en/modules/alpha/quiz/")
    page.get_by_role("button", name="Start the quiz").click()
    attempt_url = page.url
    for number in range(1, 9):
        assert page.get_by_text(f"Question {number} of 8").is_visible()
        answer_current(page, right=number <= 6)
        page.locator(".feedback").wait_for()
        assert page.url == attempt_url  # swapped in place
        assert page.locator("#quiz-announcer").inner_text() in ("Right!", "Not quite.")
        if number == 1:
            assert_accessible(page)
        link = "See your results" if number == 8 else "Next question"
        page.get_by_role("link", name=link).click()
    page.wait_for_url("**/results/")
    assert "75%" in page.locator(".score").inner_text()
    assert page.get_by_text("Passed").first.is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Try again").click()
    assert page.get_by_text("Question 1 of 8").is_visible()
    assert Attempt.objects.count() == 2


def test_empty_answer_shows_an_inline_error(page):
    page.goto(f"{page.base}/en/modules/alpha/quiz/")
    page.get_by_role("button", name="Start the quiz").click()
    page.locator(".question-form button[type=submit]").click()
    page.locator("#answer-error").wait_for()
    assert page.locator("#answer-error").inner_text() == "Choose an answer first."
    # Said once, by the page's status element; the message is the choices' description.
    assert page.locator("#quiz-announcer").inner_text() == "Choose an answer first."
    assert page.locator('.choices-fieldset[aria-describedby="answer-error"]').count() == 1


def test_whole_quiz_without_javascript(page_without_js):
    page = page_without_js
    page.goto(f"{page.base}/ar/modules/beta/quiz/")
    page.locator("form.inline-form button").click()
    for number in range(8):
        answer_current(page, right=number % 2 == 0)
        page.wait_for_url("**?show=*")
        page.locator(".feedback").wait_for()
        page.locator("#question-card a.button").click()
    page.wait_for_url("**/results/")
    assert "50" in page.locator(".score").inner_text()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_quiz_views_have_no_accessibility_violations(page, lang):
    page.goto(f"{page.base}/{lang}/modules/beta/quiz/")
    assert_accessible(page)
    page.locator("form.inline-form button").click()
    assert_accessible(page)  # question
    answer_current(page, right=False)
    page.locator(".feedback").wait_for()
    assert_accessible(page)  # feedback
    for _ in range(7):
        page.locator("#question-card a.button").click()
        page.locator(".question-form").wait_for()
        answer_current(page, right=True)
        page.locator(".feedback").wait_for()
    page.locator("#question-card a.button").click()
    page.wait_for_url("**/results/")
    assert_accessible(page)  # results
