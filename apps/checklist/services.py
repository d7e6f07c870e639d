import datetime
from pathlib import Path
from urllib.parse import urlsplit

from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.core.content import ContentError, SyncReport, bilingual_texts, ordered_entries, read_toml
from apps.core.i18n import LANGUAGE_CODES
from apps.lessons.models import Lesson

from .models import ChecklistGroup, ChecklistItem, ChecklistTick, PathReport, UsedPlatform

CONTENT_DIR = Path(__file__).resolve().parent / "content"
SESSION_DONE = "checklist_done"
SESSION_PLATFORMS = "checklist_platforms"
REVIEW_AFTER = datetime.timedelta(days=180)


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


def checklist_file_validate(*, path: Path, data: dict, slug: str, lessons: dict[str, Lesson]) -> list[dict]:
    """Check a parsed checklist file (docs/content-format.md); return its items ready to store."""
    if data.get("slug") != slug:
        raise ContentError(f"{path}: 'slug' must be \"{slug}\", as in the file name")
    domains = data.get("domains")
    if not isinstance(domains, list) or not domains:
        raise ContentError(f"{path}: 'domains' must list the platform's own domains")
    items = data.get("items")
    if not isinstance(items, list) or not items:
        raise ContentError(f"{path}: a group needs at least one item")
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
                **{f"steps_{lang}": [s.strip() for s in step_lists[lang]] for lang in LANGUAGE_CODES},
                "link": item["link"],
                "source": item.get("source", ""),
                "checked_on": checked_on,
                "lesson": lessons.get(lesson_path) if lesson_path else None,
            }
        )
    return parsed


@transaction.atomic
def checklist_content_sync(*, source_dir: Path = CONTENT_DIR, prune: bool = False) -> SyncReport:
    """Create or update checklist groups and items from `source_dir`; idempotent.

    Ticks, platform choices and reports are never touched; items no longer in the files are
    reported, and deleted (with their ticks) only when `prune` is true.
    """
    report = SyncReport()
    lessons = _lessons_by_path()
    seen_groups, seen_items = set(), set()
    for position, slug, path in ordered_entries(source_dir, dirs=False, suffix=".toml"):
        data = read_toml(path)
        items = checklist_file_validate(path=path, data=data, slug=slug, lessons=lessons)
        group, created = ChecklistGroup.objects.update_or_create(
            slug=slug,
            defaults={
                "position": position,
                **bilingual_texts(str(path), data, "title"),
                **bilingual_texts(str(path), data, "intro", required=False),
            },
        )
        report.count(created)
        seen_groups.add(group.pk)
        for item_position, item in enumerate(items, start=1):
            key = item.pop("key")
            obj, created = ChecklistItem.objects.update_or_create(
                group=group, key=key, defaults={"position": item_position, **item}
            )
            report.count(created)
            seen_items.add(obj.pk)
    report.stale_rows(
        ChecklistItem.objects.exclude(pk__in=seen_items).select_related("group"),
        ChecklistGroup.objects.exclude(pk__in=seen_groups),
        prune=prune,
    )
    return report


def checklist_item_set(*, owner: User, item: ChecklistItem, done: bool, reconfirm: bool = False) -> None:
    """Set an item to done or not done for `owner`. Setting, not flipping: repeats change nothing.

    `reconfirm` restarts the review clock of an item that is already done.
    """
    if not done:
        ChecklistTick.objects.filter(user=owner, item=item).delete()
        return
    now = timezone.now()
    if reconfirm:
        updated = ChecklistTick.objects.filter(user=owner, item=item).update(done_at=now)
        if updated:
            return
    # INSERT ... ON CONFLICT DO NOTHING: a tick stored by a concurrent request already holds.
    ChecklistTick.objects.bulk_create(
        [ChecklistTick(user=owner, item=item, done_at=now)], ignore_conflicts=True
    )


def checklist_item_set_in_session(*, session: SessionBase, item: ChecklistItem, done: bool) -> None:
    ticks = dict(session.get(SESSION_DONE, {}))
    key = str(item.pk)
    if done and key not in ticks:
        ticks[key] = timezone.now().isoformat()
    elif not done:
        ticks.pop(key, None)
    session[SESSION_DONE] = ticks


def checklist_platforms_set(
    *, owner: User | None, session: SessionBase, groups: list[ChecklistGroup]
) -> None:
    """Remember which platforms a person uses (replacing the previous choice)."""
    if owner is None:
        session[SESSION_PLATFORMS] = [group.pk for group in groups]
        return
    with transaction.atomic():
        UsedPlatform.objects.filter(user=owner).exclude(group__in=groups).delete()
        UsedPlatform.objects.bulk_create(
            [UsedPlatform(user=owner, group=group) for group in groups], ignore_conflicts=True
        )


def checklist_merge_from_session(*, session: SessionBase, user: User) -> None:
    """Union of the anonymous ticks and the account's ticks; platform choices too."""
    ticks = session.pop(SESSION_DONE, {})
    if isinstance(ticks, dict) and ticks:
        items = ChecklistItem.objects.filter(pk__in=[int(k) for k in ticks if str(k).isdigit()])
        rows = []
        for item in items:
            try:
                done_at = datetime.datetime.fromisoformat(ticks[str(item.pk)])
            except (TypeError, ValueError):
                done_at = timezone.now()
            rows.append(ChecklistTick(user=user, item=item, done_at=done_at))
        ChecklistTick.objects.bulk_create(rows, ignore_conflicts=True)
    platforms = session.pop(SESSION_PLATFORMS, [])
    if platforms and not UsedPlatform.objects.filter(user=user).exists():
        groups = ChecklistGroup.objects.filter(pk__in=[p for p in platforms if isinstance(p, int)])
        UsedPlatform.objects.bulk_create(
            [UsedPlatform(user=user, group=group) for group in groups], ignore_conflicts=True
        )


def path_report_submit(*, user: User, item: ChecklistItem, note: str) -> PathReport:
    """One report per reader and item; sending again updates the note."""
    # update_or_create locks the row and retries the read if a concurrent first report won the insert.
    report, _created = PathReport.objects.update_or_create(
        user=user, item=item, defaults={"note": note.strip()[:500], "resolved": False}
    )
    return report


def checklist_export(*, user: User) -> dict:
    ticks = ChecklistTick.objects.filter(user=user).select_related("item__group").order_by("done_at")
    return {
        "checklist_done": [
            {"group": t.item.group.slug, "item": t.item.key, "done_at": t.done_at.isoformat()} for t in ticks
        ],
        "checklist_platforms": list(
            UsedPlatform.objects.filter(user=user).values_list("group__slug", flat=True)
        ),
        "checklist_reports": [
            {"item": str(r.item), "note": r.note, "created_at": r.created_at.isoformat()}
            for r in PathReport.objects.filter(user=user).select_related("item__group")
        ],
    }
