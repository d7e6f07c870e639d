import pytest

from apps.quizzes.models import Attempt, Question
from tests.browser.conftest import assert_accessible


def _answer_current(page, *, right: bool) -> None:
    """Answer the question on screen, looking its right choices up on the server side."""
    prompt = page.locator("#question-prompt").inner_text()
    question = next(
        q for q in Question.objects.prefetch_related("choices") if prompt in (q.prompt_en, q.prompt_ar)
    )
    choices = list(question.choices.all())
    keys = (
        [c.key for c in choices if c.is_correct]
        if right
        else [next(c.key for c in choices if not c.is_correct)]
    )
    for key in keys:
        page.locator(f'input[name="choice"][value="{key}"]').check()
    page.locator(".question-form button[type=submit]").click()


def test_whole_quiz_with_htmx(page):
    page.goto(f"{page.base}/en/modules/profiling/quiz/")
    page.get_by_role("button", name="Start the quiz").click()
    attempt_url = page.url
    for number in range(1, 11):
        assert page.get_by_text(f"Question {number} of 10").is_visible()
        _answer_current(page, right=number <= 8)
        page.locator(".feedback").wait_for()
        assert page.url == attempt_url  # swapped in place
        assert page.locator("#quiz-announcer").inner_text() in ("Right!", "Not quite.")
        if number == 1:
            assert_accessible(page)
        link = "See your results" if number == 10 else "Next question"
        page.get_by_role("link", name=link).click()
    page.wait_for_url("**/results/")
    assert "80%" in page.locator(".score").inner_text()
    assert page.get_by_text("Passed").first.is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Try again").click()
    assert page.get_by_text("Question 1 of 10").is_visible()
    assert Attempt.objects.count() == 2


def test_empty_answer_shows_an_inline_error(page):
    page.goto(f"{page.base}/en/modules/profiling/quiz/")
    page.get_by_role("button", name="Start the quiz").click()
    page.locator(".question-form button[type=submit]").click()
    page.get_by_role("alert").wait_for()
    assert "Choose an answer first." in page.get_by_role("alert").inner_text()


def test_whole_quiz_without_javascript(page_without_js):
    page = page_without_js
    page.goto(f"{page.base}/ar/modules/fraud-checks/quiz/")
    page.locator("form.inline-form button").click()
    for number in range(10):
        _answer_current(page, right=number % 2 == 0)
        page.wait_for_url("**?show=*")
        page.locator(".feedback").wait_for()
        page.locator("#question-card a.button").click()
    page.wait_for_url("**/results/")
    assert "50" in page.locator(".score").inner_text()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_quiz_views_have_no_accessibility_violations(page, lang):
    page.goto(f"{page.base}/{lang}/modules/listening/quiz/")
    assert_accessible(page)
    page.locator("form.inline-form button").click()
    assert_accessible(page)  # question
    _answer_current(page, right=False)
    page.locator(".feedback").wait_for()
    assert_accessible(page)  # feedback
    for _ in range(9):
        page.locator("#question-card a.button").click()
        page.locator(".question-form").wait_for()
        _answer_current(page, right=True)
        page.locator(".feedback").wait_for()
    page.locator("#question-card a.button").click()
    page.wait_for_url("**/results/")
    assert_accessible(page)  # results
