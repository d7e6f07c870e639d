import datetime
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest
from django.utils import timezone

from .models import ChecklistGroup, ChecklistItem, ChecklistTick, UsedPlatform
from .services import REVIEW_AFTER, SESSION_DONE, SESSION_PLATFORMS


def review_cutoff() -> datetime.datetime:
    """Ticks older than this are due for review: settings drift and menus move."""
    return timezone.now() - REVIEW_AFTER


def _session_ticks(request: HttpRequest) -> dict[int, datetime.datetime]:
    ticks = {}
    raw = request.session.get(SESSION_DONE, {})
    for key, value in raw.items() if isinstance(raw, dict) else []:
        try:
            ticks[int(key)] = datetime.datetime.fromisoformat(value)
        except (TypeError, ValueError):
            continue
    return ticks


def reader_platform_ids(*, request: HttpRequest) -> list[int]:
    if request.user.is_authenticated:
        return list(UsedPlatform.objects.filter(user=request.user).values_list("group_id", flat=True))
    return [p for p in request.session.get(SESSION_PLATFORMS, []) if isinstance(p, int)]


def group_list_for_reader(*, request: HttpRequest) -> list[ChecklistGroup]:
    """Groups with item, done and due counts (one query), the reader's platforms first."""
    cutoff = review_cutoff()
    if request.user.is_authenticated:
        done = Q(items__ticks__user=request.user)
        due = done & Q(items__ticks__done_at__lt=cutoff)
    else:
        ticks = _session_ticks(request)
        done = Q(items__pk__in=list(ticks))
        due = Q(items__pk__in=[pk for pk, at in ticks.items() if at < cutoff])
    groups = list(
        ChecklistGroup.objects.annotate(
            item_count=Count("items", distinct=True),
            done_count=Count("items", filter=done, distinct=True),
            due_count=Count("items", filter=due, distinct=True),
        ).order_by("position")
    )
    chosen = set(reader_platform_ids(request=request))
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


def item_get(*, group_slug: str, item_key: str) -> ChecklistItem:
    """The item, only through its own group: a tampered URL pairing is not found."""
    item = ChecklistItem.objects.select_related("group").filter(group__slug=group_slug, key=item_key).first()
    if item is None:
        raise Http404("No such checklist item")
    return item


def items_for_reader(
    *, request: HttpRequest, groups: QuerySet | list | None = None, item: ChecklistItem | None = None
) -> list[ChecklistItem]:
    """Items (of some groups, one item, or all) with `done_at` and `is_due` for this reader."""
    items = ChecklistItem.objects.select_related("group", "lesson__module").order_by(
        "group__position", "position"
    )
    if groups is not None:
        items = items.filter(group__in=groups)
    if item is not None:
        items = items.filter(pk=item.pk)
    if request.user.is_authenticated:
        tick = ChecklistTick.objects.filter(item=OuterRef("pk"), user=request.user).values("done_at")[:1]
        items = list(items.annotate(done_at=Subquery(tick)))
    else:
        ticks = _session_ticks(request)
        items = list(items)
        for item in items:
            item.done_at = ticks.get(item.pk)
    cutoff = review_cutoff()
    for item in items:
        item.is_due = item.done_at is not None and item.done_at < cutoff
    return items


def checklist_done_counts_for_users(*, user_ids: list[int]) -> dict[int, int]:
    """How many checklist items each user has done: counts only, for teachers' class totals."""
    rows = ChecklistTick.objects.filter(user_id__in=user_ids).values("user_id").annotate(done=Count("pk"))
    return {row["user_id"]: row["done"] for row in rows}


def checklist_item_total() -> int:
    return ChecklistItem.objects.count()
