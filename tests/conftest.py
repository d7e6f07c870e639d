import os
import shutil
import threading
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.db import connections
from django.test import Client

from tests.factories import PASSWORD, StudentFactory, TeacherFactory

# Playwright's sync API runs an event loop in the test thread; live_server needs this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
BROWSER_SKIP_REASON = (
    f"browser tests need Chromium at {CHROMIUM}: install it with `apt-get install -y chromium` "
    "(or set CHROMIUM_PATH) to run them"
)


def pytest_collection_modifyitems(config, items):
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    browser_items = [item for item in items if "browser" in item.keywords]
    if not browser_items:
        return
    if IN_CI:
        raise pytest.UsageError(f"CI=true and {BROWSER_SKIP_REASON}; a skipped browser test is a failure")
    for item in browser_items:
        item.add_marker(pytest.mark.skip(reason=BROWSER_SKIP_REASON))


_skipped_browser_tests: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped and "browser" in report.keywords:
        _skipped_browser_tests.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if IN_CI and _skipped_browser_tests:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not IN_CI and _skipped_browser_tests:
        terminalreporter.write_line(
            f"{len(_skipped_browser_tests)} skipped: {BROWSER_SKIP_REASON}", yellow=True
        )
    if IN_CI and _skipped_browser_tests:
        terminalreporter.write_line(
            f"FAILED: {len(_skipped_browser_tests)} browser tests skipped in CI (CI=true): "
            + ", ".join(_skipped_browser_tests[:5]),
            red=True,
        )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real content once; `db` tests run inside transactions on top of it."""
    with django_db_blocker.unblock():
        call_command("load_content", verbosity=0)


@pytest.fixture
def content(django_db_blocker):
    """The real content, reloaded when a transactional test emptied the tables."""
    from apps.lessons.models import Module

    if not Module.objects.exists():
        call_command("load_content", verbosity=0)


@pytest.fixture
def student(db):
    return StudentFactory(username="sara")


@pytest.fixture
def other_student(db):
    return StudentFactory(username="omar")


@pytest.fixture
def teacher(db):
    return TeacherFactory(username="ms-haddad")


@pytest.fixture
def student_client(student) -> Client:
    client = Client()
    client.force_login(student)
    return client


@pytest.fixture
def teacher_client(teacher) -> Client:
    client = Client()
    client.force_login(teacher)
    return client


@pytest.fixture
def password() -> str:
    return PASSWORD


def run_concurrently(functions: list[Callable[[], object]]) -> list[object]:
    """Run callables in threads released at the same moment; each thread closes its DB connection."""
    barrier = threading.Barrier(len(functions))
    results: list[object] = [None] * len(functions)

    def worker(index: int, function: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[index] = function()
        except Exception as error:  # the test inspects it
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture(autouse=True)
def english_by_default():
    """Requests leave their language active in the thread; start every test in English."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


def logged_in_clients(user, count: int) -> list[Client]:
    """Several independent browsers of the same person, for concurrency tests."""
    clients = []
    for _ in range(count):
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients
