"""The real lesson content: both languages complete, in step, and within the reading rules."""

import re

import pytest

from apps.core.sanitize import sanitize_html
from apps.lessons.content import CONTENT_DIR
from apps.lessons.models import Lesson, Module, Term

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_content")]

CLOSING = {"en": "What you can do", "ar": "ما الذي يمكنك فعله"}


def test_six_modules_with_three_to_five_lessons_each():
    modules = Module.objects.order_by("position")
    assert [m.slug for m in modules] == [
        "profiling",
        "targeted-ads",
        "listening",
        "fraud-checks",
        "credit-cards",
        "protecting-yourself",
    ]
    for module in modules:
        assert 3 <= module.lessons.count() <= 5, module.slug


def test_both_languages_exist_side_by_side_for_every_lesson():
    for folder in CONTENT_DIR.iterdir():
        if folder.is_dir():
            for lesson_folder in [folder, *[p for p in folder.iterdir() if p.is_dir()]]:
                assert (lesson_folder / "en.md").is_file() and (lesson_folder / "ar.md").is_file()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_lesson_ends_with_what_you_can_do(language):
    for lesson in Lesson.objects.all():
        html = getattr(lesson, f"body_html_{language}")
        headings = re.findall(r"<h2>(.*?)</h2>", html)
        assert headings and headings[-1].strip() == CLOSING[language], (lesson, headings[-1:])
        tail = html.split(f"<h2>{headings[-1]}</h2>", 1)[1].strip()
        assert tail.startswith("<ul>") and tail.endswith("</ul>"), lesson
        assert tail.count("<li>") >= 3, lesson


@pytest.mark.parametrize("language", ["en", "ar"])
def test_no_empty_sections(language):
    for lesson in Lesson.objects.all():
        html = getattr(lesson, f"body_html_{language}")
        assert not re.search(r"</h[23]>\s*(<h[23]>|$)", html), lesson


@pytest.mark.parametrize("language", ["en", "ar"])
def test_reading_time_is_three_to_six_minutes(language):
    for lesson in Lesson.objects.all():
        assert 3 <= getattr(lesson, f"minutes_{language}") <= 6, lesson


def test_headings_match_across_languages():
    for lesson in Lesson.objects.all():
        assert lesson.body_html_en.count("<h2>") == lesson.body_html_ar.count("<h2>"), lesson


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_module_has_a_labelled_diagram(language):
    for module in Module.objects.all():
        html = "".join(getattr(lesson, f"body_html_{language}") for lesson in module.lessons.all())
        svgs = re.findall(r"<svg[^>]*>.*?</svg>", html, re.DOTALL)
        assert svgs, module.slug
        for svg in svgs:
            assert 'viewBox="' in svg, "viewBox must keep its case"
            assert 'role="img"' in svg and 'aria-label="' in svg
            assert "<text" in svg
        assert "<figcaption>" in html
        if language == "ar":
            labels = " ".join(re.findall(r"<text[^>]*>(.*?)</text>", " ".join(svgs), re.DOTALL))
            assert re.search(r"[\u0600-\u06FF]", labels), "Arabic diagram labels"


def test_stored_html_is_already_sanitised():
    for lesson in Lesson.objects.all():
        for html in (lesson.body_html_en, lesson.body_html_ar):
            assert sanitize_html(html) == html
            assert "<script" not in html and " style=" not in html


def test_titles_and_summaries_are_filled_in_both_languages():
    for obj in [*Module.objects.all(), *Lesson.objects.all()]:
        for field in ("title_en", "title_ar", "summary_en", "summary_ar"):
            assert getattr(obj, field).strip(), (obj, field)
        assert re.search(r"[\u0600-\u06FF]", obj.title_ar)


def test_every_glossary_link_in_a_lesson_resolves_to_an_entry():
    keys = set(Term.objects.values_list("key", flat=True))
    linked = set()
    for lesson in Lesson.objects.all():
        for language in ("en", "ar"):
            for target in re.findall(
                r'<a class="term" href="([^"]+)"', getattr(lesson, f"body_html_{language}")
            ):
                path, key = target.split("#")
                assert path == f"/{language}/glossary/" and key in keys, (lesson, target)
                linked.add(key)
    assert len(linked) >= 40  # most terms are met in a lesson
