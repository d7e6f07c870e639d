"""apps/simulator/content.py: the scenario is checked when it is read; every rule names what is wrong."""

import re

import pytest

from apps.checklist.models import ChecklistItem
from apps.core.content import ContentError
from apps.core.i18n import Text
from apps.simulator.content import CONTENT_FILE, MODULE_PARTS, SETTINGS, load_scenario
from tests.helpers import edited_copy
from tests.simulator.conftest import FIXTURE


def edited(tmp_path, old: str, new: str):
    return edited_copy(FIXTURE, tmp_path, old, new)


def test_the_fixture_scenario_loads_with_every_part(fixture_scenario):
    s = fixture_scenario
    assert [post.key for post in s.posts] == ["run", "wall", "quiz", "mall", "shop"]
    assert [post.key for post in s.posts if post.own_profile] == ["wall"]
    assert set(s.settings) == set(SETTINGS) and s.modules == {"alpha": "interests"}
    assert (
        s.post("run").reply("comment", "brand").brand == "zoom"
        and s.post("run").reply("quiz", "brand") is None
    )
    assert s.post("nope") is None


def test_texts_follow_the_language_and_arabic_isolates_latin_runs(fixture_scenario):
    from django.utils import translation

    post = fixture_scenario.post("run")
    with translation.override("ar"):
        assert str(post.author) == "نادي الجري"
    assert str(post.author) == "Run Club"
    reply = post.reply("comment", "brand")
    with translation.override("ar"):
        assert str(reply.text) == "أحب حذائي من زوم"
    assert str(load_scenario(CONTENT_FILE).post("phone-review").text).startswith("Nova X3")


def test_texts_are_escaped_when_shown():
    text = Text((("en", "<b>"), ("ar", "<b>")))
    assert text.__html__() == "&lt;b&gt;"


PROBLEMS = [
    ('title.ar = "الجري"', "", "'title.ar' is missing or empty"),
    ('title.en = "Running"', 'title.en = " "', "'title.en' is missing or empty"),
    ("share = 3", "share = 0", "at least 1"),
    ('actions = ["like", "share", "comment"]', 'actions = ["like", "wave"]', "unknown action 'wave'"),
    ('actions = ["like", "share", "comment"]', 'actions = ["like"]', "comments and quiz answers"),
    ("interests = { running = 1 }", "interests = { knitting = 1 }", "unknown interest 'knitting'"),
    ("interests = { running = 1 }", "interests = { running = -2 }", "whole number of at least 1"),
    ('details = ["pet"]\nages', 'details = ["bank"]\nages', "unknown detail 'bank'"),
    ('brand = "zoom"\nmood = "happy"', 'brand = "zoom"', "needs a mood"),
    ('brand = "zoom"', 'brand = "acme"', "unknown brand 'acme'"),
    ('place = "mall"', 'place = "moon"', "a check-in needs a known place"),
    ("partner = true", "partner = false", "partner posts"),
    ('key = "quiz"\nauthor', 'key = "run"\nauthor', "a key of its own"),
    ('needs = { event = "trip" }', 'needs = { event = "trip", place = "mall" }', "exactly one of"),
    ('needs = { event = "trip" }', 'needs = { event = "wedding" }', "unknown event 'wedding'"),
    (
        'needs = { visit = "shop" }\nbasis = "off_platform"',
        'needs = { visit = "blog" }\nbasis = "off_platform"',
        "unknown visit 'blog'",
    ),
    ("at_least = 3 }", "at_least = 0 }", "at_least"),
    ('basis = "location"', 'basis = "rumour"', "basis must be one of"),
    ('audience = "runners"', 'audience = "ghosts"', "unknown audience 'ghosts'"),
    ('chosen_by = "context"', 'chosen_by = "horoscope"', "chosen_by must be one of"),
    ('audience = "runners"', 'audience = "runners"\nchosen_by = "context"', "not both"),
    (
        'checklist = "everywhere/public-or-private"\n[settings.partners]',
        'checklist = "everywhere"\n[settings.partners]',
        "group/item",
    ),
    ("[settings.teen]", "[settings.teenager]", "settings: needs exactly"),
    ('alpha = "interests"', 'alpha = "horoscopes"', "each module points to one of"),
]


@pytest.mark.parametrize(("old", "new", "message"), PROBLEMS, ids=[p[2] for p in PROBLEMS])
def test_each_broken_rule_is_refused_with_its_reason(tmp_path, old, new, message):
    with pytest.raises(ContentError, match=re.escape(message)):
        load_scenario(edited(tmp_path, old, new))


def test_a_file_that_is_not_toml_is_refused(tmp_path):
    path = tmp_path / "scenario.toml"
    path.write_text("[actions\n", encoding="utf-8")
    with pytest.raises(ContentError, match="scenario.toml: not valid TOML"):
        load_scenario(path)


# The shipped scenario


@pytest.fixture(scope="module")
def shipped():
    return load_scenario(CONTENT_FILE)


def test_the_shipped_scenario_has_about_twenty_posts_and_every_kind_of_action(shipped):
    assert 18 <= len(shipped.posts) <= 24
    actions = {action for post in shipped.posts for action in post.actions}
    assert actions == {"like", "share", "follow", "comment", "quiz", "checkin", "watch", "visit"}
    assert set(shipped.modules.values()) == set(MODULE_PARTS)


def test_every_shipped_audience_ad_and_card_can_be_reached(shipped):
    from apps.simulator import engine

    everything = {
        post.key: {
            action: (post.comments or post.answers)[0].key if action in ("comment", "quiz") else "on"
            for action in post.actions
        }
        for post in shipped.posts
    }
    # Every reply too: the first of each is above; the rest one post at a time.
    picture = engine.picture(shipped, everything, frozenset())
    assert {line.item.key for line in picture.audiences} == set(shipped.audiences)
    assert {line.item.key for line in picture.ads} == {ad.key for ad in shipped.ads}
    assert {line.item.key for line in picture.cards} == {card.key for card in shipped.cards}


def test_shipped_arabic_names_the_invented_brands_in_arabic_script(shipped):
    """No Latin runs to isolate: every Arabic text of the scenario is written in Arabic script."""
    from django.utils import translation

    with translation.override("ar"):
        texts = [str(t) for post in shipped.posts for t in (post.author, post.text)]
        texts += [str(reply.text) for post in shipped.posts for reply in post.comments + post.answers]
        texts += [str(ad.text) for ad in shipped.ads + shipped.cards]
    assert [text for text in texts if re.search("[A-Za-z]", text)] == []


@pytest.mark.django_db
def test_each_setting_links_to_a_shipped_checklist_item(shipped, real_content):
    for setting in shipped.settings.values():
        assert ChecklistItem.objects.filter(
            group__slug=setting.checklist_group, key=setting.checklist_item
        ).exists(), setting.checklist
