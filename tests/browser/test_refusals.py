"""A write the server refuses (a throttle's 429, an archived class's 409) is shown to the reader as a
whole page in their language, with JavaScript (htmx falls back to the plain form) and without it."""

import datetime

import pytest

from apps.accounts import readers
from apps.core.throttle import Throttle
from apps.lessons.models import Lesson, LessonRead


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_throttled_anonymous_write_shows_why(page, page_without_js, monkeypatch, lang, javascript):
    page = page if javascript else page_without_js
    monkeypatch.setattr(
        readers, "NEW_READERS", Throttle("new-reader", limit=0, window=datetime.timedelta(hours=1))
    )
    if javascript:  # Chromium and htmx each log the refused request
        page.expect_console_error("status of 429")
        page.expect_console_error("Error Code 429")
    lesson = Lesson.objects.select_related("module").first()
    page.goto(f"{page.base}/{lang}{lesson.get_absolute_url().removeprefix('/en')}")
    page.locator("form.read-form button[type=submit]").click()
    page.locator(
        "h1", has_text="Too many requests from your network" if lang == "en" else "طلبات كثيرة من شبكتك"
    ).wait_for()
    message = "Too many new visitors" if lang == "en" else "زوّار جدد كثيرون"
    assert message in page.locator("[role=alert]").inner_text()
    assert not LessonRead.objects.exists()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_refusal_pages_are_accessible_and_say_why_in_the_pages_language(page, lang):
    """The 400 page (a NUL in the address), the 403 page (a form sent without its CSRF cookie) and the
    locked log-in (429), each scanned by axe-core in both languages."""
    from tests.browser.conftest import assert_accessible
    from tests.factories import StudentFactory

    for status in ("400", "403", "429"):
        page.expect_console_error(f"status of {status}")
    response = page.goto(f"{page.base}/{lang}/modules/?next=%00")
    assert response.status == 400
    reason = "not allowed" if lang == "en" else "غير مسموح"
    assert reason in page.locator("[role=alert]").inner_text()
    assert_accessible(page)

    page.goto(f"{page.base}/{lang}/accounts/login/")
    page.context.clear_cookies()
    page.fill("input[name=username]", "nobody")
    page.fill("input[name=password]", "x")
    with page.expect_response(lambda response: response.request.method == "POST") as sent:
        page.click("form.stack-form button[type=submit]")
    assert sent.value.status == 403
    assert page.evaluate("document.documentElement.lang") == lang
    assert_accessible(page)

    StudentFactory(username="lina")
    for _ in range(6):
        page.goto(f"{page.base}/{lang}/accounts/login/")
        page.fill("input[name=username]", "lina")
        page.fill("input[name=password]", "wrong-password")
        page.click("form.stack-form button[type=submit]")
        page.wait_for_load_state()
    locked = "Too many wrong passwords" if lang == "en" else "محاولات كثيرة بكلمة مرور خاطئة"
    assert locked in page.locator("[role=alert]").inner_text()
    assert_accessible(page)
