"""Forced password change (with and without JavaScript, and from an htmx action), password reset by
email, and the accessibility of the new account pages in both languages."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page

from apps.accounts.models import User
from apps.lessons.models import Lesson
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD, StudentFactory

NEW_PASSWORD = "my-own-passphrase-2026"


def _log_in_with_temporary_password(page: Page, lang: str = "en") -> None:
    page.goto(f"{page.base}/{lang}/accounts/login/")
    page.fill("input[name=username]", "sara")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stack-form button[type=submit]")
    page.wait_for_url(f"{page.base}/{lang}/accounts/password/")


def _choose_new_password(page: Page) -> None:
    page.fill("input[name=old_password]", PASSWORD)
    page.fill("input[name=new_password1]", NEW_PASSWORD)
    page.fill("input[name=new_password2]", NEW_PASSWORD)
    page.click("form.stack-form button[type=submit]")


def _forced_change_flow(page: Page, lang: str) -> None:
    StudentFactory(username="sara", must_change_password=True)
    _log_in_with_temporary_password(page, lang)
    assert page.locator(".notice").is_visible()
    for path in ["/modules/", "/accounts/", "/checklist/"]:
        page.goto(f"{page.base}/{lang}{path}")
        assert page.url == f"{page.base}/{lang}/accounts/password/"
    _choose_new_password(page)
    page.wait_for_url(f"{page.base}/{lang}/")
    page.goto(f"{page.base}/{lang}/modules/")
    assert page.url == f"{page.base}/{lang}/modules/"
    assert not User.objects.get(username="sara").must_change_password


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_forced_change_with_javascript(page, lang):
    _forced_change_flow(page, lang)


def test_forced_change_without_javascript(page_without_js):
    _forced_change_flow(page_without_js, "ar")


def test_an_htmx_action_after_a_teacher_reset_goes_to_the_password_page(page):
    """A student was reading when the teacher gave a temporary password: the next click (an htmx POST)
    opens the password page instead of swapping a redirect's page into the lesson."""
    StudentFactory(username="sara")
    log_in(page, "sara", PASSWORD)
    lesson = Lesson.objects.filter(module__slug="alpha").order_by("position").first()
    page.goto(f"{page.base}/en/modules/alpha/{lesson.slug}/")
    User.objects.filter(username="sara").update(must_change_password=True)
    page.get_by_role("button", name="Mark as read").click()
    page.wait_for_url(f"{page.base}/en/accounts/password/")
    assert page.locator("h1").inner_text() == "Change your password"
    assert page.locator(".notice").is_visible()


def test_reset_by_email_in_the_browser(page):
    StudentFactory(username="lina", email="lina@example.org")
    page.goto(f"{page.base}/en/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.fill("input[name=email]", "lina@example.org")
    page.click("form.stack-form button[type=submit]")
    page.wait_for_url("**/en/accounts/password-reset/sent/")
    link = re.search(r"https?://\S+", mail.outbox[0].body)[0]
    page.goto(link)
    page.fill("input[name=new_password1]", NEW_PASSWORD)
    page.fill("input[name=new_password2]", NEW_PASSWORD)
    page.click("form.stack-form button[type=submit]")
    page.wait_for_url("**/en/accounts/password-reset/done/")
    log_in(page, "lina", NEW_PASSWORD)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_new_account_pages_have_no_accessibility_violations(page, lang):
    StudentFactory(username="lina", email="lina@example.org")
    for path in [
        "/accounts/password-reset/",
        "/accounts/password-reset/sent/",
        "/accounts/password-reset/done/",
    ]:
        page.goto(f"{page.base}/{lang}{path}")
        assert_accessible(page)
    page.goto(f"{page.base}/{lang}/accounts/password-reset/")
    page.fill("input[name=email]", "lina@example.org")
    page.click("form.stack-form button[type=submit]")
    page.wait_for_url(f"**/{lang}/accounts/password-reset/sent/")
    page.goto(re.search(r"https?://\S+", mail.outbox[0].body)[0])
    page.locator("input[name=new_password1]").wait_for()
    assert_accessible(page)
    page.click("form.stack-form button[type=submit]")  # empty: errors shown
    page.locator(".form-errors").wait_for()
    assert_accessible(page)
    page.goto(f"{page.base}/{lang}/accounts/password-reset/MQ/not-a-token/")
    assert_accessible(page)

    log_in(page, "lina", PASSWORD, lang=lang)
    page.goto(f"{page.base}/{lang}/accounts/")
    page.fill("input[name=display_name]", "Lina \u202eB.")
    page.locator("form[action$='/accounts/name/'] button").click()
    page.locator(".form-errors").wait_for()
    assert_accessible(page)
    User.objects.filter(username="lina").update(must_change_password=True)
    page.goto(f"{page.base}/{lang}/accounts/password/")
    assert page.locator(".notice").is_visible()
    assert_accessible(page)
