import pytest

from apps.lessons.models import Lesson, LessonRead
from tests.browser.conftest import assert_accessible, screenshot


def _first_lessons():
    return list(Lesson.objects.filter(module__slug="alpha").order_by("position"))


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_lesson_pages_have_no_accessibility_violations(page, lang):
    lesson = _first_lessons()[1]
    for path in ["/modules/", "/modules/alpha/", f"/modules/alpha/{lesson.slug}/"]:
        page.goto(f"{page.base}/{lang}{path}")
        assert_accessible(page)


def test_read_a_lesson_and_mark_it_read_with_htmx(page):
    lessons = _first_lessons()
    page.goto(f"{page.base}/en/modules/alpha/{lessons[0].slug}/")
    progress = page.locator("#read-status progress")
    assert progress.get_attribute("value") == "0"
    page.get_by_role("button", name="Mark as read").click()
    page.get_by_text("You have read this lesson.").wait_for()
    assert progress.get_attribute("value") == "1"
    assert "Marked as read. 1 of 3 lessons read" in page.locator("#read-announcer").inner_text()
    assert page.url.endswith(f"/{lessons[0].slug}/")  # swapped in place, no reload
    assert_accessible(page)
    page.goto(f"{page.base}/en/modules/")
    assert page.locator("progress").first.get_attribute("value") == "1"


def test_mark_read_without_javascript(page_without_js):
    page = page_without_js
    lesson = _first_lessons()[0]
    page.goto(f"{page.base}/ar/modules/alpha/{lesson.slug}/")
    page.locator(".read-form button").click()
    page.wait_for_url(f"**/ar/modules/alpha/{lesson.slug}/#read-status")
    assert page.locator("#read-status progress").get_attribute("value") == "1"


def test_anonymous_progress_survives_sign_up(page):
    lesson = _first_lessons()[0]
    page.goto(f"{page.base}/en/modules/alpha/{lesson.slug}/")
    page.get_by_role("button", name="Mark as read").click()
    page.get_by_text("You have read this lesson.").wait_for()
    page.goto(f"{page.base}/en/accounts/signup/")
    page.get_by_label("Username").fill("reader")
    page.get_by_label("Password", exact=True).fill("a-strong-passphrase-42")
    page.get_by_label("Password confirmation").fill("a-strong-passphrase-42")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(f"{page.base}/en/")
    assert LessonRead.objects.filter(reader__user__username="reader", lesson=lesson).exists()
    page.goto(f"{page.base}/en/modules/alpha/")
    assert page.locator(".module-progress progress").get_attribute("value") == "1"


def test_arabic_diagram_is_rendered_with_arabic_labels(page, shipped_content):
    lesson = Lesson.objects.get(module__slug="profiling", slug="off-platform")
    page.goto(f"{page.base}/ar/modules/profiling/{lesson.slug}/")
    diagram = page.locator("figure.diagram svg").first
    box = diagram.bounding_box()
    assert box["width"] > 200 and box["height"] > 100
    screenshot(page, "lesson-ar")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_term_in_a_lesson_leads_to_its_glossary_entry_and_the_sources_open(
    page, page_without_js, javascript
):
    page = page if javascript else page_without_js
    page.goto(f"{page.base}/ar/modules/alpha/second-look/")
    page.locator("details.lesson-sources summary").click()
    page.get_by_role("link", name="example.org").first.wait_for()
    page.locator("a.term", has_text="second-look").click()
    page.wait_for_url("**/ar/glossary/#second-look")
    entry = page.locator("#second-look")
    assert "نظرة ثانية" in entry.inner_text()
    assert entry.evaluate("element => element.matches(':target')")
    entry.get_by_role("link", name="درس 2 من alpha").click()
    page.wait_for_url("**/ar/modules/alpha/second-look/")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_glossary_has_no_accessibility_violations(page, lang):
    page.goto(f"{page.base}/{lang}/glossary/")
    assert_accessible(page)
