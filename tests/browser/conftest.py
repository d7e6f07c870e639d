from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, sync_playwright

from apps.quizzes.models import Question
from tests.conftest import CHROMIUM

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _open_page(chromium, *, java_script_enabled: bool = True) -> tuple:
    context = chromium.new_context(
        java_script_enabled=java_script_enabled, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems: list[str] = []
    expected: list[str] = []
    # A test that provokes an error on purpose names it: page.expect_console_error("status of 429").
    page.expect_console_error = expected.append

    def on_console(message) -> None:
        if any(text in message.text for text in expected):
            return
        # A 422 is how the server refuses an answer with a message; Chromium logs every 4xx.
        if "status of 422" in message.text:
            return
        # The 404 page itself, visited on purpose to scan it.
        if "status of 404" in message.text and "/no-such-page/" in message.location.get("url", ""):
            return
        if message.type == "error" or "Content Security Policy" in message.text:
            problems.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return context, page, problems


@pytest.fixture
def page(chromium, live_server, transactional_db, django_db_serialized_rollback) -> Page:
    """A phone-sized page; any console error or CSP violation fails the test. The fixture content is
    restored after each test's flush (pytest-django only does so when the fixture is requested)."""
    context, page, problems = _open_page(chromium)
    page.base = live_server.url
    yield page
    context.close()
    assert not problems, problems


@pytest.fixture
def page_without_js(chromium, live_server, transactional_db, django_db_serialized_rollback) -> Page:
    context, page, _problems = _open_page(chromium, java_script_enabled=False)
    page.base = live_server.url
    yield page
    context.close()


@pytest.fixture
def shipped_content(transactional_db) -> None:
    """The shipped content (apps/*/content/) instead of the fixture content, for the few tests about
    it (diagrams, the demo data). Committed, so live_server sees it; the flush after the test and the
    serialized rollback bring the fixture content back."""
    from apps.pages.content import content_sync_all

    content_sync_all(prune=True)


_axe = Axe()


def assert_accessible(page: Page) -> None:
    """axe-core finds no violation on the page as it is now."""
    results = _axe.run(page)
    assert results.violations_count == 0, results.generate_report()


def log_in(page: Page, username: str, password: str, lang: str = "en") -> None:
    page.goto(f"{page.base}/{lang}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form.stack-form button[type=submit]")
    # Learners land on the home page, teachers on their classes (or a forced password change).
    page.wait_for_url(lambda url: url.startswith(f"{page.base}/{lang}/") and "/accounts/login/" not in url)


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def choose_answer(page: Page, *, right: bool) -> None:
    """Tick the choices of the question on screen (its right ones, or one wrong one), looking them up
    on the server side; the answer is not sent."""
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


def answer_current(page: Page, *, right: bool) -> None:
    """Answer the question on screen: choose, then send."""
    choose_answer(page, right=right)
    page.locator(".question-form button[type=submit]").click()
