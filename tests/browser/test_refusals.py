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
