"""apps/checklist/content.py on temporary copies of the fixture checklist (tests/content/checklist/:
`everywhere` on example.org, `photobook` on photobook.example).

Each validation rule has a test that fails when the rule goes; the sync runs inside the test's
transaction, so nothing here outlives the test.
"""

import datetime
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from apps.checklist.content import checklist_content_sync
from apps.checklist.models import ChecklistGroup, ChecklistItem, ChecklistTick, PathReport
from apps.checklist.services import checklist_item_set, path_report_submit
from apps.core.content import ContentError
from tests.helpers import FIXTURE_CONTENT_DIRS, reader_of, toml_edit

pytestmark = pytest.mark.django_db

FIXTURE_CHECKLIST = FIXTURE_CONTENT_DIRS["checklist_dir"]
MIN_ITEMS = FIXTURE_CONTENT_DIRS["checklist_min_items"]


def sync(**kwargs):
    return checklist_content_sync(**{"min_items": MIN_ITEMS, **kwargs})


@pytest.fixture
def tree(tmp_path) -> Path:
    for path in FIXTURE_CHECKLIST.glob("*.toml"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def change(tree: Path, edit: Callable[[dict], object], name: str = "01-everywhere.toml") -> Path:
    return toml_edit(tree / name, edit)


def item(data: dict, key: str) -> dict:
    return next(entry for entry in data["items"] if entry["id"] == key)


def public(data: dict) -> dict:
    return item(data, "public-or-private")


def refused(tree: Path, message: str) -> None:
    before = list(ChecklistItem.objects.order_by("pk").values_list("pk", "position", "title_en", "link"))
    with pytest.raises(ContentError, match=message):
        sync(source_dir=tree)
    after = list(ChecklistItem.objects.order_by("pk").values_list("pk", "position", "title_en", "link"))
    assert after == before


def stored(key: str = "public-or-private") -> ChecklistItem:
    return ChecklistItem.objects.select_related("group", "lesson__module").get(key=key)


# Loading


def test_the_rewritten_fixture_files_are_what_is_loaded(tree):
    """The TOML writer these tests use round-trips: a rewritten file changes nothing."""
    change(tree, lambda data: None)
    change(tree, lambda data: None, name="02-photobook.toml")
    report = sync(source_dir=tree)
    assert (report.created, report.updated, report.stale) == (0, 0, [])


def test_a_second_sync_changes_nothing():
    report = sync(source_dir=FIXTURE_CHECKLIST)
    assert (report.created, report.updated, report.stale) == (0, 0, [])
    assert report.unchanged == 2 + 5 == ChecklistGroup.objects.count() + ChecklistItem.objects.count()


def test_the_stored_rows_follow_the_files():
    groups = list(ChecklistGroup.objects.order_by("position"))
    assert [(g.slug, g.position, g.title_en, g.title_ar) for g in groups] == [
        ("everywhere", 1, "Everywhere", "في كل المنصات"),
        ("photobook", 2, "Photobook", "فوتوبوك"),
    ]
    assert (
        groups[0].intro_en == "Fixture group everywhere."
        and groups[0].intro_ar == "مجموعة اختبار everywhere."
    )
    entry = stored()
    assert (entry.group.slug, entry.position) == ("everywhere", 1)
    assert entry.title_en == "everywhere setting 1: public-or-private"
    assert entry.why_ar == "لماذا يهم هذا الإعداد."
    assert entry.steps_en == ["Open settings", "Open privacy", "Change public-or-private"]
    assert entry.steps_ar == ["افتح الإعدادات", "افتح الخصوصية", "غيّر الإعداد"]
    assert entry.link == entry.source == "https://help.example.org/public-or-private"
    assert entry.checked_on == datetime.date(2026, 11, 26)
    assert (entry.lesson.module.slug, entry.lesson.slug) == ("beta", "settings")
    second = stored("strong-password")
    assert second.position == 2 and second.lesson is None and second.source
    assert [i.key for i in ChecklistItem.objects.filter(group__slug="photobook")] == [
        "private-account",
        "tag-approval",
        "ad-partners",
    ]


@pytest.mark.parametrize(
    "edit,name",
    [
        (lambda data: public(data)["title"].update(en="A new title"), "01-everywhere.toml"),
        (lambda data: public(data)["why"].update(ar="سبب جديد"), "01-everywhere.toml"),
        (lambda data: public(data)["steps"].update(en=["One", "Two", "Three"]), "01-everywhere.toml"),
        (lambda data: public(data).update(link="https://example.org/moved"), "01-everywhere.toml"),
        (lambda data: public(data).update(source="https://example.org/source"), "01-everywhere.toml"),
        (lambda data: public(data).update(checked_on=datetime.date(2027, 1, 2)), "01-everywhere.toml"),
        (lambda data: public(data).update(lesson="alpha/first-steps"), "01-everywhere.toml"),
        (lambda data: public(data).pop("lesson"), "01-everywhere.toml"),
        (lambda data: data["intro"].update(en="A new intro."), "01-everywhere.toml"),
        (lambda data: data["title"].update(ar="فوتو"), "02-photobook.toml"),
    ],
)
def test_one_changed_value_updates_exactly_one_row(tree, edit, name):
    change(tree, edit, name=name)
    report = sync(source_dir=tree)
    assert (report.created, report.updated, report.stale) == (0, 1, [])
    assert sync(source_dir=tree).updated == 0


def test_changed_values_are_stored_stripped(tree):
    def edit(data):
        public(data)["title"]["en"] = "  A new title  "
        public(data)["steps"] = {"en": [" One ", "Two"], "ar": ["واحد", " اثنان "]}
        public(data)["lesson"] = "alpha/first-steps"
        public(data)["checked_on"] = datetime.date(2027, 1, 2)
        public(data).pop("source")

    change(tree, edit)
    sync(source_dir=tree)
    entry = stored()
    assert entry.title_en == "A new title"
    assert entry.steps_en == ["One", "Two"] and entry.steps_ar == ["واحد", "اثنان"]
    assert (entry.lesson.module.slug, entry.lesson.slug) == ("alpha", "first-steps")
    assert entry.checked_on == datetime.date(2027, 1, 2) and entry.source == ""


def test_a_group_without_an_intro_gets_an_empty_one(tree):
    change(tree, lambda data: data.pop("intro"))
    assert sync(source_dir=tree).updated == 1
    group = ChecklistGroup.objects.get(slug="everywhere")
    assert group.intro_en == group.intro_ar == ""


def test_reordered_items_and_renumbered_files_update_positions(tree):
    change(tree, lambda data: data["items"].reverse())
    (tree / "02-photobook.toml").rename(tree / "05-photobook.toml")
    report = sync(source_dir=tree)
    assert report.updated == 3 and report.created == 0
    assert [i.key for i in ChecklistItem.objects.filter(group__slug="everywhere")] == [
        "strong-password",
        "public-or-private",
    ]
    assert ChecklistGroup.objects.get(slug="photobook").position == 5


def test_a_new_group_and_item_are_created(tree):
    shutil.copy(tree / "02-photobook.toml", tree / "03-chirper.toml")

    def edit(data):
        data["slug"] = "chirper"
        data["items"] = data["items"][:1]

    change(tree, edit, name="03-chirper.toml")
    report = sync(source_dir=tree, min_items=1)
    assert (report.created, report.updated) == (2, 0)
    assert list(ChecklistItem.objects.filter(group__slug="chirper").values_list("key", flat=True)) == [
        "private-account"
    ]


# Stale rows


def test_stale_items_and_groups_are_reported_and_kept_without_prune(tree):
    change(tree, lambda data: data["items"].pop(), name="01-everywhere.toml")
    (tree / "02-photobook.toml").unlink()
    report = sync(source_dir=tree)
    assert report.stale == [
        "everywhere/strong-password",
        "photobook/private-account",
        "photobook/tag-approval",
        "photobook/ad-partners",
        "Photobook",
    ]
    assert ChecklistItem.objects.count() == 5 and ChecklistGroup.objects.count() == 2


def test_prune_deletes_stale_items_with_their_ticks_and_reports_only(tree, student):
    reader = reader_of(student)
    gone, kept = stored("strong-password"), stored("public-or-private")
    for entry in (gone, kept):
        checklist_item_set(reader=reader, item=entry, done=True)
        path_report_submit(reader=reader, item=entry, note="moved")
    change(tree, lambda data: data["items"].pop(), name="01-everywhere.toml")
    report = sync(source_dir=tree, prune=True)
    assert report.stale == ["everywhere/strong-password"]
    assert not ChecklistItem.objects.filter(pk=gone.pk).exists()
    assert list(ChecklistTick.objects.filter(reader=reader).values_list("item", flat=True)) == [kept.pk]
    assert list(PathReport.objects.filter(reader=reader).values_list("item", flat=True)) == [kept.pk]
    assert sync(source_dir=tree).stale == []


def test_prune_deletes_a_stale_group(tree):
    (tree / "02-photobook.toml").unlink()
    sync(source_dir=tree, prune=True)
    assert list(ChecklistGroup.objects.values_list("slug", flat=True)) == ["everywhere"]
    assert not ChecklistItem.objects.filter(group__slug="photobook").exists()


def test_a_resync_keeps_ticks_reports_and_platforms(student):
    reader = reader_of(student)
    checklist_item_set(reader=reader, item=stored(), done=True)
    path_report_submit(reader=reader, item=stored(), note="moved")
    sync(source_dir=FIXTURE_CHECKLIST, prune=True)
    assert ChecklistTick.objects.filter(reader=reader).count() == 1
    assert PathReport.objects.filter(reader=reader).count() == 1


# Rules


def test_slug_must_match_the_file_name(tree):
    change(tree, lambda data: data.update(slug="photobook"))
    refused(tree, r"01-everywhere.toml: 'slug' must be \"everywhere\", as in the file name")


@pytest.mark.parametrize(
    "edit",
    [
        lambda data: data.pop("domains"),
        lambda data: data.update(domains=[]),
        lambda data: data.update(domains="example.org"),
    ],
)
def test_a_group_lists_its_domains(tree, edit):
    change(tree, edit)
    refused(tree, "01-everywhere.toml: 'domains' must list the platform's own domains")


@pytest.mark.parametrize(
    "edit",
    [lambda data: data.pop("items"), lambda data: data.update(items=[]), lambda data: data.update(items="x")],
)
def test_a_group_needs_an_item(tree, edit):
    change(tree, edit)
    refused(tree, "01-everywhere.toml: a group needs at least one item")


@pytest.mark.parametrize(
    "edit",
    [
        lambda data: item(data, "strong-password").update(id="public-or-private"),
        lambda data: item(data, "strong-password").update(id=""),
        lambda data: item(data, "strong-password").update(id=7),
    ],
)
def test_every_item_needs_a_unique_id(tree, edit):
    change(tree, edit)
    refused(tree, "needs a unique 'id'")


def test_an_item_without_an_id_is_named_by_its_number(tree):
    change(tree, lambda data: item(data, "strong-password").pop("id"))
    refused(tree, "01-everywhere.toml: item 2: needs a unique 'id'")


@pytest.mark.parametrize(
    "steps",
    [
        None,
        ["Open settings"],
        {"en": ["Open settings"]},
        {"en": [], "ar": []},
        {"en": ["Open settings", "  "], "ar": ["أ", "ب"]},
        {"en": ["Open settings", 3], "ar": ["أ", "ب"]},
        {"en": "Open settings", "ar": "أ"},
    ],
)
def test_steps_need_a_non_empty_list_per_language(tree, steps):
    change(
        tree,
        lambda data: public(data).update(steps=steps) if steps is not None else public(data).pop("steps"),
    )
    refused(tree, "item public-or-private: 'steps' needs a non-empty list per language")


def test_steps_need_as_many_steps_in_every_language(tree):
    change(tree, lambda data: public(data)["steps"]["ar"].pop())
    refused(tree, "item public-or-private: 'steps' must have as many steps in every language")


@pytest.mark.parametrize(
    "link",
    [
        "http://help.example.org/x",
        "https://evil.example/x",
        "https://evilexample.org/x",
        "https://example.org.evil.example/x",
        "https://help.photobook.example/x",  # another group's domain
        "ftp://example.org/x",
        "//example.org/x",
        "",
        5,
        None,
    ],
)
def test_link_must_be_https_on_the_groups_own_domains(tree, link):
    change(
        tree, lambda data: public(data).update(link=link) if link is not None else public(data).pop("link")
    )
    refused(tree, "item public-or-private: 'link' must be https on example.org")


@pytest.mark.parametrize(
    "link",
    [
        "https://example.org/x",
        "https://help.example.org/x",
        "https://Help.EXAMPLE.org/x",
        "https://a.b.example.org",
    ],
)
def test_links_on_the_domain_and_its_subdomains_are_accepted(tree, link):
    change(tree, lambda data: public(data).update(link=link))
    sync(source_dir=tree)
    assert stored().link == link


def test_a_link_on_any_of_several_domains_is_accepted_and_the_message_lists_them(tree):
    def edit(data):
        data["domains"] = ["example.org", "example.net"]
        public(data)["link"] = "https://help.example.net/x"
        item(data, "strong-password")["link"] = "https://evil.example/x"

    change(tree, edit)
    refused(tree, "item strong-password: 'link' must be https on example.org, example.net")
    change(tree, lambda data: item(data, "strong-password").update(link="https://example.org/x"))
    sync(source_dir=tree)
    assert stored().link == "https://help.example.net/x"


@pytest.mark.parametrize("link_ar", ["https://evil.example/ar", "http://example.org/ar", "", 5])
def test_the_arabic_link_must_be_https_on_the_groups_own_domains(tree, link_ar):
    change(tree, lambda data: public(data).update(link_ar=link_ar))
    refused(tree, "item public-or-private: 'link_ar' must be https on example.org")


def test_the_arabic_link_is_stored_and_defaults_to_empty(tree):
    change(tree, lambda data: public(data).update(link_ar="https://example.org/ar/x"))
    sync(source_dir=tree)
    assert stored().link_ar == "https://example.org/ar/x"
    assert stored("strong-password").link_ar == ""


@pytest.mark.parametrize("confirmed", ["false", 0, "no"])
def test_confirmed_must_be_a_boolean(tree, confirmed):
    change(tree, lambda data: public(data).update(confirmed=confirmed))
    refused(tree, "item public-or-private: 'confirmed' must be true or false")


def test_an_item_is_confirmed_unless_the_file_says_otherwise(tree):
    change(tree, lambda data: public(data).update(confirmed=False))
    sync(source_dir=tree)
    assert stored().confirmed is False
    assert stored("strong-password").confirmed is True


def test_a_platform_needs_the_minimum_number_of_items(tree):
    change(tree, lambda data: data["items"].pop(), name="02-photobook.toml")
    with pytest.raises(
        ContentError, match="02-photobook.toml: a platform needs at least 3 items, this file has 2"
    ):
        sync(source_dir=tree)
    assert sync(source_dir=tree, min_items=2).stale == ["photobook/ad-partners"]


def test_the_general_group_is_exempt_from_the_minimum(tree):
    assert ChecklistGroup.objects.get(slug="everywhere").items.count() < MIN_ITEMS
    sync(source_dir=tree)
    with pytest.raises(ContentError, match="photobook"):
        sync(source_dir=tree, min_items=4)


def test_shipped_platforms_need_six_items():
    from apps.checklist.content import PLATFORM_MIN_ITEMS

    assert PLATFORM_MIN_ITEMS == 6


@pytest.mark.parametrize("source", ["http://help.example.org/x", "ftp://x", "help.example.org"])
def test_source_must_be_https(tree, source):
    change(tree, lambda data: public(data).update(source=source))
    refused(tree, "item public-or-private: 'source' must be an https URL")


def test_source_may_be_any_https_site(tree):
    change(tree, lambda data: public(data).update(source="https://research.example.net/paper"))
    sync(source_dir=tree)
    assert stored().source == "https://research.example.net/paper"


@pytest.mark.parametrize(
    "checked_on",
    ["2026-11-26", "yesterday", 20261126, datetime.datetime(2026, 11, 26, 10, 0), None],  # noqa: DTZ001
)
def test_checked_on_must_be_a_date(tree, checked_on):
    change(
        tree,
        lambda data: (
            public(data).update(checked_on=checked_on)
            if checked_on is not None
            else public(data).pop("checked_on")
        ),
    )
    refused(tree, "item public-or-private: 'checked_on' must be a date like 2026-11-26")


@pytest.mark.parametrize("lesson", ["beta/nope", "settings", "gamma/settings", "beta/settings/extra", ""])
def test_lesson_must_be_a_module_and_lesson(tree, lesson):
    change(tree, lambda data: public(data).update(lesson=lesson))
    refused(tree, f"item public-or-private: 'lesson' \"{lesson}\" is not a module/lesson")


@pytest.mark.parametrize(
    "edit,message",
    [
        (
            lambda data: public(data)["title"].pop("ar"),
            "item public-or-private: 'title.ar' is missing or empty",
        ),
        (
            lambda data: public(data)["why"].update(en=" "),
            "item public-or-private: 'why.en' is missing or empty",
        ),
        (
            lambda data: public(data).pop("why"),
            "item public-or-private: 'why' needs an 'en' and an 'ar' text",
        ),
        (lambda data: data["title"].pop("en"), "01-everywhere.toml: 'title.en' is missing or empty"),
        (lambda data: data["intro"].update(ar=7), "01-everywhere.toml: 'intro.ar' is missing or empty"),
    ],
)
def test_texts_are_needed_in_both_languages(tree, edit, message):
    change(tree, edit)
    refused(tree, message)


def test_nothing_is_stored_when_a_later_file_is_broken(tree):
    change(tree, lambda data: public(data)["title"].update(en="Changed"))
    change(tree, lambda data: data.update(domains=[]), name="02-photobook.toml")
    refused(tree, "02-photobook.toml")
    assert stored().title_en == "everywhere setting 1: public-or-private"
