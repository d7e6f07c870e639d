import copy
import datetime
from dataclasses import dataclass

from django.db.models import Count, IntegerField, Q, QuerySet, Value
from django.http import Http404
from django.utils import timezone

from apps.accounts.models import Reader
from apps.core.i18n import current_language
from apps.core.page_cache import content_memo

from .models import ChecklistGroup, ChecklistItem, ChecklistTick, PathReport, UsedPlatform

REVIEW_AFTER = datetime.timedelta(days=180)


def review_cutoff() -> datetime.datetime:
    """Ticks older than this are due for review: settings drift and menus move."""
    return timezone.now() - REVIEW_AFTER


def _ticks(reader: Reader | None) -> QuerySet[ChecklistTick]:
    return ChecklistTick.objects.filter(reader=reader) if reader is not None else ChecklistTick.objects.none()


def reader_platform_ids(*, reader: Reader | None) -> list[int]:
    if reader is None:
        return []
    return list(UsedPlatform.objects.filter(reader=reader).values_list("group_id", flat=True))


def _groups() -> list[ChecklistGroup]:
    """Every group in order with its `item_count`, kept per content version. Shared by every request:
    callers mark copies."""
    return content_memo(
        ("checklist_groups",),
        lambda: list(ChecklistGroup.objects.annotate(item_count=Count("items")).order_by("position")),
    )


def groups_counted_for_reader(*, reader: Reader | None) -> list[ChecklistGroup]:
    """Groups in order with item, done and due counts. The groups come from the content memo; the
    reader's counts are one query (none without a reader)."""
    counts: dict[int, tuple[int, int]] = {}
    if reader is not None:
        due = Q(done_at__lt=review_cutoff())
        rows = _ticks(reader).values("item__group_id").annotate(done=Count("pk"), due=Count("pk", filter=due))
        counts = {row["item__group_id"]: (row["done"], row["due"]) for row in rows}
    groups = []
    for shared in _groups():
        group = copy.copy(shared)
        group.done_count, group.due_count = counts.get(group.pk, (0, 0))
        groups.append(group)
    return groups


def group_list_for_reader(*, reader: Reader | None) -> list[ChecklistGroup]:
    """Counted groups (see above), the reader's platforms first: one query more for the platforms."""
    chosen = set(reader_platform_ids(reader=reader))
    groups = groups_counted_for_reader(reader=reader)
    for group in groups:
        group.is_chosen = group.pk in chosen
    return sorted(groups, key=lambda g: (not g.is_chosen and g.slug != "everywhere", g.position))


@dataclass
class Totals:
    done: int
    total: int
    due: int


def totals(groups: list[ChecklistGroup]) -> Totals:
    return Totals(
        done=sum(g.done_count for g in groups),
        total=sum(g.item_count for g in groups),
        due=sum(g.due_count for g in groups),
    )


def group_pick(*, groups: list[ChecklistGroup], slug: str) -> ChecklistGroup:
    """The group with this slug out of an already counted list, or 404."""
    group = next((g for g in groups if g.slug == slug), None)
    if group is None:
        raise Http404("No such checklist group")
    return group


def _items() -> list[ChecklistItem]:
    """Every item in order with its group and lesson, kept per content version (shared: see _groups)."""
    return content_memo(
        ("checklist_items",),
        lambda: list(
            ChecklistItem.objects.select_related("group", "lesson__module").order_by(
                "group__position", "position"
            )
        ),
    )


def item_get(*, group_slug: str, item_key: str) -> ChecklistItem:
    """The item, only through its own group: a tampered URL pairing is not found. From the content memo:
    the caller must not change it."""
    items = content_memo(("checklist_item_index",), lambda: {(i.group.slug, i.key): i for i in _items()})
    item = items.get((group_slug, item_key))
    if item is None:
        raise Http404("No such checklist item")
    return item


def item_is_as_asked(*, reader: Reader | None, item: ChecklistItem, done: bool) -> bool:
    """Whether the item is already done (or not done) for this reader: a resent tick or untick, which has
    nothing to write."""
    return _ticks(reader).filter(item=item).exists() == done


def items_for_reader(
    *, reader: Reader | None, groups: list[ChecklistGroup] | None = None, item: ChecklistItem | None = None
) -> list[ChecklistItem]:
    """Items (of some groups, one item, or all) with `done_at` and `is_due` for this reader. The items
    come from the content memo; the reader's ticks are one query (none without a reader)."""
    items, ticks = _items(), _ticks(reader)
    if groups is not None:
        group_ids = {group.pk for group in groups}
        items = [entry for entry in items if entry.group_id in group_ids]
        ticks = ticks.filter(item__group_id__in=group_ids)
    if item is not None:
        items = [entry for entry in items if entry.pk == item.pk]
        ticks = ticks.filter(item=item)
    done_at = dict(ticks.values_list("item_id", "done_at")) if reader is not None else {}
    cutoff = review_cutoff()
    marked = []
    for shared in items:
        entry = copy.copy(shared)
        entry.done_at = done_at.get(entry.pk)
        entry.is_due = entry.done_at is not None and entry.done_at < cutoff
        marked.append(entry)
    return marked


def checklist_done_counts_for_users(*, user_ids: list[int]) -> dict[int, int]:
    """How many checklist items each account has done: counts only, for teachers' class totals."""
    rows = (
        ChecklistTick.objects.filter(reader__user_id__in=user_ids)
        .values("reader__user_id")
        .annotate(done=Count("pk"))
    )
    return {row["reader__user_id"]: row["done"] for row in rows}


def checklist_done_counts_by_user_and_group(*, user_ids: list[int]) -> dict[tuple[int, int], int]:
    """How many items of each platform each account has done, keyed (user id, group id): counts only,
    for checklist assignments. One query."""
    rows = (
        ChecklistTick.objects.filter(reader__user_id__in=user_ids)
        .values("reader__user_id", "item__group_id")
        .annotate(done=Count("pk"))
    )
    return {(row["reader__user_id"], row["item__group_id"]): row["done"] for row in rows}


def checklist_item_counts_by_group() -> dict[int, int]:
    """The number of items of each platform: one query."""

    def count() -> dict[int, int]:
        rows = ChecklistItem.objects.values("group_id").annotate(count=Count("pk"))
        return {row["group_id"]: row["count"] for row in rows}

    return dict(content_memo(("checklist_item_counts",), count))


def checklist_progress_by_group(*, reader: Reader | None) -> list[ChecklistGroup]:
    """Each platform in order with `item_count` and this reader's `done_count` (counts only, never which
    items): one query, slug and current-language title only."""
    done_count = Value(0, output_field=IntegerField())
    if reader is not None:
        done_count = Count("items", filter=Q(items__ticks__reader=reader), distinct=True)
    return list(
        ChecklistGroup.objects.only("slug", "position", f"title_{current_language()}")
        .annotate(item_count=Count("items", distinct=True), done_count=done_count)
        .order_by("position")
    )


def checklist_item_total() -> int:
    return content_memo(("checklist_item_total",), ChecklistItem.objects.count)


def checklist_export(*, reader: Reader | None) -> dict:
    ticks = _ticks(reader).select_related("item__group").order_by("done_at")
    reports = PathReport.objects.filter(reader=reader).select_related("item__group") if reader else []
    return {
        "checklist_done": [
            {"group": t.item.group.slug, "item": t.item.key, "done_at": t.done_at.isoformat()} for t in ticks
        ],
        "checklist_platforms": list(
            UsedPlatform.objects.filter(reader=reader).values_list("group__slug", flat=True) if reader else []
        ),
        "checklist_reports": [
            {"item": str(r.item), "note": r.note, "created_at": r.created_at.isoformat()} for r in reports
        ],
    }
