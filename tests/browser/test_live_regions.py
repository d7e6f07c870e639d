"""Results of an htmx swap are announced once, by a status element that stays in the page.

Each page has one announcer (`<p aria-live="polite" role="status">`); a response replaces only its text
(`data-hx-swap-oob="innerHTML"`). These tests mark the announcer node before the action and read the
mark after it (same node, never swapped out), and count its text changes with a MutationObserver (one
per action). Focus moves only where the focused control disappeared, to the next control, never to a
block that repeats the announcement, and no swapped content carries role="alert".
"""

import datetime

from django.utils import timezone
from playwright.sync_api import Page

from apps.checklist.models import ChecklistItem, ChecklistTick
from apps.lessons.models import Lesson
from tests.browser.conftest import assert_accessible, choose_answer

# Marks the announcer and records each change of its text, one entry per batch of DOM mutations.
WATCH = """selector => {
    const announcer = document.querySelector(selector);
    announcer.dataTrailMark = "same node";
    window.announcements = [];
    let last = announcer.textContent;
    new MutationObserver(() => {
        if (announcer.textContent !== last) {
            last = announcer.textContent;
            window.announcements.push(last.trim());
        }
    }).observe(announcer, {childList: true, characterData: true, subtree: true});
}"""
# Long enough for a second announcement to arrive if something sent one (htmx settles in 20 ms).
QUIET_MS = 400


def _watch(page: Page, selector: str) -> None:
    page.evaluate(WATCH, selector)


def _announcements(page: Page, selector: str) -> list[str]:
    """What the announcer said since _watch, once the page is quiet; fails if the node was replaced."""
    page.wait_for_timeout(QUIET_MS)
    assert page.evaluate("s => document.querySelector(s).dataTrailMark", selector) == "same node"
    announcer = page.locator(selector)
    assert announcer.get_attribute("aria-live") == "polite"
    assert announcer.get_attribute("role") == "status"
    return page.evaluate("window.announcements")


def _focused(page: Page) -> dict:
    return page.evaluate(
        """() => { const el = document.activeElement;
                   return {tag: el.tagName, id: el.id, text: el.textContent.trim(), cls: el.className}; }"""
    )


def _no_alerts(page: Page) -> None:
    assert page.locator('[role="alert"]').count() == 0


def test_mark_as_read_is_announced_once_and_focus_moves_to_the_next_lesson(page):
    first, second = Lesson.objects.filter(module__slug="alpha").order_by("position")[:2]
    page.goto(f"{page.base}/en/modules/alpha/{first.slug}/")
    _watch(page, "#read-announcer")
    page.get_by_role("button", name="Mark as read").click()
    page.get_by_text("You have read this lesson.").wait_for()
    said = _announcements(page, "#read-announcer")
    assert said == ["Marked as read. 1 of 3 lessons read in “Alpha: how traces add up”."]
    # The button is gone: focus goes to the next lesson, not to the text that repeats the news.
    assert _focused(page)["text"] == f"Next: {second.title_en}"
    assert page.locator(".read-form").count() == 0
    _no_alerts(page)
    assert_accessible(page)


def test_mark_as_read_in_arabic_is_announced_once(page):
    lessons = list(Lesson.objects.filter(module__slug="alpha").order_by("position"))
    page.goto(f"{page.base}/ar/modules/alpha/{lessons[-1].slug}/")
    _watch(page, "#read-announcer")
    page.locator(".read-form button").click()
    page.locator(".read-done").wait_for()
    said = _announcements(page, "#read-announcer")
    assert len(said) == 1 and said[0]
    # The last lesson's next control is the quiz.
    assert page.evaluate("document.activeElement.getAttribute('href')") == "/ar/modules/alpha/quiz/"
    assert_accessible(page)


def test_checklist_tick_is_announced_once_per_change_and_focus_stays_on_the_checkbox(page):
    item = ChecklistItem.objects.filter(group__slug="everywhere").order_by("position").first()
    page.goto(f"{page.base}/en/checklist/everywhere/")
    _watch(page, "#checklist-announcer")
    checkbox = page.locator(f"#tick-{item.key}")
    checkbox.focus()
    page.keyboard.press("Space")
    page.locator(f"#item-{item.key}.is-done").wait_for()
    said = _announcements(page, "#checklist-announcer")
    assert len(said) == 1 and said[0].startswith(f"“{item.title_en}” marked as done. 1 of ")
    assert _focused(page)["id"] == f"tick-{item.key}"  # a new node: htmx restores focus by id
    page.keyboard.press("Space")
    page.locator(f"#item-{item.key}:not(.is-done)").wait_for()
    said = _announcements(page, "#checklist-announcer")
    assert len(said) == 2 and said[1].startswith(f"“{item.title_en}” marked as not done. 0 of ")
    assert _focused(page)["id"] == f"tick-{item.key}"
    _no_alerts(page)
    assert_accessible(page)


def test_reconfirming_a_due_item_is_announced_once_and_focus_goes_to_its_checkbox(page):
    item = ChecklistItem.objects.filter(group__slug="everywhere").order_by("position").first()
    page.goto(f"{page.base}/en/checklist/everywhere/")
    page.locator(f"#tick-{item.key}").check()
    page.locator(f"#item-{item.key}.is-done").wait_for()
    ChecklistTick.objects.filter(item=item).update(done_at=timezone.now() - datetime.timedelta(days=200))
    page.reload()
    _watch(page, "#checklist-announcer")
    page.get_by_role("button", name="I checked it again").focus()
    page.keyboard.press("Enter")
    page.locator(f"#item-{item.key}:not(.is-due)").wait_for()
    said = _announcements(page, "#checklist-announcer")
    assert len(said) == 1 and "marked as done" in said[0]
    # The button went away with the review reminder; focus lands on the item's checkbox.
    assert _focused(page)["id"] == f"tick-{item.key}"
    _no_alerts(page)


def test_quiz_answers_are_announced_once_right_wrong_and_refused(page):
    page.goto(f"{page.base}/en/modules/alpha/quiz/")
    page.get_by_role("button", name="Start the quiz").click()
    page.locator(".question-form").wait_for()

    # Wrong: one announcement; the form is gone, focus goes to the next question link.
    _watch(page, "#quiz-announcer")
    choose_answer(page, right=False)
    page.get_by_role("button", name="Check answer").click()
    page.locator(".feedback-wrong").wait_for()
    assert _announcements(page, "#quiz-announcer") == ["Not quite."]
    assert _focused(page)["text"] == "Next question"
    _no_alerts(page)
    assert_accessible(page)

    # Refused, then right, on the next question: the same announcer node says each once.
    page.keyboard.press("Enter")
    page.locator(".question-form").wait_for()
    _watch(page, "#quiz-announcer")
    page.get_by_role("button", name="Check answer").click()
    page.locator("#answer-error").wait_for()
    assert _announcements(page, "#quiz-announcer") == ["Choose an answer first."]
    # The button is a new node with the same id: focus stays on it; the error is not an alert.
    assert _focused(page)["id"] == "answer-submit"
    _no_alerts(page)
    assert page.locator("fieldset[aria-describedby=answer-error]").count() == 1
    assert_accessible(page)
    choose_answer(page, right=True)
    page.get_by_role("button", name="Check answer").click()
    page.locator(".feedback-right").wait_for()
    assert _announcements(page, "#quiz-announcer") == ["Choose an answer first.", "Right!"]
    assert _focused(page)["text"] == "Next question"
    _no_alerts(page)


def test_refusing_twice_in_arabic_keeps_one_announcer(page):
    page.goto(f"{page.base}/ar/modules/alpha/quiz/")
    page.locator("form.inline-form button").click()
    page.locator(".question-form").wait_for()
    _watch(page, "#quiz-announcer")
    page.locator("#answer-submit").click()
    page.locator("#answer-error").wait_for()
    page.locator("#answer-submit").click()
    page.wait_for_timeout(QUIET_MS)
    said = _announcements(page, "#quiz-announcer")
    assert len(said) == 1 and said[0]  # the same words again: the text node is replaced, not the element
    assert page.locator("#quiz-announcer").count() == 1
    assert_accessible(page)
