"""All the content at once, in order: lessons first, because quizzes and checklist items point to them."""

from pathlib import Path

from django.db import transaction

from apps.checklist.content import CONTENT_DIR as CHECKLIST_DIR
from apps.checklist.content import PLATFORM_MIN_ITEMS, checklist_content_sync
from apps.core.content import ContentError, SyncReport, ordered_entries
from apps.core.page_cache import content_changed
from apps.lessons.content import CONTENT_DIR as LESSONS_DIR
from apps.lessons.content import lessons_content_sync
from apps.quizzes.content import CONTENT_DIR as QUIZZES_DIR
from apps.quizzes.content import quizzes_content_sync


@transaction.atomic
def content_sync_all(
    *,
    prune: bool = False,
    lessons_dir: Path = LESSONS_DIR,
    quizzes_dir: Path = QUIZZES_DIR,
    checklist_dir: Path = CHECKLIST_DIR,
    checklist_min_items: int = PLATFORM_MIN_ITEMS,
) -> dict[str, SyncReport]:
    """Validate and store every content file; nothing is stored unless all of it is valid."""
    modules = {slug for _position, slug, _folder in ordered_entries(lessons_dir)}
    quizzes = {slug for _position, slug, _path in ordered_entries(quizzes_dir, dirs=False, suffix=".toml")}
    if modules - quizzes:
        missing = ", ".join(sorted(modules - quizzes))
        raise ContentError(f"{quizzes_dir}: every module needs a quiz file; missing: {missing}")
    reports = {"lessons": lessons_content_sync(source_dir=lessons_dir, prune=prune)}
    reports["quizzes"] = quizzes_content_sync(source_dir=quizzes_dir, prune=prune)
    reports["checklist"] = checklist_content_sync(
        source_dir=checklist_dir, prune=prune, min_items=checklist_min_items
    )
    content_changed()
    return reports
