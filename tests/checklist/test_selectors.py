"""apps/checklist/selectors.py on the fixture checklist (`everywhere`: public-or-private,
strong-password; `photobook`: private-account, tag-approval, ad-partners)."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import Reader
from apps.checklist import selectors
from apps.checklist.models import ChecklistGroup, ChecklistItem
from apps.checklist.services import checklist_item_set, checklist_platforms_set, path_report_submit
from tests.factories import ChecklistGroupFactory, ChecklistItemFactory, StudentFactory
from tests.helpers import reader_of

pytestmark = pytest.mark.django_db

JAN = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def item(key: str) -> ChecklistItem:
    return ChecklistItem.objects.select_related("group").get(key=key)


def tick(reader: Reader, key: str, when: datetime.datetime | None = None) -> None:
    if when is None:
        checklist_item_set(reader=reader, item=item(key), done=True)
        return
    with time_machine.travel(when, tick=False):
        checklist_item_set(reader=reader, item=item(key), done=True)


def counts(groups) -> dict[str, tuple[int, int, int]]:
    return {g.slug: (g.item_count, g.done_count, g.due_count) for g in groups}


# review


def test_review_comes_after_180_days():
    assert datetime.timedelta(days=180) == selectors.REVIEW_AFTER
    with time_machine.travel(JAN, tick=False):
        assert selectors.review_cutoff() == JAN - datetime.timedelta(days=180)


@pytest.mark.parametrize(
    "later,due",
    [
        (datetime.timedelta(days=179, hours=23), False),
        (datetime.timedelta(days=180), False),
        (datetime.timedelta(days=180, seconds=1), True),
        (datetime.timedelta(days=400), True),
    ],
)
def test_an_item_is_due_for_review_only_after_180_days(later, due):
    reader = Reader.objects.create()
    tick(reader, "strong-password", JAN)
    with time_machine.travel(JAN + later, tick=False):
        entry = selectors.items_for_reader(reader=reader, item=item("strong-password"))[0]
        groups = selectors.group_list_for_reader(reader=reader)
    assert entry.is_due is due
    assert counts(groups)["everywhere"] == (2, 1, int(due))


# group_list_for_reader, totals, group_pick


def test_groups_without_a_reader_count_items_only():
    groups = selectors.group_list_for_reader(reader=None)
    assert counts(groups) == {"everywhere": (2, 0, 0), "photobook": (3, 0, 0)}
    assert [g.slug for g in groups] == ["everywhere", "photobook"]
    assert not any(g.is_chosen for g in groups)


def test_groups_count_this_readers_done_and_due_items_only(django_assert_num_queries):
    reader, other = Reader.objects.create(), Reader.objects.create()
    tick(reader, "strong-password", JAN)
    tick(reader, "private-account")
    tick(reader, "ad-partners")
    for key in ("strong-password", "public-or-private", "private-account", "tag-approval"):
        tick(other, key)
    selectors.group_list_for_reader(reader=None)  # the groups, read once per content version
    with time_machine.travel(JAN + datetime.timedelta(days=200), tick=False), django_assert_num_queries(2):
        groups = selectors.group_list_for_reader(reader=reader)
    assert counts(groups) == {"everywhere": (2, 1, 1), "photobook": (3, 2, 0)}
    assert selectors.totals(groups) == selectors.Totals(done=3, total=5, due=1)


def test_the_readers_platforms_come_first_after_everywhere():
    ChecklistGroupFactory(slug="chirper", position=50)
    second = ChecklistGroupFactory(slug="clipster", position=60)
    reader = Reader.objects.create()
    checklist_platforms_set(reader=reader, groups=[second])
    groups = selectors.group_list_for_reader(reader=reader)
    assert [g.slug for g in groups] == ["everywhere", "clipster", "photobook", "chirper"]
    assert [g.slug for g in groups if g.is_chosen] == ["clipster"]
    assert [g.slug for g in selectors.group_list_for_reader(reader=None)] == [
        "everywhere",
        "photobook",
        "chirper",
        "clipster",
    ]


def test_a_chosen_platform_is_ordered_by_position_among_the_first():
    for slug, position in (("chirper", 50), ("clipster", 60)):
        ChecklistGroupFactory(slug=slug, position=position)
    reader = Reader.objects.create()
    checklist_platforms_set(
        reader=reader, groups=list(ChecklistGroup.objects.filter(slug__in=["clipster", "photobook"]))
    )
    assert [g.slug for g in selectors.group_list_for_reader(reader=reader)] == [
        "everywhere",
        "photobook",
        "clipster",
        "chirper",
    ]


def test_group_pick_finds_a_counted_group_or_404():
    groups = selectors.group_list_for_reader(reader=None)
    assert selectors.group_pick(groups=groups, slug="photobook").item_count == 3
    with pytest.raises(Http404):
        selectors.group_pick(groups=groups, slug="myspace")


def test_reader_platform_ids():
    reader = Reader.objects.create()
    assert selectors.reader_platform_ids(reader=None) == []
    assert selectors.reader_platform_ids(reader=reader) == []
    checklist_platforms_set(reader=reader, groups=[ChecklistGroup.objects.get(slug="photobook")])
    assert selectors.reader_platform_ids(reader=reader) == [ChecklistGroup.objects.get(slug="photobook").pk]


# item_get, items_for_reader


def test_an_item_is_found_only_through_its_own_group():
    assert selectors.item_get(group_slug="photobook", item_key="ad-partners") == item("ad-partners")
    for group_slug, item_key in [
        ("everywhere", "ad-partners"),
        ("photobook", "nope"),
        ("nope", "ad-partners"),
    ]:
        with pytest.raises(Http404):
            selectors.item_get(group_slug=group_slug, item_key=item_key)


def test_items_carry_this_readers_done_time_in_order():
    reader, other = Reader.objects.create(), Reader.objects.create()
    tick(reader, "tag-approval", JAN)
    tick(other, "private-account", JAN)
    with time_machine.travel(JAN + datetime.timedelta(days=1), tick=False):
        items = selectors.items_for_reader(reader=reader)
    assert [i.key for i in items] == [
        "public-or-private",
        "strong-password",
        "private-account",
        "tag-approval",
        "ad-partners",
    ]
    assert {i.key: i.done_at for i in items if i.done_at} == {"tag-approval": JAN}
    assert not any(i.is_due for i in items)
    assert all(i.done_at is None for i in selectors.items_for_reader(reader=None))


def test_items_follow_group_then_item_positions():
    ChecklistItem.objects.filter(key="ad-partners").update(position=0)
    ChecklistGroup.objects.filter(slug="photobook").update(position=0)
    assert [i.key for i in selectors.items_for_reader(reader=None)] == [
        "ad-partners",
        "private-account",
        "tag-approval",
        "public-or-private",
        "strong-password",
    ]


def test_an_item_comes_with_its_group_from_one_read_of_the_content(django_assert_num_queries):
    with django_assert_num_queries(2):  # the content version, then every item with its group
        assert selectors.item_get(group_slug="photobook", item_key="ad-partners").group.slug == "photobook"
    with django_assert_num_queries(0):
        assert (
            selectors.item_get(group_slug="everywhere", item_key="strong-password").key == "strong-password"
        )


def test_items_of_some_groups_or_one_item():
    photobook = ChecklistGroup.objects.get(slug="photobook")
    assert [i.key for i in selectors.items_for_reader(reader=None, groups=[photobook])] == [
        "private-account",
        "tag-approval",
        "ad-partners",
    ]
    assert [i.key for i in selectors.items_for_reader(reader=None, item=item("strong-password"))] == [
        "strong-password"
    ]


def test_items_for_reader_take_one_query_whatever_their_number(django_assert_num_queries):
    ChecklistItemFactory.create_batch(20, group=ChecklistGroup.objects.get(slug="photobook"))
    reader = Reader.objects.create()
    tick(reader, "ad-partners")
    selectors.items_for_reader(reader=None)  # the items, read once per content version
    with django_assert_num_queries(1):
        items = selectors.items_for_reader(reader=reader)
        assert [i.lesson.module.slug for i in items if i.lesson] == ["beta", "beta"]
        assert {i.group.slug for i in items} == {"everywhere", "photobook"}


# For teachers


def test_done_counts_for_accounts():
    sara, omar, nobody = StudentFactory(), StudentFactory(), StudentFactory()
    for key in ("strong-password", "ad-partners"):
        tick(reader_of(sara), key)
    tick(reader_of(omar), "ad-partners")
    tick(Reader.objects.create(), "ad-partners")
    assert selectors.checklist_done_counts_for_users(user_ids=[sara.pk, omar.pk, nobody.pk]) == {
        sara.pk: 2,
        omar.pk: 1,
    }
    assert selectors.checklist_item_total() == 5


# checklist_export


def test_export_without_a_reader_has_every_key_and_nothing_in_it():
    empty = {"checklist_done": [], "checklist_platforms": [], "checklist_reports": []}
    assert selectors.checklist_export(reader=None) == empty
    assert selectors.checklist_export(reader=Reader.objects.create()) == empty


def test_export_takes_as_many_queries_for_many_rows():
    reader = Reader.objects.create()
    tick(reader, "ad-partners")
    path_report_submit(reader=reader, item=item("ad-partners"), note="moved")
    with CaptureQueriesContext(connection) as few:
        selectors.checklist_export(reader=reader)
    for key in ("strong-password", "public-or-private", "tag-approval"):
        tick(reader, key)
        path_report_submit(reader=reader, item=item(key), note="moved")
    with CaptureQueriesContext(connection) as many:
        exported = selectors.checklist_export(reader=reader)
    assert len(exported["checklist_done"]) == len(exported["checklist_reports"]) == 4
    assert len(many) == len(few)


def test_export_holds_this_readers_ticks_platforms_and_reports():
    reader, other = Reader.objects.create(), Reader.objects.create()
    tick(reader, "ad-partners", JAN + datetime.timedelta(days=1))
    tick(reader, "strong-password", JAN)
    tick(other, "tag-approval")
    checklist_platforms_set(reader=reader, groups=[ChecklistGroup.objects.get(slug="photobook")])
    checklist_platforms_set(reader=other, groups=list(ChecklistGroup.objects.all()))
    with time_machine.travel(JAN, tick=False):
        path_report_submit(reader=reader, item=item("tag-approval"), note="Moved to Privacy")
    path_report_submit(reader=other, item=item("ad-partners"), note="other")
    assert selectors.checklist_export(reader=reader) == {
        "checklist_done": [
            {"group": "everywhere", "item": "strong-password", "done_at": JAN.isoformat()},
            {
                "group": "photobook",
                "item": "ad-partners",
                "done_at": (JAN + datetime.timedelta(days=1)).isoformat(),
            },
        ],
        "checklist_platforms": ["photobook"],
        "checklist_reports": [
            {"item": "photobook/tag-approval", "note": "Moved to Privacy", "created_at": JAN.isoformat()}
        ],
    }
