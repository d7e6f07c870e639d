"""apps/simulator/engine.py on known action sequences: each inference, and the actions behind it."""

import pytest

from apps.simulator import engine
from apps.simulator.engine import Trace


@pytest.fixture
def s(fixture_scenario):
    return fixture_scenario


def picture(s, choices, switches=()):
    return engine.picture(s, choices, frozenset(switches))


def keys(lines):
    return [line.item.key for line in lines]


def test_nothing_done_infers_nothing_but_ads_not_about_you(s):
    p = picture(s, {})
    assert (p.interests, p.events, p.age, p.audiences, p.cards, p.alerts, p.details) == (
        [],
        [],
        None,
        [],
        [],
        [],
        [],
    )
    assert keys(p.ads) == ["context", "museum"]
    assert p.action_count == 0 and p.weight() == 0


def test_interests_add_up_by_the_weight_of_each_action(s):
    p = picture(s, {"run": {"like": "on", "share": "on"}})
    (running,) = p.interests
    assert running.item.key == "running" and running.score == 1 + 3
    assert running.percent == round(100 * 4 / engine.FULL_CONFIDENCE)
    assert running.traces == [Trace(s.post("run"), "like"), Trace(s.post("run"), "share")]


def test_confidence_is_capped_at_100(s):
    p = picture(s, {"run": {"like": "on", "share": "on", "comment": "brand"}})
    assert p.interests[0].score == 6 and p.interests[0].percent == 100


def test_interests_are_ordered_by_score(s):
    p = picture(s, {"run": {"like": "on"}, "quiz": {"quiz": "rex"}})
    assert keys(p.interests) == ["cooking", "running"]


def test_an_audience_needs_its_interest_score(s):
    assert keys(picture(s, {"run": {"like": "on"}}).audiences) == []
    p = picture(s, {"run": {"like": "on", "share": "on"}})
    assert keys(p.audiences) == ["runners"] and keys(p.ads) == ["shoes", "context", "museum"]
    assert p.ads[0].traces == p.interests[0].traces  # why: the actions behind the audience


def test_a_reply_adds_its_own_signals_and_age_guess(s):
    p = picture(s, {"run": {"comment": "pet"}})
    assert p.age.item.key == "13-17" and p.age.score == 5 * 2 + 0
    assert p.age.traces == [Trace(s.post("run"), "comment", s.post("run").reply("comment", "pet"))]
    assert keys(picture(s, {"run": {"like": "on"}}).age and [picture(s, {"run": {"like": "on"}}).age]) == [
        "25-34"
    ]


def test_a_comment_on_your_own_profile_is_hidden_by_a_private_profile(s):
    (line,) = picture(s, {"wall": {"comment": "rex"}}).details
    assert line.public and not line.with_app
    (line,) = picture(s, {"wall": {"comment": "rex"}}, {"private"}).details
    assert not line.public and picture(s, {"wall": {"comment": "rex"}}, {"private"}).exposed_details == []


def test_a_comment_on_a_public_page_stays_public_whatever_your_settings(s):
    (line,) = picture(s, {"run": {"comment": "pet"}}, {"private"}).details
    assert line.public and line.traces == [
        Trace(s.post("run"), "comment", s.post("run").reply("comment", "pet"))
    ]


def test_a_quiz_answer_stays_with_the_app_whatever_the_settings(s):
    (line,) = picture(s, {"quiz": {"quiz": "rex"}}, {"private"}).details
    assert line.with_app and not line.public and line in picture(s, {"quiz": {"quiz": "rex"}}).exposed_details


def test_a_comment_naming_a_brand_alerts_it(s):
    (alert,) = picture(s, {"run": {"comment": "brand"}}, {"private", "teen"}).alerts
    assert alert.brand.key == "zoom" and alert.trace.reply.key == "brand"
    assert picture(s, {"run": {"comment": "pet"}}).alerts == []


def test_life_events_bring_audiences_ads_and_card_offers(s):
    p = picture(s, {"shop": {"visit": "on"}})
    assert keys(p.events) == ["trip"]
    assert keys(p.audiences) == ["travellers", "shop_visitors", "lookalikes"]
    assert keys(p.ads) == ["flights", "retarget", "lookalike", "context", "museum"]
    assert keys(p.cards) == ["travel"] and p.cards[0].traces == [Trace(s.post("shop"), "visit")]


def test_off_platform_activity_off_disconnects_the_visit(s):
    p = picture(s, {"shop": {"visit": "on", "like": "on"}}, {"off_platform"})
    assert keys(p.events) == ["trip"] and p.events[0].traces == [Trace(s.post("shop"), "like")]
    assert keys(p.audiences) == ["travellers"]  # from the like; the visit is gone
    assert p.interests[0].score == 1


def test_partners_off_keeps_partner_audiences_from_ads(s):
    p = picture(s, {"shop": {"visit": "on"}}, {"partners"})
    lookalikes = next(line for line in p.audiences if line.item.key == "lookalikes")
    assert not lookalikes.usable and lookalikes.blocked_by == "partners"
    assert "lookalike" not in keys(p.ads) and "retarget" in keys(p.ads)


def test_location_off_keeps_places_from_ads(s):
    on = picture(s, {"mall": {"checkin": "on"}})
    assert keys(on.audiences) == ["mall_visitors"] and "mall" in keys(on.ads)
    off = picture(s, {"mall": {"checkin": "on"}}, {"location"})
    assert off.audiences[0].blocked_by == "location" and "mall" not in keys(off.ads)


def test_a_teenager_gets_ads_by_age_and_place_only_and_no_cards_but_is_still_profiled(s):
    choices = {"shop": {"visit": "on"}, "run": {"like": "on", "share": "on"}, "mall": {"checkin": "on"}}
    p = picture(s, choices, {"teen"})
    assert keys(p.ads) == ["context", "museum"] and p.cards == []
    assert all(not line.usable and line.blocked_by == "teen" for line in p.audiences)
    assert keys(p.interests) == ["running", "cooking"] and keys(p.events) == ["trip"]


def test_unknown_posts_actions_and_replies_are_ignored(s):
    choices = {"nope": {"like": "on"}, "quiz": {"like": "on", "quiz": "nobody"}, "run": {"like": "off"}}
    assert picture(s, choices).action_count == 0


def test_switch_effects_compare_each_setting_off_and_on(s):
    choices = {"wall": {"comment": "rex"}, "mall": {"checkin": "on"}}
    effects = engine.switch_effects(s, choices, frozenset())
    assert (effects["private"].before, effects["private"].after) == (3, 2)  # pet detail, mall audience + ad
    assert (effects["location"].before, effects["location"].after) == (3, 1)
    assert effects["partners"].fewer == 0


def test_the_strongest_switches_leave_out_age_and_what_changes_nothing(s):
    choices = {"wall": {"comment": "rex"}, "mall": {"checkin": "on"}, "shop": {"visit": "on"}}
    strongest = engine.strongest_switches(s, choices)
    # The visit brings 3 audiences, 3 ads and a card; ties keep the settings' order.
    assert [effect.key for effect in strongest] == ["off_platform", "partners", "location"]
    assert [effect.fewer for effect in strongest] == [7, 2, 2]
    assert engine.strongest_switches(s, {}) == []
