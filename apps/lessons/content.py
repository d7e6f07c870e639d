"""Lessons and modules from the content files: validate, render once, store (load_content calls this)."""

import datetime
import re
from pathlib import Path

from django.db import transaction

from apps.core.content import ContentError, SyncReport, ordered_entries, read_markdown, reading_minutes
from apps.core.i18n import LANGUAGE_CODES
from apps.core.sanitize import markdown_to_html

from .models import Lesson, Module

CONTENT_DIR = Path(__file__).resolve().parent / "content"


def _lesson_body(markdown_text: str, language: str) -> dict:
    return {
        f"body_md_{language}": markdown_text,
        f"body_html_{language}": markdown_to_html(markdown_text),
        f"minutes_{language}": reading_minutes(markdown_text, language),
    }


def _module_overview(markdown_text: str, language: str) -> dict:
    return {
        f"overview_md_{language}": markdown_text,
        f"overview_html_{language}": markdown_to_html(markdown_text),
    }


def lesson_render(*, lesson: Lesson) -> None:
    """Fill a lesson's stored HTML and reading time from its Markdown (at load or admin save)."""
    for language in LANGUAGE_CODES:
        for name, value in _lesson_body(getattr(lesson, f"body_md_{language}"), language).items():
            setattr(lesson, name, value)


def module_render(*, module: Module) -> None:
    for language in LANGUAGE_CODES:
        for name, value in _module_overview(getattr(module, f"overview_md_{language}"), language).items():
            setattr(module, name, value)


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


def sources_check(*, path: Path, meta: dict) -> None:
    """`[[sources]]` in the front matter, where a lesson has them: each names the claim it supports,
    an https address and the date a writer read it."""
    sources = meta.get("sources", [])
    if not isinstance(sources, list):
        raise ContentError(f"{path}: 'sources' must be a list of [[sources]] tables")
    for number, source in enumerate(sources, start=1):
        where = f"{path}: source {number}"
        if not isinstance(source, dict) or not str(source.get("claim", "")).strip():
            raise ContentError(f"{where}: needs the 'claim' it supports")
        if not str(source.get("url", "")).startswith("https://"):
            raise ContentError(f"{where}: 'url' must be an https address")
        checked_on = source.get("checked_on")
        if not isinstance(checked_on, datetime.date) or isinstance(checked_on, datetime.datetime):
            raise ContentError(f"{where}: 'checked_on' must be a date like 2026-12-01")


def _texts(folder: Path) -> dict[str, dict]:
    """{language: {"title", "summary", "body"}} from a folder's en.md and ar.md."""
    texts = {}
    for language in LANGUAGE_CODES:
        path = folder / f"{language}.md"
        meta, body = read_markdown(path)
        body_check(path=path, body=body)
        sources_check(path=path, meta=meta)
        texts[language] = {"title": meta["title"].strip(), "summary": meta["summary"].strip(), "body": body}
    return texts


def _fields(*, folder: Path, position: int, body) -> dict:
    """Every stored field of a module or lesson, from its folder; `body` turns the Markdown into the
    body fields."""
    fields: dict = {"position": position}
    for language, text in _texts(folder).items():
        fields[f"title_{language}"] = text["title"]
        fields[f"summary_{language}"] = text["summary"]
        fields.update(body(text["body"], language))
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
        fields = _fields(folder=folder, position=position, body=_module_overview)
        module = report.upsert(Module, {"slug": slug}, fields)
        seen_modules.add(module.pk)
        lesson_entries = ordered_entries(folder)
        if not lesson_entries:
            raise ContentError(f"{folder}: a module needs at least one lesson folder")
        for lesson_position, lesson_slug, lesson_folder in lesson_entries:
            fields = _fields(folder=lesson_folder, position=lesson_position, body=_lesson_body)
            lesson = report.upsert(Lesson, {"module": module, "slug": lesson_slug}, fields)
            seen_lessons.add(lesson.pk)
    report.stale_rows(
        Lesson.objects.exclude(pk__in=seen_lessons).select_related("module"),
        Module.objects.exclude(pk__in=seen_modules),
        prune=prune,
    )
    return report
