"""Every kind of page, in both languages, has zero errors in the W3C Nu HTML Checker (vnu.jar).

The pages come from the test client with realistic data (tests/tour.py: a teacher with a class, a
student in it with a finished attempt) and are checked together in one run of the checker, one JVM,
so the test takes seconds. vnu.jar comes from the npm package
`vnu-jar`, pinned in package-lock.json and installed by `make install` (`npm ci`); the checker needs
Java 17 or later. Without them the test is skipped with the reason, except in CI, where it fails.
"""

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import IN_CI
from tests.helpers import question_form, site_tour

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
VNU_JAR = Path(os.environ.get("VNU_JAR", ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"))
# Not a page of ours: proves that the checker really reads the files and reports an attribute htmx
# needs when it is spelled without data-.
CANARY = "<!doctype html><html lang=en><head><title>canary</title></head><body><div hx-post=/x></div>"


@dataclass
class Page:
    name: str
    html: str


@pytest.fixture
def vnu() -> list[str]:
    """The command that runs the checker, or a skip (a failure in CI) saying what is missing."""
    java = shutil.which("java")
    if java is None:
        reason = "the HTML validity test needs Java 17+ (Debian: apt-get install -y openjdk-17-jre-headless)"
    elif not VNU_JAR.is_file():
        reason = f"the HTML validity test needs {VNU_JAR}: run `make install` (npm ci, needs npm)"
    else:
        return [java, "-jar", str(VNU_JAR), "--errors-only", "--no-langdetect", "--format", "json"]
    if IN_CI:
        pytest.fail(f"CI=true and {reason}; a skipped validity test is a failure")
    pytest.skip(reason)


def _pages(lang: str) -> list[Page]:
    """Every page of the tour, plus a refused quiz answer (a 422 page), in `lang`."""
    tour = site_tour(lang=lang)
    pages = [Page(name, tour.get(name)) for name in tour.pages]
    question, _choice = question_form(tour.get("quiz-question"))
    refused = tour.clients["student"].post(tour.attempt_url, {"question": question})
    assert refused.status_code == 422
    pages.append(Page("quiz-refused", refused.content.decode()))
    return [Page(f"{lang}-{page.name}", page.html) for page in pages]


def test_every_page_has_no_html_errors(vnu, tmp_path):
    pages = _pages("en") + _pages("ar")
    for page in pages:
        (tmp_path / f"{page.name}.html").write_text(page.html, encoding="utf-8")
    (tmp_path / "canary.html").write_text(CANARY, encoding="utf-8")

    run = subprocess.run(
        [*vnu, *sorted(str(path) for path in tmp_path.glob("*.html"))],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(run.stderr or run.stdout)["messages"]
    by_file: dict[str, list[str]] = {}
    for message in messages:
        name = Path(message.get("url", "?")).stem
        by_file.setdefault(name, []).append(
            f"{name}.html:{message.get('lastLine', '?')}: {message['type']}: {message['message']}"
            f" [{message.get('extract', '').strip()}]"
        )
    canary = by_file.pop("canary", [])
    assert any("hx-post" in line for line in canary), f"the checker did not check the files: {run.stderr}"
    assert not by_file, "\n".join(line for lines in by_file.values() for line in lines)
    assert len(pages) == 2 * 44  # every page of the tour and the refused answer, in both languages
