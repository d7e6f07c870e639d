"""apps/lessons/terms.py: the first use of a glossary term in a lesson links to its entry."""

import pytest

from apps.lessons.terms import TermLinker

EN = "/en/glossary/"
AR = "/ar/glossary/"


def en(forms: dict[str, str]) -> TermLinker:
    return TermLinker(forms=forms, language="en", url=EN)


def ar(forms: dict[str, str]) -> TermLinker:
    return TermLinker(forms=forms, language="ar", url=AR)


def test_only_the_first_use_of_each_term_is_linked_and_the_terms_used_are_returned():
    html, used = en({"signals": "signal", "pixel": "pixel"}).link("<p>Signals, signals and more signals.</p>")
    assert html == '<p><a class="term" href="/en/glossary/#signal">Signals</a>, signals and more signals.</p>'
    assert used == {"signal"}


def test_english_forms_match_whole_words_only_in_any_case():
    linker = en({"audience": "audience"})
    assert linker.link("<p>audiences, sub-audience, audience-x</p>") == (
        "<p>audiences, sub-audience, audience-x</p>",
        set(),
    )
    assert linker.link("<p>The AUDIENCE.</p>")[0] == (
        '<p>The <a class="term" href="/en/glossary/#audience">AUDIENCE</a>.</p>'
    )


def test_the_longest_form_wins_where_forms_overlap():
    html, used = en({"audience": "audience", "custom audience": "custom-audience"}).link(
        "<p>A custom audience.</p>"
    )
    assert used == {"custom-audience"}
    assert '<a class="term" href="/en/glossary/#custom-audience">custom audience</a>' in html


@pytest.mark.parametrize(
    "html",
    [
        "<h2>Signals</h2>",
        '<p><a href="https://example.org">signals</a></p>',
        "<figure><svg><text>signals</text></svg><figcaption>signals</figcaption></figure>",
        "<p><code>signals</code></p>",
        "<pre>signals</pre>",
    ],
)
def test_headings_links_code_and_diagrams_are_left_alone(html):
    assert en({"signals": "signal"}).link(html) == (html, set())


def test_text_after_a_skipped_element_is_linked_again():
    html, used = en({"signals": "signal"}).link("<h2>Signals</h2><p>Your signals.</p>")
    assert html == '<h2>Signals</h2><p>Your <a class="term" href="/en/glossary/#signal">signals</a>.</p>'


def test_tags_and_attributes_are_never_changed():
    source = '<p title="signals"><strong>signals</strong></p>'
    html, _used = en({"signals": "signal"}).link(source)
    assert (
        html
        == '<p title="signals"><strong><a class="term" href="/en/glossary/#signal">signals</a></strong></p>'
    )


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        ("عن التنميط اليوم", "التنميط"),
        ("عن والتنميط اليوم", "والتنميط"),
        ("عن بالتنميط اليوم", "بالتنميط"),
        ("عن للتنميط اليوم", "للتنميط"),
        ("عن التَّنميط اليوم", "التَّنميط"),
        ("عن التنميطُ اليوم", "التنميطُ"),
    ],
)
def test_arabic_forms_match_after_attached_letters_and_with_tashkeel(text, linked):
    html, used = ar({"التنميط": "profiling"}).link(f"<p>{text}</p>")
    assert f'<a class="term" href="/ar/glossary/#profiling">{linked}</a>' in html and used == {"profiling"}


@pytest.mark.parametrize("text", ["التنميطات", "سالتنميط", "ببالتنميطي"])
def test_arabic_forms_do_not_match_inside_other_words(text):
    assert ar({"التنميط": "profiling"}).link(f"<p>{text}</p>")[1] == set()


def test_a_form_written_with_shadda_matches_text_without_it():
    html, used = ar({"المخصّص": "custom"}).link("<p>الجمهور المخصص</p>")
    assert used == {"custom"} and '#custom">المخصص</a>' in html


def test_no_forms_link_nothing():
    assert en({}).link("<p>anything</p>") == ("<p>anything</p>", set())
