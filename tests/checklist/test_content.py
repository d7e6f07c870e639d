import pytest

from apps.checklist.models import ChecklistGroup, ChecklistItem
from apps.checklist.services import CONTENT_DIR, checklist_content_sync
from apps.core.content import ContentError

pytestmark = pytest.mark.django_db


def test_groups_cover_every_platform_and_everywhere():
    slugs = list(ChecklistGroup.objects.order_by("position").values_list("slug", flat=True))
    assert slugs == ["everywhere", "facebook", "instagram", "x", "tiktok", "youtube", "linkedin"]
    assert "print" not in slugs


def test_every_item_is_complete_in_both_languages():
    for item in ChecklistItem.objects.select_related("group"):
        for field in ("title_en", "title_ar", "why_en", "why_ar"):
            assert getattr(item, field).strip(), (item, field)
        assert len(item.steps_en) == len(item.steps_ar) > 0
        assert item.link.startswith("https://") and item.checked_on


def test_everywhere_covers_the_general_habits():
    assert ChecklistItem.objects.filter(group__slug="everywhere").count() >= 10


def _write(tmp_path, text):
    path = tmp_path / "01-demo.toml"
    path.write_text(text)
    return path


GOOD = """slug = "demo"
title.en = "Demo"
title.ar = "تجربة"
domains = ["example.org"]

[[items]]
id = "one"
title.en = "One"
title.ar = "واحد"
why.en = "Why"
why.ar = "لماذا"
steps.en = ["A", "B"]
steps.ar = ["أ", "ب"]
link = "https://help.example.org/one"
checked_on = 2026-11-26
"""


@pytest.mark.parametrize(
    "change,message",
    [
        (("https://help.example.org/one", "http://help.example.org/one"), "'link' must be https"),
        (("https://help.example.org/one", "https://evil.example/one"), "'link' must be https"),
        (('steps.ar = ["أ", "ب"]', 'steps.ar = ["أ"]'), "as many steps"),
        (('title.ar = "واحد"\n', ""), "'title.ar' is missing"),
        (("checked_on = 2026-11-26", 'checked_on = "yesterday"'), "'checked_on' must be a date"),
        (('slug = "demo"', 'slug = "other"'), "'slug' must be"),
    ],
)
def test_broken_files_stop_the_load_with_a_message(tmp_path, change, message):
    _write(tmp_path, GOOD.replace(*change))
    with pytest.raises(ContentError, match=message):
        checklist_content_sync(source_dir=tmp_path)


def test_a_good_file_loads_and_reloads_idempotently(tmp_path):
    _write(tmp_path, GOOD)
    checklist_content_sync(source_dir=tmp_path)
    report = checklist_content_sync(source_dir=tmp_path)
    assert report.created == 0
    assert ChecklistItem.objects.filter(group__slug="demo").count() == 1


def test_real_content_files_all_load():
    report = checklist_content_sync(source_dir=CONTENT_DIR)
    assert report.created == 0 and not [s for s in report.stale if not s.startswith("demo")]
