from pathlib import Path

from django.contrib.sessions.backends.base import SessionBase
from django.db import IntegrityError, transaction

from apps.accounts.models import User
from apps.core.content import (
    ContentError,
    SyncReport,
    ordered_entries,
    read_markdown,
    reading_minutes,
)
from apps.core.i18n import LANGUAGE_CODES
from apps.core.sanitize import markdown_to_html

from .models import Lesson, LessonRead, Module

CONTENT_DIR = Path(__file__).resolve().parent / "content"
SESSION_KEY = "lessons_read"


def lesson_render(*, lesson: Lesson) -> None:
    """Fill a lesson's stored HTML and reading time from its Markdown (at load or admin save)."""
    for language in LANGUAGE_CODES:
        source = getattr(lesson, f"body_md_{language}")
        setattr(lesson, f"body_html_{language}", markdown_to_html(source))
        setattr(lesson, f"minutes_{language}", reading_minutes(source, language))


def module_render(*, module: Module) -> None:
    for language in LANGUAGE_CODES:
        source = getattr(module, f"overview_md_{language}")
        setattr(module, f"overview_html_{language}", markdown_to_html(source))


def _read_pair(folder: Path) -> dict:
    values = {}
    for language in LANGUAGE_CODES:
        meta, body = read_markdown(folder / f"{language}.md")
        values[f"title_{language}"] = meta["title"].strip()
        values[f"summary_{language}"] = meta["summary"].strip()
        values[language] = body
    return values


@transaction.atomic
def lessons_content_sync(*, source_dir: Path = CONTENT_DIR, prune: bool = False) -> SyncReport:
    """Create or update modules and lessons from `source_dir`; idempotent.

    Readers' progress is never touched. Modules or lessons that are no longer in the files are
    reported as stale, and deleted (with their read marks) only when `prune` is true.
    """
    report = SyncReport()
    seen_modules, seen_lessons = set(), set()
    for position, slug, folder in ordered_entries(source_dir):
        pair = _read_pair(folder)
        defaults = {"position": position}
        for language in LANGUAGE_CODES:
            defaults[f"title_{language}"] = pair[f"title_{language}"]
            defaults[f"summary_{language}"] = pair[f"summary_{language}"]
            defaults[f"overview_md_{language}"] = pair[language]
        module = Module(slug=slug, **defaults)
        module_render(module=module)
        for language in LANGUAGE_CODES:
            defaults[f"overview_html_{language}"] = getattr(module, f"overview_html_{language}")
        module, created = Module.objects.update_or_create(slug=slug, defaults=defaults)
        report.count(created)
        seen_modules.add(module.pk)

        lesson_entries = ordered_entries(folder)
        if not lesson_entries:
            raise ContentError(f"{folder}: a module needs at least one lesson folder")
        for lesson_position, lesson_slug, lesson_folder in lesson_entries:
            lesson_pair = _read_pair(lesson_folder)
            lesson = Lesson(module=module, slug=lesson_slug, position=lesson_position)
            for language in LANGUAGE_CODES:
                setattr(lesson, f"title_{language}", lesson_pair[f"title_{language}"])
                setattr(lesson, f"summary_{language}", lesson_pair[f"summary_{language}"])
                setattr(lesson, f"body_md_{language}", lesson_pair[language])
            lesson_render(lesson=lesson)
            lesson_defaults = {
                name: getattr(lesson, name)
                for name in ("position",)
                + tuple(
                    f"{base}_{language}"
                    for base in ("title", "summary", "body_md", "body_html", "minutes")
                    for language in LANGUAGE_CODES
                )
            }
            lesson, created = Lesson.objects.update_or_create(
                module=module, slug=lesson_slug, defaults=lesson_defaults
            )
            report.count(created)
            seen_lessons.add(lesson.pk)

    report.stale_rows(
        Lesson.objects.exclude(pk__in=seen_lessons).select_related("module"),
        Module.objects.exclude(pk__in=seen_modules),
        prune=prune,
    )
    return report


def lesson_mark_read(*, user: User, lesson: Lesson) -> LessonRead:
    """Record that `user` read `lesson`. Safe to repeat and to race: one row at most."""
    try:
        with transaction.atomic():
            read, _created = LessonRead.objects.get_or_create(user=user, lesson=lesson)
    except IntegrityError:
        # Another request created the row between our SELECT and INSERT.
        read = LessonRead.objects.get(user=user, lesson=lesson)
    return read


def lesson_mark_read_in_session(*, session: SessionBase, lesson: Lesson) -> None:
    """An anonymous reader's read marks live in their session until they log in."""
    read_ids = list(session.get(SESSION_KEY, []))
    if lesson.pk not in read_ids:
        read_ids.append(lesson.pk)  # in reading order: the last one is where to continue
        session[SESSION_KEY] = read_ids


def lesson_reads_merge_from_session(*, session: SessionBase, user: User) -> None:
    """Move an anonymous reader's read marks into their account (a union, no duplicates)."""
    read_ids = session.pop(SESSION_KEY, [])
    if not read_ids:
        return
    lessons = Lesson.objects.filter(pk__in=[i for i in read_ids if isinstance(i, int)])
    LessonRead.objects.bulk_create(
        [LessonRead(user=user, lesson=lesson) for lesson in lessons], ignore_conflicts=True
    )


def lesson_reads_export(*, user: User) -> dict:
    reads = LessonRead.objects.filter(user=user).select_related("lesson__module")
    return {
        "lessons_read": [
            {
                "module": read.lesson.module.slug,
                "lesson": read.lesson.slug,
                "read_at": read.read_at.isoformat(),
            }
            for read in reads.order_by("read_at")
        ]
    }
