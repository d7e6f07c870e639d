import pytest

from apps.checklist.models import ChecklistItem, ChecklistTick
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD, StudentFactory


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_checklist_pages_have_no_accessibility_violations(page, lang):
    for path in ["/checklist/", "/checklist/everywhere/", "/checklist/print/"]:
        page.goto(f"{page.base}/{lang}{path}")
        assert_accessible(page)


def test_tick_with_htmx_updates_item_and_bars(page):
    StudentFactory(username="ticker")
    log_in(page, "ticker", PASSWORD)
    page.goto(f"{page.base}/en/checklist/everywhere/")
    item = ChecklistItem.objects.filter(group__slug="everywhere").order_by("position").first()
    group_bar = page.locator("#group-progress progress")
    overall_bar = page.locator("#overall-progress progress")
    assert group_bar.get_attribute("value") == "0"
    assert page.locator(".js-hide").first.is_hidden()
    checkbox = page.locator(f"#tick-{item.key}")
    checkbox.check()
    page.locator(f"#item-{item.key}.is-done").wait_for()
    assert group_bar.get_attribute("value") == "1"
    assert overall_bar.get_attribute("value") == "1"
    assert "marked as done" in page.locator("#checklist-announcer").inner_text()
    assert ChecklistTick.objects.filter(reader__user__username="ticker", item=item).exists()
    assert_accessible(page)
    # Keyboard: focus stays on the checkbox after the swap, space unticks it.
    page.locator(f"#tick-{item.key}").focus()
    page.keyboard.press("Space")
    page.locator(f"#item-{item.key}:not(.is-done)").wait_for()
    assert group_bar.get_attribute("value") == "0"
    assert not ChecklistTick.objects.filter(reader__user__username="ticker", item=item).exists()


def test_tick_without_javascript(page_without_js):
    page = page_without_js
    item = ChecklistItem.objects.filter(group__slug="photobook").order_by("position").first()
    page.goto(f"{page.base}/ar/checklist/photobook/")
    page.locator(f"#tick-{item.key}").check()
    page.locator(f"#item-{item.key} .tick-form button").click()
    page.wait_for_url(f"**/ar/checklist/photobook/#item-{item.key}")
    assert page.locator(f"#tick-{item.key}").is_checked()
    assert page.locator("#group-progress progress").get_attribute("value") == "1"
