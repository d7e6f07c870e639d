"""apps/checklist/services.py on the fixture checklist (`everywhere`: public-or-private,
strong-password; `photobook`: private-account, tag-approval, ad-partners)."""

import datetime

import pytest
import time_machine

from apps.accounts.models import Reader
from apps.checklist.models import ChecklistGroup, ChecklistItem, ChecklistTick, PathReport, UsedPlatform
from apps.checklist.services import checklist_item_set, checklist_platforms_set, path_report_submit

pytestmark = pytest.mark.django_db

JAN = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
JUL = datetime.datetime(2026, 7, 1, tzinfo=datetime.UTC)


def item(key: str = "strong-password") -> ChecklistItem:
    return ChecklistItem.objects.select_related("group").get(key=key)


def group(slug: str) -> ChecklistGroup:
    return ChecklistGroup.objects.get(slug=slug)


def done_at(reader: Reader, key: str = "strong-password") -> datetime.datetime | None:
    tick = ChecklistTick.objects.filter(reader=reader, item__key=key).first()
    return tick.done_at if tick else None


# checklist_item_set


def test_done_stores_one_tick_at_the_current_time():
    reader = Reader.objects.create()
    with time_machine.travel(JAN, tick=False):
        checklist_item_set(reader=reader, item=item(), done=True)
    assert done_at(reader) == JAN
    assert ChecklistTick.objects.count() == 1


def test_done_again_keeps_the_first_time():
    reader = Reader.objects.create()
    with time_machine.travel(JAN, tick=False):
        checklist_item_set(reader=reader, item=item(), done=True)
    with time_machine.travel(JUL, tick=False):
        checklist_item_set(reader=reader, item=item(), done=True)
    assert done_at(reader) == JAN and ChecklistTick.objects.count() == 1


def test_reconfirm_restarts_the_clock():
    reader = Reader.objects.create()
    with time_machine.travel(JAN, tick=False):
        checklist_item_set(reader=reader, item=item(), done=True)
    with time_machine.travel(JUL, tick=False):
        checklist_item_set(reader=reader, item=item(), done=True, reconfirm=True)
    assert done_at(reader) == JUL and ChecklistTick.objects.count() == 1


def test_reconfirm_of_an_item_not_done_ticks_it():
    reader = Reader.objects.create()
    with time_machine.travel(JUL, tick=False):
        checklist_item_set(reader=reader, item=item(), done=True, reconfirm=True)
    assert done_at(reader) == JUL


def test_not_done_removes_the_tick_and_repeats_change_nothing():
    reader = Reader.objects.create()
    checklist_item_set(reader=reader, item=item(), done=True)
    for _ in range(2):
        checklist_item_set(reader=reader, item=item(), done=False)
        assert done_at(reader) is None
    checklist_item_set(reader=reader, item=item(), done=False, reconfirm=True)
    assert not ChecklistTick.objects.exists()


def test_ticks_belong_to_their_reader_and_item_only():
    reader, other = Reader.objects.create(), Reader.objects.create()
    with time_machine.travel(JAN, tick=False):
        for key in ("strong-password", "public-or-private"):
            checklist_item_set(reader=other, item=item(key), done=True)
        checklist_item_set(reader=reader, item=item("public-or-private"), done=True)
    with time_machine.travel(JUL, tick=False):
        checklist_item_set(reader=reader, item=item(), done=True, reconfirm=True)
    checklist_item_set(reader=reader, item=item("public-or-private"), done=False)
    assert done_at(other) == JAN and done_at(other, "public-or-private") == JAN
    assert done_at(reader) == JUL and done_at(reader, "public-or-private") is None
    assert ChecklistTick.objects.count() == 3


# checklist_platforms_set


def _platforms(reader: Reader) -> set[str]:
    return set(UsedPlatform.objects.filter(reader=reader).values_list("group__slug", flat=True))


def test_platforms_replace_the_previous_choice():
    extra = ChecklistGroup.objects.create(slug="chirper", position=9, title_en="Chirper", title_ar="شيربر")
    reader, other = Reader.objects.create(), Reader.objects.create()
    checklist_platforms_set(reader=other, groups=[group("photobook")])
    checklist_platforms_set(reader=reader, groups=[group("photobook")])
    checklist_platforms_set(reader=reader, groups=[group("photobook"), extra])
    assert _platforms(reader) == {"photobook", "chirper"}
    assert UsedPlatform.objects.filter(reader=reader).count() == 2
    checklist_platforms_set(reader=reader, groups=[extra])
    assert _platforms(reader) == {"chirper"}
    checklist_platforms_set(reader=reader, groups=[])
    assert _platforms(reader) == set()
    assert _platforms(other) == {"photobook"}


# path_report_submit


def test_a_report_is_stored_once_per_reader_and_item_and_updated_after():
    reader, other = Reader.objects.create(), Reader.objects.create()
    first = path_report_submit(reader=reader, item=item(), note="  It is under Privacy now  ")
    assert first.note == "It is under Privacy now" and first.resolved is False
    PathReport.objects.filter(pk=first.pk).update(resolved=True)
    again = path_report_submit(reader=reader, item=item(), note="Actually under Settings")
    again.refresh_from_db()
    assert again.pk == first.pk and again.note == "Actually under Settings" and again.resolved is False
    path_report_submit(reader=other, item=item(), note="")
    path_report_submit(reader=reader, item=item("public-or-private"), note="")
    assert PathReport.objects.count() == 3


def test_a_report_note_is_cut_at_500_characters():
    report = path_report_submit(reader=Reader.objects.create(), item=item(), note="x" * 600)
    report.refresh_from_db()
    assert report.note == "x" * 500
