"""`content_sync_all` and `load_content` on the fixture content and small copies of it."""

import functools
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from apps.checklist.models import ChecklistGroup, ChecklistItem
from apps.core.content import ContentError
from apps.lessons.models import Lesson, LessonRead, Module, Term
from apps.pages.content import content_sync_all
from apps.pages.management.commands import load_content
from apps.quizzes.models import Choice, Question, Quiz
from tests.helpers import CONTENT, FIXTURE_CONTENT_DIRS, reader_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(tmp_path):
    """A copy of the fixture content to edit, and the keyword arguments that load it."""
    shutil.copytree(CONTENT, tmp_path / "content")
    root = tmp_path / "content"
    dirs = {
        name: root / value.name if isinstance(value, Path) else value
        for name, value in FIXTURE_CONTENT_DIRS.items()
    }
    return root, dirs


def _retitle(path, title: str) -> None:
    text = path.read_text(encoding="utf-8")
    old = text.split('title = "', 1)[1].split('"', 1)[0]
    path.write_text(text.replace(f'title = "{old}"', f'title = "{title}"', 1), encoding="utf-8")


def _counts(report) -> tuple[int, int, int]:
    return report.created, report.updated, report.unchanged


def test_loading_the_same_files_again_reports_every_row_unchanged():
    reports = content_sync_all(**FIXTURE_CONTENT_DIRS)
    assert list(reports) == ["lessons", "quizzes", "checklist"]
    lesson_rows = Module.objects.count() + Lesson.objects.count() + Term.objects.count()
    assert _counts(reports["lessons"]) == (0, 0, lesson_rows) == (0, 0, 10)
    quiz_rows = Quiz.objects.count() + Question.objects.count() + Choice.objects.count()
    assert _counts(reports["quizzes"]) == (0, 0, quiz_rows)
    assert _counts(reports["checklist"]) == (
        0,
        0,
        ChecklistGroup.objects.count() + ChecklistItem.objects.count(),
    )
    assert all(report.stale == [] for report in reports.values())


def test_one_changed_lesson_is_one_updated_row_and_readers_keep_their_marks(tree, student):
    root, dirs = tree
    lesson = Lesson.objects.get(slug="second-look")
    LessonRead.objects.create(reader=reader_of(student), lesson=lesson)
    _retitle(root / "lessons" / "01-alpha" / "02-second-look" / "en.md", "A better title")

    reports = content_sync_all(**dirs)

    assert _counts(reports["lessons"]) == (0, 1, 9)
    assert reports["quizzes"].updated == reports["checklist"].updated == 0
    lesson.refresh_from_db()
    assert lesson.title_en == "A better title"
    assert LessonRead.objects.filter(lesson=lesson).count() == 1


def test_a_new_lesson_is_created_then_reported_stale_and_pruned_only_when_asked(tree):
    root, dirs = tree
    module = root / "lessons" / "01-alpha"
    shutil.copytree(module / "03-third-way", module / "04-fourth")
    assert _counts(content_sync_all(**dirs)["lessons"]) == (1, 0, 10)
    assert Lesson.objects.filter(module__slug="alpha", slug="fourth").exists()

    shutil.rmtree(module / "04-fourth")
    reports = content_sync_all(**dirs)
    assert reports["lessons"].stale == ["alpha/fourth"]
    assert Lesson.objects.filter(slug="fourth").exists()

    reports = content_sync_all(prune=True, **dirs)
    assert reports["lessons"].stale == ["alpha/fourth"]
    assert not Lesson.objects.filter(slug="fourth").exists()
    assert content_sync_all(**dirs)["lessons"].stale == []


@pytest.mark.parametrize("change", ["quiz file removed", "module added"])
def test_a_module_without_a_quiz_is_refused_and_nothing_is_stored(tree, change):
    root, dirs = tree
    _retitle(root / "lessons" / "01-alpha" / "en.md", "Changed but never stored")
    if change == "quiz file removed":
        (root / "quizzes" / "02-beta.toml").unlink()
        missing = "beta"
    else:
        shutil.copytree(root / "lessons" / "02-beta", root / "lessons" / "03-gamma")
        missing = "gamma"

    with pytest.raises(ContentError, match=f"every module needs a quiz file; missing: {missing}$"):
        content_sync_all(**dirs)

    assert Module.objects.get(slug="alpha").title_en == "Alpha: how traces add up"
    assert not Module.objects.filter(slug="gamma").exists()
    assert Quiz.objects.filter(module__slug="beta").exists()


def test_a_broken_checklist_file_stores_no_lesson_either(tree):
    root, dirs = tree
    _retitle(root / "lessons" / "01-alpha" / "en.md", "Changed but never stored")
    (root / "checklist" / "02-photobook.toml").write_text("this is = not [toml", encoding="utf-8")
    with pytest.raises(ContentError, match="02-photobook.toml: not valid TOML"):
        content_sync_all(**dirs)
    assert Module.objects.get(slug="alpha").title_en == "Alpha: how traces add up"


# The command


@pytest.fixture
def load_from(monkeypatch):
    """Point `load_content` at a content tree instead of the shipped one."""

    def point(dirs: dict) -> None:
        monkeypatch.setattr(load_content, "content_sync_all", functools.partial(content_sync_all, **dirs))

    return point


def _load(*args) -> str:
    out = StringIO()
    call_command("load_content", *args, stdout=out)
    return out.getvalue()


def test_load_content_says_what_it_did(load_from):
    load_from(FIXTURE_CONTENT_DIRS)
    lines = _load().splitlines()
    quiz_rows = Quiz.objects.count() + Question.objects.count() + Choice.objects.count()
    assert lines == [
        "lessons: 0 created, 0 updated, 10 unchanged",
        f"quizzes: 0 created, 0 updated, {quiz_rows} unchanged",
        "checklist: 0 created, 0 updated, 7 unchanged",
    ]


def test_load_content_warns_about_stale_rows_and_deletes_them_with_prune(load_from, tree):
    root, dirs = tree
    module = root / "lessons" / "01-alpha"
    shutil.copytree(module / "03-third-way", module / "04-fourth")
    load_from(dirs)
    assert "lessons: 1 created, 0 updated, 10 unchanged" in _load()
    shutil.rmtree(module / "04-fourth")

    out = _load()
    assert "lessons: no longer in the files (use --prune to delete): alpha/fourth" in out
    assert Lesson.objects.filter(slug="fourth").exists()

    out = _load("--prune")
    assert "lessons: deleted: alpha/fourth" in out
    assert not Lesson.objects.filter(slug="fourth").exists()
    assert "no longer" not in _load() and "deleted" not in _load()


def test_load_content_turns_a_content_error_into_a_command_error(load_from, tree):
    root, dirs = tree
    shutil.copytree(root / "lessons" / "02-beta", root / "lessons" / "03-gamma")
    load_from(dirs)
    with pytest.raises(CommandError, match="^Content not loaded: .*missing: gamma$"):
        _load()
