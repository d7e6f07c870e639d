"""The lesson body rules that docs/content-format.md promises are checked at load time."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from apps.core.content import ContentError
from apps.core.sanitize import markdown_to_html
from apps.lessons.content import body_check, sources_check

WHERE = Path("en.md")


@pytest.mark.parametrize(
    "body",
    [
        "# A second page title\n\nText.",
        "Intro.\n\n# Heading one\n",
        "See [the page](http://example.org/help).",
        'A <a href="http://example.org">raw link</a>.',
        "See [this](ftp://example.org/file).",
    ],
)
def test_a_top_level_heading_or_a_non_https_link_is_refused(body):
    with pytest.raises(ContentError):
        body_check(path=WHERE, body=body)


@pytest.mark.parametrize(
    "body",
    [
        "## Part\n\nText with a [link](https://example.org/help) and [mail](mailto:help@example.org).",
        "### Smaller heading\n\nA [jump](#part) within the page.",
        'A <a href="https://example.org">raw link</a>.',
    ],
)
def test_headings_from_two_hashes_and_https_links_pass(body):
    body_check(path=WHERE, body=body)


def test_the_sanitiser_drops_plain_http_links_from_admin_text():
    html = markdown_to_html("[plain](http://example.org/) and [safe](https://example.org/)")
    assert 'href="http://' not in html
    assert 'href="https://example.org/"' in html


def _sources(*entries) -> dict:
    return {"sources": list(entries)}


GOOD = {
    "claim": "Meta limits ad targeting of teens",
    "url": "https://about.fb.com/news/",
    "checked_on": date(2026, 12, 1),
}


@pytest.mark.parametrize(
    "meta",
    [
        {"sources": "https://example.org"},
        _sources({**GOOD, "claim": " "}),
        _sources({**GOOD, "url": "http://about.fb.com/news/"}),
        _sources({**GOOD, "checked_on": "2026-12-01"}),
        _sources({**GOOD, "checked_on": datetime(2026, 12, 1, 9, 0, tzinfo=UTC)}),
        _sources("https://about.fb.com/news/"),
    ],
)
def test_a_source_without_claim_https_address_or_date_is_refused(meta):
    with pytest.raises(ContentError):
        sources_check(path=WHERE, meta=meta, required=False)


@pytest.mark.parametrize("meta", [{}, _sources()])
def test_a_lesson_without_sources_is_refused(meta):
    with pytest.raises(ContentError, match="a lesson needs \\[\\[sources\\]\\]"):
        sources_check(path=WHERE, meta=meta, required=True)


@pytest.mark.parametrize("meta", [{}, _sources(), _sources(GOOD, GOOD)])
def test_well_formed_sources_or_none_pass_where_none_are_required(meta):
    assert len(sources_check(path=WHERE, meta=meta, required=False)) == len(meta.get("sources", []))


def test_sources_are_returned_as_stored_with_the_date_as_text():
    stored = sources_check(path=WHERE, meta=_sources({**GOOD, "claim": " Meta limits "}), required=True)
    assert stored == [
        {"claim": "Meta limits", "url": "https://about.fb.com/news/", "checked_on": "2026-12-01"}
    ]


def test_arabic_claims_are_stored_with_latin_runs_isolated():
    arabic = {**GOOD, "claim": "تستخدم المصارف 3-D Secure"}
    stored = sources_check(path=WHERE.with_name("ar.md"), meta=_sources(arabic), required=True)
    assert stored[0]["claim"] == "تستخدم المصارف \u20663-D Secure\u2069"
    english = sources_check(path=WHERE, meta=_sources({**GOOD, "claim": "3-D Secure"}), required=True)
    assert english[0]["claim"] == "3-D Secure"


@pytest.mark.django_db
def test_the_loader_stores_each_body_as_plain_text_for_search():
    from apps.lessons.models import Lesson

    lesson = Lesson.objects.get(module__slug="alpha", slug="first-steps")
    assert lesson.body_text_en.split()[:5] == ["Part", "one", "A", "fixture", "lesson"]
    assert "الجزء الأول" in lesson.body_text_ar
    assert "<" not in lesson.body_text_en + lesson.body_text_ar
