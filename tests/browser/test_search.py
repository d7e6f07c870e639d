"""Search in a browser: from the header of any page, without JavaScript, on a 360 px phone, in both
languages, with no axe-core violation."""

import pytest

from tests.browser.conftest import _open_page, assert_accessible
from tests.browser.test_layout import STICKING_OUT
from tests.factories import LessonFactory

QUERY = {"en": "sticks account", "ar": "اعلانات مخصصه"}
ONE_RESULT = {"en": "1 result for “sticks account”", "ar": "نتيجة واحدة عن «اعلانات مخصصه»"}


@pytest.fixture
def long_lesson():
    return LessonFactory(
        title_en="Privacy settings that sticks to your account for a long, long time",
        title_ar="الإعلانات المُخصّصة وإعدادات الخصوصية التي تبقى في حسابك وقتًا طويلًا جدًا",
        body_html_en="<p>" + "Words before. " * 40 + "What sticks to your account decides a lot.</p>",
        body_html_ar="<p>" + "كلمات قبلها. " * 40 + "تصلك إعلانات مُخصّصة بناءً على ما أعجبك.</p>",
    )


def _fits(page) -> None:
    assert page.evaluate(STICKING_OUT) == []
    width = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width[0] <= width[1], width


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_search_from_the_header_finds_and_marks_on_a_phone(page, long_lesson, lang):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{page.base}/{lang}/privacy/")
    _fits(page)
    page.get_by_role("search").get_by_role("searchbox").fill(QUERY[lang])
    page.get_by_role("search").get_by_role("button").click()
    page.wait_for_url(f"{page.base}/{lang}/search/?q=*")
    assert page.locator("h1").count() == 1
    assert page.get_by_role("status").inner_text() == ONE_RESULT[lang]
    result = page.locator(".search-result")
    assert result.count() == 1 and result.locator("mark").count() >= 4  # title and excerpt
    assert page.locator("#search-q").input_value() == QUERY[lang]
    _fits(page)
    assert_accessible(page)
    result.get_by_role("link").click()
    page.wait_for_url(f"{page.base}{long_lesson.get_absolute_url().replace('/en/', f'/{lang}/')}")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_empty_and_no_result_search_pages_are_accessible_and_fit(page, lang):
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ("/search/", "/search/?q=nothing-matches-this"):
        page.goto(f"{page.base}/{lang}{path}")
        _fits(page)
        assert_accessible(page)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_refused_search_is_accessible_and_fits(chromium, live_server, transactional_db, lang):
    # Not the `page` fixture: Chromium logs the 400 this page answers with as a console error.
    context, page, problems = _open_page(chromium)
    page.set_viewport_size({"width": 360, "height": 740})
    response = page.goto(f"{live_server.url}/{lang}/search/?q=" + "a" * 101)
    assert response.status == 400
    assert page.locator("#search-q-error").is_visible()
    _fits(page)
    assert_accessible(page)
    context.close()
    assert [problem for problem in problems if "status of 400" not in problem] == []


def test_the_header_search_works_without_javascript(page_without_js):
    page = page_without_js
    page.goto(f"{page.base}/ar/")
    page.locator("#site-search-q").fill("مكتبه")
    page.locator(".site-search button").click()
    page.wait_for_url(f"{page.base}/ar/search/?q=*")
    assert page.locator("#search-q").input_value() == "مكتبه"
