from django.db import transaction
from django.utils import timezone

from apps.accounts.models import Reader

from .models import ChecklistGroup, ChecklistItem, ChecklistTick, PathReport, UsedPlatform


def checklist_item_set(*, reader: Reader, item: ChecklistItem, done: bool, reconfirm: bool = False) -> None:
    """Set an item to done or not done for `reader`. Setting, not flipping: repeats change nothing.

    `reconfirm` restarts the review clock of an item that is already done.
    """
    if not done:
        deleted, _rows = ChecklistTick.objects.filter(reader=reader, item=item).delete()
        if deleted:
            reader.progress_changed()
        return
    now = timezone.now()
    if reconfirm and ChecklistTick.objects.filter(reader=reader, item=item).update(done_at=now):
        return
    # INSERT ... ON CONFLICT DO NOTHING: a tick stored by a concurrent request already holds.
    ChecklistTick.objects.bulk_create(
        [ChecklistTick(reader=reader, item=item, done_at=now)], ignore_conflicts=True
    )
    reader.progress_changed()


def checklist_platforms_set(*, reader: Reader, groups: list[ChecklistGroup]) -> None:
    """Remember which platforms a reader uses (replacing the previous choice)."""
    with transaction.atomic():
        UsedPlatform.objects.filter(reader=reader).exclude(group__in=groups).delete()
        UsedPlatform.objects.bulk_create(
            [UsedPlatform(reader=reader, group=group) for group in groups], ignore_conflicts=True
        )


def path_report_submit(*, reader: Reader, item: ChecklistItem, note: str) -> PathReport:
    """One report per reader and item; sending again updates the note."""
    # update_or_create locks the row and retries the read if a concurrent first report won the insert.
    report, _created = PathReport.objects.update_or_create(
        reader=reader, item=item, defaults={"note": note.strip()[:500], "resolved": False}
    )
    return report
