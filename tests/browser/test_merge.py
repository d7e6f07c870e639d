"""Reading, answering and ticking before signing up: the new account keeps all of it."""

import pytest

from apps.accounts.models import Reader, User
from apps.checklist.models import ChecklistTick
from apps.lessons.models import LessonRead
from apps.quizzes.models import Answer
from tests.browser.conftest import assert_accessible

PASSWORD = "a-long-pass-phrase-2026"


def _as_anonymous_reader(page) -> None:
    page.goto(f"{page.base}/en/modules/alpha/first-steps/")
    page.locator("form.read-form button").click()
    page.locator(".read-done").wait_for()

    page.goto(f"{page.base}/en/modules/alpha/quiz/")
    page.get_by_role("button", name="Start the quiz").click()
    page.locator("form.question-form input[name=choice]").first.check()
    page.locator("form.question-form button[type=submit]").click()
    page.locator(".feedback").wait_for()

    page.goto(f"{page.base}/en/checklist/photobook/")
    page.locator("#tick-private-account").check()
    if page.locator("#item-private-account button.js-hide").is_visible():
        page.locator("#item-private-account button.js-hide").click()
    page.locator("#item-private-account.is-done").wait_for()


def _sign_up(page, username: str) -> None:
    page.goto(f"{page.base}/en/accounts/signup/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.locator("form.stack-form button[type=submit]").click()
    page.wait_for_url(f"{page.base}/en/")


@pytest.mark.parametrize("fixture", ["page", "page_without_js"])
def test_sign_up_after_anonymous_reading_a_quiz_and_ticks_keeps_everything(request, fixture, live_server):
    page = request.getfixturevalue(fixture)
    _as_anonymous_reader(page)
    assert Reader.objects.filter(user__isnull=True).count() == 1

    _sign_up(page, f"new-{fixture.replace('_', '-')}")

    user = User.objects.get(username=f"new-{fixture.replace('_', '-')}")
    assert Reader.objects.filter(user__isnull=True, merged_into__isnull=True).count() == 0
    assert list(LessonRead.objects.filter(reader__user=user).values_list("lesson__slug", flat=True)) == [
        "first-steps"
    ]
    assert Answer.objects.filter(attempt__reader__user=user).count() == 1
    assert list(ChecklistTick.objects.filter(reader__user=user).values_list("item__key", flat=True)) == [
        "private-account"
    ]
    # And the pages say so.
    assert "Continue:" in page.locator(".hero-actions").inner_text()
    page.goto(f"{page.base}/en/checklist/photobook/")
    assert page.locator("#tick-private-account").is_checked()
    page.goto(f"{page.base}/en/modules/alpha/quiz/")
    assert page.get_by_text("Continue your attempt").is_visible()
    if fixture == "page":  # axe runs as a script in the page
        assert_accessible(page)
