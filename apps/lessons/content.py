"""Lessons and modules from the content files: validate, render once, store (load_content calls this)."""

import re
from pathlib import Path

from django.db import transaction

from apps.core.content import ContentError, SyncReport, ordered_entries, read_markdown, reading_minutes
from apps.core.i18n import LANGUAGE_CODES
from apps.core.sanitize import markdown_to_html

from .models import Lesson, Module

CONTENT_DIR = Path(__file__).resolve().parent / "content"


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


TOP_HEADING = re.compile(r"^#(?!#)", re.MULTILINE)
LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]+)|href=[\"']([^\"']+)")


def body_check(*, path: Path, body: str) -> None:
    """The rules of docs/content-format.md that the sanitiser would otherwise enforce silently:
    headings start at `##` (the page has the one `#`), and links are https (or mailto)."""
    if TOP_HEADING.search(body):
        raise ContentError(f"{path}: headings start at '##'; the page supplies the '#' title")
    for match in LINK_TARGET.finditer(body):
        target = match[1] or match[2]
        if not target.startswith(("https://", "mailto:", "#", "/")):
            raise ContentError(f"{path}: link '{target}' must be https://")


def _texts(folder: Path) -> dict[str, dict]:
    """{language: {"title", "summary", "body"}} from a folder's en.md and ar.md."""
    texts = {}
    for language in LANGUAGE_CODES:
        path = folder / f"{language}.md"
        meta, body = read_markdown(path)
        body_check(path=path, body=body)
        texts[language] = {"title": meta["title"].strip(), "summary": meta["summary"].strip(), "body": body}
    return texts


def module_fields(*, folder: Path, position: int) -> dict:
    """Every stored field of a module, from its folder."""
    texts = _texts(folder)
    fields: dict = {"position": position}
    for language, text in texts.items():
        fields[f"title_{language}"] = text["title"]
        fields[f"summary_{language}"] = text["summary"]
        fields[f"overview_md_{language}"] = text["body"]
        fields[f"overview_html_{language}"] = markdown_to_html(text["body"])
    return fields


def lesson_fields(*, folder: Path, position: int) -> dict:
    """Every stored field of a lesson, from its folder."""
    texts = _texts(folder)
    fields: dict = {"position": position}
    for language, text in texts.items():
        fields[f"title_{language}"] = text["title"]
        fields[f"summary_{language}"] = text["summary"]
        fields[f"body_md_{language}"] = text["body"]
        fields[f"body_html_{language}"] = markdown_to_html(text["body"])
        fields[f"minutes_{language}"] = reading_minutes(text["body"], language)
    return fields


@transaction.atomic
def lessons_content_sync(*, source_dir: Path = CONTENT_DIR, prune: bool = False) -> SyncReport:
    """Create or update modules and lessons from `source_dir`; idempotent.

    Readers' progress is never touched. Modules or lessons that are no longer in the files are
    reported as stale, and deleted (with their read marks) only when `prune` is true.
    """
    report = SyncReport()
    seen_modules, seen_lessons = set(), set()
    for position, slug, folder in ordered_entries(source_dir):
        module = report.upsert(Module, {"slug": slug}, module_fields(folder=folder, position=position))
        seen_modules.add(module.pk)
        lesson_entries = ordered_entries(folder)
        if not lesson_entries:
            raise ContentError(f"{folder}: a module needs at least one lesson folder")
        for lesson_position, lesson_slug, lesson_folder in lesson_entries:
            fields = lesson_fields(folder=lesson_folder, position=lesson_position)
            lesson = report.upsert(Lesson, {"module": module, "slug": lesson_slug}, fields)
            seen_lessons.add(lesson.pk)
    report.stale_rows(
        Lesson.objects.exclude(pk__in=seen_lessons).select_related("module"),
        Module.objects.exclude(pk__in=seen_modules),
        prune=prune,
    )
    return report
