"""The shipped checklist (apps/checklist/content/), loaded by the `real_content` fixture. Behaviour
tests never use it: they run on the fixture checklist in tests/content/."""

import tomllib
from urllib.parse import urlsplit

import pytest

from apps.checklist.content import CONTENT_DIR, checklist_content_sync
from apps.checklist.models import ChecklistGroup, ChecklistItem

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_content")]

PLATFORMS = [
    "everywhere",
    "facebook",
    "instagram",
    "x",
    "tiktok",
    "youtube",
    "linkedin",
    "whatsapp",
    "snapchat",
]


def _files() -> dict[str, dict]:
    return {
        path.stem.split("-", 1)[1]: tomllib.loads(path.read_text(encoding="utf-8"))
        for path in sorted(CONTENT_DIR.glob("*.toml"))
    }


def test_groups_cover_every_platform_with_everywhere_first():
    assert list(ChecklistGroup.objects.order_by("position").values_list("slug", flat=True)) == PLATFORMS


def test_every_group_and_item_is_complete_in_both_languages():
    for group in ChecklistGroup.objects.all():
        assert group.title_en.strip() and group.title_ar.strip() and group.intro_en and group.intro_ar, group
        assert group.items.exists(), group
    for item in ChecklistItem.objects.select_related("group"):
        for field in ("title_en", "title_ar", "why_en", "why_ar"):
            assert getattr(item, field).strip(), (item, field)
        assert len(item.steps_en) == len(item.steps_ar) > 0, item
        assert item.checked_on, item


def test_every_link_is_https_on_the_platforms_own_domains():
    files = _files()
    for item in ChecklistItem.objects.select_related("group"):
        domains = files[item.group.slug]["domains"]
        link = urlsplit(item.link)
        assert link.scheme == "https", item
        assert any(link.hostname == d or link.hostname.endswith(f".{d}") for d in domains), item
        assert not item.source or item.source.startswith("https://"), item


def test_everywhere_covers_the_general_habits():
    assert ChecklistItem.objects.filter(group__slug="everywhere").count() >= 10


def test_linked_lessons_exist_in_the_shipped_lessons():
    files = _files()
    named = {entry["lesson"] for data in files.values() for entry in data["items"] if "lesson" in entry}
    linked = {
        f"{item.lesson.module.slug}/{item.lesson.slug}"
        for item in ChecklistItem.objects.filter(lesson__isnull=False).select_related("lesson__module")
    }
    assert named and linked == named


def test_reloading_the_shipped_checklist_changes_nothing():
    report = checklist_content_sync(source_dir=CONTENT_DIR)
    assert (report.created, report.updated, report.stale) == (0, 0, [])
    assert report.unchanged == ChecklistGroup.objects.count() + ChecklistItem.objects.count()


def test_every_platform_has_at_least_six_items_and_two_step_sign_in():
    for group in ChecklistGroup.objects.exclude(slug="everywhere"):
        keys = list(group.items.values_list("key", flat=True))
        assert len(keys) >= 6, group.slug
        assert any(key.startswith(("two-factor", "two-step")) for key in keys), group.slug


def test_arabic_links_are_https_on_the_platforms_own_domains_and_no_link_is_a_contact_form():
    files = _files()
    for item in ChecklistItem.objects.select_related("group"):
        domains = files[item.group.slug]["domains"]
        for address in filter(None, (item.link, item.link_ar)):
            link = urlsplit(address)
            assert link.scheme == "https", item
            assert any(link.hostname == d or link.hostname.endswith(f".{d}") for d in domains), item
            assert "/contact" not in link.path and "/form" not in link.path, item


def test_the_settings_the_lessons_ask_for_are_on_the_checklist():
    keys = set(ChecklistItem.objects.values_list("group__slug", "key"))
    for expected in [
        ("instagram", "private-account"),
        ("instagram", "teen-account"),
        ("instagram", "tags-and-mentions"),
        ("instagram", "contact-syncing"),
        ("facebook", "limit-past-posts"),
        ("facebook", "look-up-by-email-phone"),
        ("facebook", "ad-preferences"),
        ("x", "grok-training"),
        ("linkedin", "generative-ai-data"),
        ("tiktok", "disconnect-advertisers"),
    ]:
        assert expected in keys, expected


def test_every_unconfirmed_path_is_shown_as_such(client):
    for group in ChecklistGroup.objects.all():
        body = client.get(group.get_absolute_url()).content.decode()
        for item in group.items.all():
            row = body.split(f'<li id="item-{item.key}"')[1].split('<li id="item-')[0]
            assert ("Path not confirmed" in row) is not item.confirmed, item
            assert ("Path checked on" in row) is item.confirmed, item
