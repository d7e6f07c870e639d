"""apps/core/text.py: folding text for search, and the readable text of HTML."""

import pytest

from apps.core.text import fold, fold_with_origins, html_to_text, query_words


@pytest.mark.parametrize(
    ("written", "typed"),
    [
        ("إعلانات مُخصّصة", "اعلانات مخصصه"),  # hamza below, shadda and damma, taa marbuta
        ("أمان", "امان"),  # hamza above
        ("آمن", "امن"),  # madda
        ("ٱلرَّحْمَـٰنِ", "الرحمن"),  # alef wasla, tatweel, superscript alef, kasra
        ("مكتبة", "مكتبه"),
        ("على", "علي"),
        ("الخصوصيــة", "الخصوصيه"),  # tatweel
        ("١٢٣ ۴", "123 4"),  # Arabic-Indic and extended digits
        ("Privacy SETTINGS", "privacy settings"),
        ("Café", "cafe"),
        ("Straße", "strasse"),
        ("ad\u00adpartners", "adpartners"),  # soft hyphen
        ("عر\u200cبي", "عربي"),  # zero-width non-joiner
        ("ﻷ", "لا"),  # presentation form
    ],
)
def test_fold_gives_one_spelling_for_the_variants_a_reader_types(written, typed):
    assert fold(written) == fold(typed) == typed


def test_fold_keeps_letters_that_are_not_variants_of_each_other():
    # Hamza on waw and yaa, and the lone hamza, are their own letters; so are haa and taa.
    assert fold("مسؤول") == "مسؤول"
    assert fold("بيئة") == "بيئه"
    assert fold("سماء") == "سماء"
    assert fold("ت") != fold("ه")


def test_fold_with_origins_points_each_folded_character_at_its_source():
    text = "إعلانات مُخصّصة"
    folded, origins = fold_with_origins(text)
    assert folded == fold(text)
    assert len(origins) == len(folded)
    assert [text[i] for i in origins[8:]] == ["م", "خ", "ص", "ص", "ة"]
    folded, origins = fold_with_origins("Straße")
    assert folded == "strasse" and origins == [0, 1, 2, 3, 4, 4, 5]


def test_query_words_are_folded_distinct_and_split_at_punctuation():
    assert query_words("  Privacy, privacy-settings  ") == ["privacy", "settings"]
    assert query_words("<script>alert(1)</script>") == ["script", "alert", "1"]
    assert query_words("إعلانات،   مُخصّصة") == ["اعلانات", "مخصصه"]
    assert query_words(" ... ") == []


def test_html_to_text_keeps_prose_and_drops_markup_and_diagram_labels():
    html = (
        "<h2>Part&nbsp;one</h2><p>Ads &amp; <strong>data</strong>.</p>"
        '<figure><svg viewBox="0 0 10 10"><text>Label</text><g><text>Other</text></g></svg>'
        '<figcaption>Caption</figcaption></figure><p>End<br>line, see the <a href="/x">policy</a>.</p>'
    )
    assert html_to_text(html) == "Part one Ads & data. Caption End line, see the policy."
