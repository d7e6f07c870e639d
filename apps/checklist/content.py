"""Checklist groups and items from the content files: validate, then store (load_content calls this)."""

import datetime
from pathlib import Path
from urllib.parse import urlsplit

from django.db import transaction

from apps.core.content import (
    ContentError,
    SyncReport,
    bilingual_texts,
    ordered_entries,
    read_toml,
    right_to_left_ready,
)
from apps.core.i18n import LANGUAGE_CODES
from apps.lessons.models import Lesson

from .models import ChecklistGroup, ChecklistItem

CONTENT_DIR = Path(__file__).resolve().parent / "content"
# Every platform group needs this many items; the general "everywhere" group is exempt.
PLATFORM_MIN_ITEMS = 6
GENERAL_GROUP = "everywhere"


def _https_on(url: object, domains: list[str]) -> bool:
    if not isinstance(url, str):
        return False
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return parts.scheme == "https" and any(host == d or host.endswith("." + d) for d in domains)


def _lessons_by_path() -> dict[str, Lesson]:
    return {
        f"{lesson.module.slug}/{lesson.slug}": lesson for lesson in Lesson.objects.select_related("module")
    }


def checklist_file_validate(
    *, path: Path, data: dict, slug: str, lessons: dict[str, Lesson], min_items: int = PLATFORM_MIN_ITEMS
) -> list[dict]:
    """Check a parsed checklist file (docs/content-format.md); return its items ready to store."""
    if data.get("slug") != slug:
        raise ContentError(f"{path}: 'slug' must be \"{slug}\", as in the file name")
    domains = data.get("domains")
    if not isinstance(domains, list) or not domains:
        raise ContentError(f"{path}: 'domains' must list the platform's own domains")
    items = data.get("items")
    if not isinstance(items, list) or not items:
        raise ContentError(f"{path}: a group needs at least one item")
    if slug != GENERAL_GROUP and len(items) < min_items:
        raise ContentError(f"{path}: a platform needs at least {min_items} items, this file has {len(items)}")
    seen, parsed = set(), []
    for number, item in enumerate(items, start=1):
        key = item.get("id")
        where = f"{path}: item {key or number}"
        if not isinstance(key, str) or not key or key in seen:
            raise ContentError(f"{where}: needs a unique 'id'")
        seen.add(key)
        steps = item.get("steps") or {}
        step_lists = {lang: steps.get(lang) if isinstance(steps, dict) else None for lang in LANGUAGE_CODES}
        if any(not isinstance(s, list) or not s or not all(isinstance(x, str) and x.strip() for x in s)
               for s in step_lists.values()):  # fmt: skip
            raise ContentError(f"{where}: 'steps' needs a non-empty list per language")
        if len({len(s) for s in step_lists.values()}) != 1:
            raise ContentError(f"{where}: 'steps' must have as many steps in every language")
        if not _https_on(item.get("link"), domains):
            raise ContentError(f"{where}: 'link' must be https on {', '.join(domains)}")
        if "link_ar" in item and not _https_on(item["link_ar"], domains):
            raise ContentError(f"{where}: 'link_ar' must be https on {', '.join(domains)}")
        if not isinstance(item.get("confirmed", True), bool):
            raise ContentError(f"{where}: 'confirmed' must be true or false")
        if item.get("source") and not str(item["source"]).startswith("https://"):
            raise ContentError(f"{where}: 'source' must be an https URL")
        checked_on = item.get("checked_on")
        if not isinstance(checked_on, datetime.date) or isinstance(checked_on, datetime.datetime):
            raise ContentError(f"{where}: 'checked_on' must be a date like 2026-11-26")
        lesson_path = item.get("lesson")
        if lesson_path is not None and lesson_path not in lessons:
            raise ContentError(f"{where}: 'lesson' \"{lesson_path}\" is not a module/lesson")
        parsed.append(
            {
                "key": key,
                **bilingual_texts(where, item, "title"),
                **bilingual_texts(where, item, "why"),
                **{
                    f"steps_{lang}": [right_to_left_ready(s.strip(), lang) for s in step_lists[lang]]
                    for lang in LANGUAGE_CODES
                },
                "link": item["link"],
                "link_ar": item.get("link_ar", ""),
                "confirmed": item.get("confirmed", True),
                "source": item.get("source", ""),
                "checked_on": checked_on,
                "lesson": lessons.get(lesson_path) if lesson_path else None,
            }
        )
    return parsed


@transaction.atomic
def checklist_content_sync(
    *, source_dir: Path = CONTENT_DIR, prune: bool = False, min_items: int = PLATFORM_MIN_ITEMS
) -> SyncReport:
    """Create or update checklist groups and items from `source_dir`; idempotent.

    Ticks, platform choices and reports are never touched; items no longer in the files are
    reported, and deleted (with their ticks) only when `prune` is true.
    """
    report = SyncReport()
    lessons = _lessons_by_path()
    seen_groups, seen_items = set(), set()
    for position, slug, path in ordered_entries(source_dir, dirs=False, suffix=".toml"):
        data = read_toml(path)
        items = checklist_file_validate(path=path, data=data, slug=slug, lessons=lessons, min_items=min_items)
        group_fields = {
            "position": position,
            **bilingual_texts(str(path), data, "title"),
            **bilingual_texts(str(path), data, "intro", required=False),
        }
        group = report.upsert(ChecklistGroup, {"slug": slug}, group_fields)
        seen_groups.add(group.pk)
        for item_position, item in enumerate(items, start=1):
            key = item.pop("key")
            row = report.upsert(
                ChecklistItem, {"group": group, "key": key}, {"position": item_position, **item}
            )
            seen_items.add(row.pk)
    report.stale_rows(
        ChecklistItem.objects.exclude(pk__in=seen_items).select_related("group"),
        ChecklistGroup.objects.exclude(pk__in=seen_groups),
        prune=prune,
    )
    return report
