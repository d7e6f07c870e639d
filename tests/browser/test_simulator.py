"""The simulator in the browser: with htmx, without JavaScript, on a phone, with zero axe violations."""

import pytest

from apps.simulator import content
from tests.browser.conftest import assert_accessible
from tests.simulator.conftest import FIXTURE


@pytest.fixture(autouse=True)
def fixture_scenario(monkeypatch):
    scenario = content.load_scenario(FIXTURE)
    monkeypatch.setattr(content, "scenario", lambda: scenario)


def test_actions_update_the_panel_in_place_and_are_announced_once(page):
    page.goto(f"{page.base}/en/simulator/")
    assert page.locator(".js-hide").first.is_hidden()
    like = page.locator("#run-like")
    assert like.get_attribute("aria-pressed") == "false"
    like.focus()
    page.keyboard.press("Enter")
    page.locator('#run-like[aria-pressed="true"]').wait_for()
    assert page.evaluate("document.activeElement.id") == "run-like"
    assert "Saved: the platform now goes on 1 of your actions." in page.locator("#sim-announcer").inner_text()
    assert "Running" in page.locator("#interests").inner_text()
    page.locator("#run-share").click()
    page.locator("#ads >> text=Shoes for runners.").wait_for()
    assert page.locator("#sim-announcer").count() == 1
    # A comment naming a brand reaches its listening tool.
    page.locator("#run-comment-brand").check()
    page.locator("#run-comment-send").click()
    page.locator("#listening >> text=Zoom's listening tool saw a happy customer.").wait_for()
    page.locator("#ads details summary").first.click()
    assert "You shared the post by" in page.locator("#ads details").first.inner_text()
    assert_accessible(page)


def test_settings_change_the_picture_and_the_debrief_names_the_strongest(page):
    page.goto(f"{page.base}/ar/simulator/")
    page.locator("#mall-checkin").click()
    page.locator('#mall-checkin[aria-pressed="true"]').wait_for()
    assert page.locator("#ads .sim-ad").count() == 3
    page.locator("#switch-location").check()
    page.locator("#switch-location:checked").wait_for()
    page.wait_for_function("document.querySelectorAll('#ads .sim-ad').length === 2")
    assert "طُبّقت الإعدادات" in page.locator("#sim-announcer").inner_text()
    assert_accessible(page)
    page.goto(f"{page.base}/ar/simulator/debrief/")
    assert "الموقع متوقف" in page.locator("main").inner_text()
    assert_accessible(page)


def test_the_simulator_without_javascript(page_without_js):
    page = page_without_js
    page.goto(f"{page.base}/en/simulator/")
    page.locator("#shop-visit").click()
    page.wait_for_url("**/en/simulator/#post-shop")
    assert page.locator("#shop-visit").get_attribute("aria-pressed") == "true"
    assert "Test Bank" in page.locator("#cards").inner_text()
    page.locator("#switch-teen").check()
    page.locator("#settings button[type=submit]").click()
    page.wait_for_url("**/en/simulator/#settings")
    assert "None: the card offers here are aimed at audiences" in page.locator("#cards").inner_text()
    page.locator(".sim-end button[type=submit]").click()
    page.wait_for_url("**/en/simulator/")
    assert "Nothing yet." in page.locator("#panel").inner_text()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_simulator_fits_a_phone_with_the_panel_below_the_feed(page, lang):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{page.base}/{lang}/simulator/")
    page.locator("#run-comment-pet").check()
    page.locator("#run-comment-send").click()
    page.locator("#fraud >> li").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    feed, panel = page.locator(".sim-feed").bounding_box(), page.locator("#panel").bounding_box()
    assert panel["y"] >= feed["y"] + feed["height"]
    assert_accessible(page)


def test_a_student_finishes_the_set_simulator_and_the_teacher_sees_it(page, chromium, live_server):
    from apps.classrooms import services as classroom_services
    from tests.browser.conftest import log_in
    from tests.factories import PASSWORD, TeacherFactory
    from tests.helpers import join_class

    teacher = TeacherFactory(username="ms-salem")
    classroom = classroom_services.classroom_create(teacher=teacher, name="Year 8 A")
    classroom_services.assignment_set(classroom=classroom, kind="simulator", due_date=None)
    join_class(classroom, "rami")
    log_in(page, "rami", PASSWORD)
    page.goto(f"{page.base}/en/dashboard/")
    page.get_by_role("link", name="Open the simulator").click()
    page.locator("#quiz-quiz-rex").check()
    page.locator("#quiz-quiz-send").click()
    page.locator("#fraud >> text=kept by the quiz app").wait_for()
    page.goto(f"{page.base}/en/simulator/debrief/")
    page.get_by_role("button", name="Mark the simulator as finished").click()
    page.wait_for_url("**/en/simulator/debrief/#finished")
    assert_accessible(page)
    teacher_page = chromium.new_page()
    teacher_page.base = page.base
    log_in(teacher_page, "ms-salem", PASSWORD)
    teacher_page.goto(f"{page.base}/en/classes/{classroom.pk}/")
    assert "1 of 1 done" in teacher_page.locator("#assignments").inner_text()
    teacher_page.close()
