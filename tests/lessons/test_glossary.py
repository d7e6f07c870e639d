"""The glossary: loaded from glossary.toml beside the modules, linked from the lessons' first uses, shown
at /<lang>/glossary/ (fixture: tests/content/lessons/glossary.toml)."""

import shutil

import pytest
from django.utils import translation

from apps.core.content import ContentError
from apps.lessons.content import lessons_content_sync
from apps.lessons.models import Lesson, Term
from apps.lessons.selectors import glossary_terms
from tests.helpers import FIXTURE_CONTENT_DIRS, assert_csp_clean, toml_edit

pytestmark = pytest.mark.django_db

LESSONS = FIXTURE_CONTENT_DIRS["lessons_dir"]


@pytest.fixture
def tree(tmp_path):
    shutil.copytree(LESSONS, tmp_path / "lessons")
    return tmp_path / "lessons"


def refused(tree, edit, message: str) -> None:
    toml_edit(tree / "glossary.toml", edit)
    before = list(Term.objects.values_list("key", "term_en"))
    with pytest.raises(ContentError, match=message):
        lessons_content_sync(source_dir=tree)
    assert list(Term.objects.values_list("key", "term_en")) == before


def test_terms_are_stored_in_file_order_with_both_languages():
    assert list(Term.objects.values_list("key", "position", "term_en", "term_ar")) == [
        ("fixture-lesson", 1, "fixture lesson", "درس الاختبار"),
        ("second-look", 2, "second look", "نظرة ثانية"),
        ("unused", 3, "checklist", "قائمة تحقق"),
    ]
    assert (
        Term.objects.get(key="second-look").definition_ar
        == "قراءة الشيء مرة أخرى مع التفكير في \u20663-D Secure\u2069."
    )


def test_each_term_knows_the_lessons_that_use_it():
    lessons = {term.key: sorted(lesson.slug for lesson in term.lessons.all()) for term in Term.objects.all()}
    assert lessons == {
        "fixture-lesson": sorted(Lesson.objects.values_list("slug", flat=True)),
        "second-look": ["second-look"],
        "unused": [],
    }


def test_the_first_use_in_a_lesson_links_to_the_entry_in_each_language():
    lesson = Lesson.objects.get(slug="second-look")
    assert '<a class="term" href="/en/glossary/#fixture-lesson">fixture lesson</a>' in lesson.body_html_en
    assert '<a class="term" href="/en/glossary/#second-look">second-look</a>' in lesson.body_html_en
    assert '<a class="term" href="/ar/glossary/#fixture-lesson">درس للاختبار</a>' in lesson.body_html_ar
    assert "/en/glossary/" not in lesson.body_html_ar


def test_a_tree_without_a_glossary_loads_and_reports_the_old_terms_stale(tree):
    (tree / "glossary.toml").unlink()
    report = lessons_content_sync(source_dir=tree)
    assert report.stale == ["glossary/fixture-lesson", "glossary/second-look", "glossary/unused"]
    assert 'class="term"' not in Lesson.objects.get(slug="second-look").body_html_en
    lessons_content_sync(source_dir=tree, prune=True)
    assert not Term.objects.exists()


def test_a_second_load_changes_nothing(tree):
    report = lessons_content_sync(source_dir=tree)
    assert (report.created, report.updated) == (0, 0)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda data: data.update(terms=[]), "needs \\[\\[terms\\]\\] entries"),
        (
            lambda data: data["terms"][1].update(id="fixture-lesson"),
            "term fixture-lesson: needs a unique 'id'",
        ),
        (lambda data: data["terms"][0].update(id="Not A Slug"), "term Not A Slug: needs a unique 'id'"),
        (lambda data: data["terms"][0].pop("id"), "term 1: needs a unique 'id'"),
        (lambda data: data["terms"][0]["definition"].pop("ar"), "'definition.ar' is missing or empty"),
        (lambda data: data["terms"][0]["term"].update(en=" "), "'term.en' is missing or empty"),
        (
            lambda data: data["terms"][0]["forms"].update(ar="درس"),
            "'forms.ar' must be a list of non-empty texts",
        ),
        (lambda data: data["terms"][0]["forms"].update(en=["ok", ""]), "'forms.en' must be a list"),
    ],
)
def test_a_broken_glossary_is_refused_and_nothing_changes(tree, edit, message):
    refused(tree, edit, message)


def test_the_glossary_page_lists_every_term_alphabetically_with_the_other_language_and_lessons(client):
    body = client.get("/en/glossary/").content.decode()
    assert_csp_clean(body)
    assert [body.index(f'id="{key}"') for key in ("unused", "fixture-lesson", "second-look")] == sorted(
        body.index(f'id="{key}"') for key in ("unused", "fixture-lesson", "second-look")
    )
    entry = body.split('id="second-look"')[1].split("</div>")[0]
    assert (
        '<dfn>second look</dfn> <span class="glossary-other" lang="ar" dir="rtl">نظرة ثانية</span>' in entry
    )
    assert '<a href="/en/modules/alpha/second-look/">Alpha lesson 2: second-look</a>' in entry
    assert "In the lessons:" not in body.split('id="unused"')[1].split("</div>")[0]


def test_the_glossary_page_in_arabic(client):
    body = client.get("/ar/glossary/").content.decode()
    entry = body.split('id="fixture-lesson"')[1].split("</div>")[0]
    assert (
        '<dfn>درس الاختبار</dfn> <span class="glossary-other" lang="en" dir="ltr">fixture lesson</span>'
        in entry
    )
    assert "درس مكتوب للاختبارات فقط." in entry


def test_arabic_order_follows_the_arabic_terms():
    with translation.override("ar"):
        assert [term.key for term in glossary_terms()] == ["fixture-lesson", "unused", "second-look"]
    with translation.override("en"):
        assert [term.key for term in glossary_terms()] == ["unused", "fixture-lesson", "second-look"]


def test_the_glossary_takes_two_queries_at_any_size(client, django_assert_num_queries):
    with django_assert_num_queries(2):
        glossary_terms()
    for index in range(20):
        term = Term.objects.create(
            key=f"extra-{index}", position=10 + index, term_en=f"extra {index}", term_ar="إضافي",
            definition_en="d", definition_ar="د",
        )  # fmt: skip
        term.lessons.set(Lesson.objects.all())
    with django_assert_num_queries(2):
        assert len(glossary_terms()) == 23


def test_the_glossary_is_linked_from_every_page_footer(client):
    assert 'href="/en/glossary/"' in client.get("/en/").content.decode()
    assert 'href="/ar/glossary/"' in client.get("/ar/privacy/").content.decode()


def test_glossary_entries_are_found_by_search(client):
    body = client.get("/en/search/?q=tests").content.decode()
    assert 'href="/en/glossary/#fixture-lesson"' in body
    body = client.get("/ar/search/?q=للاختبارات").content.decode()
    assert 'href="/ar/glossary/#fixture-lesson"' in body


def test_a_name_that_is_the_same_in_both_languages_is_shown_once(client):
    Term.objects.filter(key="unused").update(term_en="3-D Secure", term_ar="\u20663-D Secure\u2069")
    entry = client.get("/en/glossary/").content.decode().split('id="unused"')[1].split("</div>")[0]
    assert "<dfn>3-D Secure</dfn></dt>" in entry and "glossary-other" not in entry
