import os
import shutil

import pytest
from django.db import connections
from django.test import Client

from tests.factories import PASSWORD, StudentFactory, TeacherFactory
from tests.helpers import FIXTURE_CONTENT_DIRS

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
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """mutmut runs several forked test sessions at once: give each its own test database."""
    from django.conf import settings

    if os.environ.get("MUTANT_UNDER_TEST"):
        for database in settings.DATABASES.values():
            test = database.setdefault("TEST", {})
            default = (
                f"{database['NAME']}-test" if "sqlite" in database["ENGINE"] else f"test_{database['NAME']}"
            )
            test["NAME"] = f"{test.get('NAME') or default}-{os.getpid()}"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the fixture content (tests/content/) once. `db` tests run in transactions on top of it;
    transactional tests get it back after their flush from the snapshot taken here."""
    from apps.pages.content import content_sync_all

    with django_db_blocker.unblock():
        content_sync_all(**FIXTURE_CONTENT_DIRS)
        for alias in connections:
            connection = connections[alias]
            snapshot = connection.creation.serialize_db_to_string()
            connection._test_serialized_contents = snapshot
            # Connections are per thread and per context: Playwright's sync API runs browser tests in
            # another context, whose connection object would not have the snapshot. The class has it.
            type(connection)._test_serialized_contents = snapshot


@pytest.fixture(autouse=True)
def django_db_serialized_rollback() -> bool:
    """Transactional tests (live_server, concurrency) start from the content snapshot, restored after
    the previous one's flush. pytest-django switches this on when the fixture's name is requested,
    hence autouse; tests in a transaction (`db`) are unaffected."""
    return True


@pytest.fixture(scope="module")
def real_content(django_db_setup, django_db_blocker):
    """The shipped content instead of the fixture content, for the tests that validate it: loaded
    once per test module inside a transaction that is rolled back afterwards."""
    from django.db import transaction

    from apps.pages.content import content_sync_all

    with django_db_blocker.unblock(), transaction.atomic():
        content_sync_all(prune=True)
        yield
        transaction.set_rollback(True)


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


@pytest.fixture(autouse=True)
def english_by_default():
    """Requests leave their language active in the thread; start every test in English."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def no_cached_pages():
    """Each test starts with no page cached and the content version unread, as a new process does:
    tests change content directly, without the content_changed() that would retire cached pages."""
    from django.core.cache import cache

    from apps.core import page_cache

    cache.clear()
    page_cache._forget_version()


@pytest.fixture(autouse=True)
def no_prepared_reads():
    """Each test compiles the reads of apps.core.rows again, as a new process does: a query kept from an
    earlier test (or, under mutmut, from the process it forked from) would hide a change to its code."""
    from apps.core import rows

    rows._PREPARED.clear()
