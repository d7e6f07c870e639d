"""Latin runs inside Arabic text are isolated at load time, so they display in their own order."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.core.bidi import LRI, PDI, isolate_latin_runs, isolate_latin_runs_in_html
from apps.core.content import bilingual_texts
from tests.bidi_check import page_tokens_at_risk, tokens_at_risk


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("تستخدم 3-D Secure للدفع.", f"تستخدم {LRI}3-D Secure{PDI} للدفع."),
        ("أكثر من 200+ شريك", f"أكثر من {LRI}200+{PDI} شريك"),
        ("راسل @datatrail الآن", f"راسل {LRI}@datatrail{PDI} الآن"),
        ("موقع optoutprescreen.com.", f"موقع {LRI}optoutprescreen.com{PDI}."),
        ("اتصل بالرقم 1-888-5-OPT-OUT،", f"اتصل بالرقم {LRI}1-888-5-OPT-OUT{PDI}،"),
        ("هيئة (SDAIA) اليوم", f"هيئة {LRI}(SDAIA){PDI} اليوم"),
        ("هيئة SDAIA) اليوم", "هيئة SDAIA) اليوم"),
    ],
)
def test_mixed_latin_runs_are_isolated(text, expected):
    assert isolate_latin_runs(text) == expected


@pytest.mark.parametrize(
    "text", ["مركز حسابات Meta", "في عام 2018، قبل", "Google Play", "", "نص عربي فقط", "٣-٤"]
)
def test_plain_words_and_numbers_are_left_alone(text):
    assert isolate_latin_runs(text) == text


def test_html_text_is_isolated_but_tags_and_attributes_are_not():
    markup = '<p title="3-D">انظر <a href="https://x.com/a-b">3-D Secure</a> &amp; 200+ &lt;b&gt;</p>'
    link = f'<a href="https://x.com/a-b">{LRI}3-D Secure{PDI}</a>'
    assert (
        isolate_latin_runs_in_html(markup) == f'<p title="3-D">انظر {link} &amp; {LRI}200+{PDI} &lt;b&gt;</p>'
    )


def test_only_arabic_texts_are_isolated_when_content_is_read():
    texts = bilingual_texts("here", {"title": {"en": "3-D Secure", "ar": "رمز 3-D Secure"}}, "title")
    assert texts == {"title_en": "3-D Secure", "title_ar": f"رمز {LRI}3-D Secure{PDI}"}


@given(st.text(alphabet="ابت 3-D+@.,()x%/:ـ\u2066\u2069", max_size=40))
def test_isolation_is_idempotent_and_leaves_nothing_at_risk(text):
    once = isolate_latin_runs(text)
    assert isolate_latin_runs(once) == once
    assert once.replace(LRI, "").replace(PDI, "") == text.replace(LRI, "").replace(PDI, "")
    if LRI not in text and PDI not in text:
        assert page_tokens_at_risk(once) == []


@pytest.mark.parametrize("token", ["3-D", "200+", "+200", "@name", "5-OPT", "#tag"])
def test_the_independent_check_finds_tokens_that_would_display_out_of_order(token):
    assert tokens_at_risk(f"نص {token} نص") == [token]


@pytest.mark.parametrize(
    "token", ["1,000", "2026-12-01", "x.com", "10%", "Meta", "2018", "151/2020", "(PDPL)"]
)
def test_the_independent_check_accepts_tokens_that_display_in_order(token):
    assert tokens_at_risk(f"نص {token}، نص") == []


def test_the_page_check_skips_isolated_text_and_attributes():
    page = (
        '<p title="3-D">a <bdi>200+</bdi> <span dir="ltr">@x</span> <span lang="en">5-O</span>'
        f" {LRI}3-D{PDI}</p><svg><text>3-D</text></svg>"
    )
    assert page_tokens_at_risk(page) == []
    assert page_tokens_at_risk("<p>نص 3-D</p>") == ["3-D"]
