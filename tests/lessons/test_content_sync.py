"""apps/lessons/content.py on a small tree in a temporary folder: validate, render once, store."""

import shutil

import pytest

from apps.core.content import ContentError
from apps.lessons.content import lesson_render, lessons_content_sync, module_render
from apps.lessons.models import Lesson, LessonRead, Module, Term
from apps.lessons.services import lesson_mark_read
from tests.factories import LessonFactory, ModuleFactory
from tests.helpers import reader_of

pytestmark = pytest.mark.django_db


def _write(path, title: str, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    source = '[[sources]]\nclaim = "c"\nurl = "https://example.org/s"\nchecked_on = 2026-12-01\n'
    path.write_text(f'+++\ntitle = "{title}"\nsummary = "s"\n{source}+++\n{body}', encoding="utf-8")


@pytest.fixture
def small_tree(tmp_path, db):
    """Two lessons of one module, synced into tables emptied of the fixture content."""
    Module.objects.all().delete()
    Term.objects.all().delete()
    module = tmp_path / "01-basics"
    for lang, title in [("en", "Basics"), ("ar", "الأساسيات")]:
        _write(module / f"{lang}.md", title, "Overview <script>x</script>\n")
        _write(module / "01-first" / f"{lang}.md", f"{title} 1", "## A\n\n" + "word " * 800)
        _write(module / "02-second" / f"{lang}.md", f"{title} 2", "## B\n\nShort.\n")
    return tmp_path


def test_first_sync_creates_modules_and_lessons_in_order_with_rendered_html(small_tree):
    report = lessons_content_sync(source_dir=small_tree)
    assert (report.created, report.updated, report.unchanged, report.stale) == (3, 0, 0, [])
    module = Module.objects.get(slug="basics")
    assert (module.position, module.title_en, module.title_ar) == (1, "Basics", "الأساسيات")
    assert "<script>" not in module.overview_html_en and "Overview" in module.overview_html_en
    assert list(module.lessons.order_by("position").values_list("slug", "position")) == [
        ("first", 1),
        ("second", 2),
    ]
    first = Lesson.objects.get(module=module, slug="first")
    assert first.title_ar == "الأساسيات 1"
    assert first.body_html_en.startswith("<h2>A</h2>")
    assert (first.minutes_en, first.minutes_ar) == (4, 5)  # 801 words at 200 and 170 a minute
    assert Lesson.objects.get(module=module, slug="second").minutes_en == 1


def test_sources_are_stored_per_language(small_tree):
    lessons_content_sync(source_dir=small_tree)
    first = Lesson.objects.get(module__slug="basics", slug="first")
    expected = [{"claim": "c", "url": "https://example.org/s", "checked_on": "2026-12-01"}]
    assert first.sources_en == expected and first.sources_ar == expected


def test_a_lesson_whose_languages_cite_different_addresses_is_refused(small_tree):
    path = small_tree / "01-basics" / "02-second" / "ar.md"
    path.write_text(path.read_text(encoding="utf-8").replace("example.org/s", "example.org/other"), "utf-8")
    with pytest.raises(ContentError, match="02-second: en.md and ar.md must cite the same source addresses"):
        lessons_content_sync(source_dir=small_tree)
    assert not Lesson.objects.exists()


def test_a_module_overview_needs_no_sources(small_tree):
    for lang in ("en", "ar"):
        _write(small_tree / "01-basics" / f"{lang}.md", "Basics", "Overview.\n")
        path = small_tree / "01-basics" / f"{lang}.md"
        path.write_text(
            path.read_text(encoding="utf-8").split("[[sources]]")[0] + "+++\nOverview.\n", "utf-8"
        )
    assert lessons_content_sync(source_dir=small_tree).created == 3


def test_arabic_text_is_stored_with_mixed_latin_runs_isolated(small_tree):
    for name in ("en", "ar"):
        _write(
            small_tree / "01-basics" / "02-second" / f"{name}.md",
            "3-D Secure",
            "## B\n\nاستخدم 3-D Secure في 200+ متجر.\n",
        )
    lessons_content_sync(source_dir=small_tree)
    second = Lesson.objects.get(module__slug="basics", slug="second")
    assert second.title_ar == "\u20663-D Secure\u2069" and second.title_en == "3-D Secure"
    assert "استخدم \u20663-D Secure\u2069 في \u2066200+\u2069 متجر." in second.body_html_ar
    assert "استخدم 3-D Secure في 200+ متجر." in second.body_html_en


def test_second_sync_reports_everything_unchanged(small_tree):
    lessons_content_sync(source_dir=small_tree)
    report = lessons_content_sync(source_dir=small_tree)
    assert (report.created, report.updated, report.unchanged, report.stale) == (0, 0, 3, [])


def test_sync_is_idempotent_and_keeps_progress(small_tree, student):
    lessons_content_sync(source_dir=small_tree)
    lesson = Lesson.objects.get(module__slug="basics", slug="first")
    lesson_mark_read(reader=reader_of(student), lesson=lesson)
    _write(small_tree / "01-basics" / "01-first" / "en.md", "Renamed", "## A\n\n" + "word " * 880)

    report = lessons_content_sync(source_dir=small_tree)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    lesson.refresh_from_db()
    assert lesson.title_en == "Renamed"
    assert lesson.minutes_en == 4  # 881 words at 200 a minute
    assert lesson.minutes_ar == 5  # 801 words at 170 a minute
    assert Module.objects.filter(slug="basics").count() == 1
    assert LessonRead.objects.filter(reader__user=student, lesson=lesson).exists()


def test_a_moved_lesson_changes_position_not_identity(small_tree):
    lessons_content_sync(source_dir=small_tree)
    first = Lesson.objects.get(slug="first")
    (small_tree / "01-basics" / "01-first").rename(small_tree / "01-basics" / "03-first")
    report = lessons_content_sync(source_dir=small_tree)
    assert report.updated == 1
    assert Lesson.objects.get(slug="first").pk == first.pk
    assert Lesson.objects.get(slug="first").position == 3


def test_sync_reports_stale_lessons_and_prunes_only_when_asked(small_tree, student):
    lessons_content_sync(source_dir=small_tree)
    shutil.copytree(small_tree / "01-basics" / "01-first", small_tree / "01-basics" / "03-third")
    lessons_content_sync(source_dir=small_tree)
    lesson_mark_read(reader=reader_of(student), lesson=Lesson.objects.get(slug="third"))
    shutil.rmtree(small_tree / "01-basics" / "03-third")

    report = lessons_content_sync(source_dir=small_tree)
    assert report.stale == ["basics/third"]
    assert Lesson.objects.filter(slug="third").exists()

    report = lessons_content_sync(source_dir=small_tree, prune=True)
    assert report.stale == ["basics/third"]
    assert not Lesson.objects.filter(slug="third").exists()
    assert not LessonRead.objects.filter(lesson__slug="third").exists()
    assert lessons_content_sync(source_dir=small_tree).stale == []


def test_modules_no_longer_in_the_files_are_reported_and_pruned(small_tree):
    shutil.copytree(small_tree / "01-basics", small_tree / "02-more")
    lessons_content_sync(source_dir=small_tree)
    shutil.rmtree(small_tree / "02-more")
    report = lessons_content_sync(source_dir=small_tree)
    assert report.stale[:2] == ["more/first", "more/second"] and len(report.stale) == 3
    assert Module.objects.filter(slug="more").exists()
    lessons_content_sync(source_dir=small_tree, prune=True)
    assert list(Module.objects.values_list("slug", flat=True)) == ["basics"]
    assert Lesson.objects.filter(module__slug="basics").count() == 2


def test_sync_refuses_a_lesson_missing_a_language(small_tree):
    (small_tree / "01-basics" / "01-first" / "ar.md").unlink()
    with pytest.raises(ContentError, match="01-first/ar.md: missing file"):
        lessons_content_sync(source_dir=small_tree)


def test_sync_refuses_bad_front_matter(small_tree):
    (small_tree / "01-basics" / "01-first" / "en.md").write_text("no front matter", encoding="utf-8")
    with pytest.raises(ContentError, match="front matter"):
        lessons_content_sync(source_dir=small_tree)


def test_sync_refuses_a_module_without_lessons(small_tree):
    for lang in ("en", "ar"):
        _write(small_tree / "02-empty" / f"{lang}.md", "Empty", "Nothing.\n")
    with pytest.raises(ContentError, match="02-empty: a module needs at least one lesson folder"):
        lessons_content_sync(source_dir=small_tree)


def test_sync_refuses_a_badly_named_folder_and_stores_nothing(small_tree):
    (small_tree / "01-basics" / "01-first").rename(small_tree / "01-basics" / "First")
    with pytest.raises(ContentError, match="name must look like '01-some-slug'"):
        lessons_content_sync(source_dir=small_tree)
    assert not Module.objects.filter(slug="basics").exists()


def test_lesson_and_module_render_fill_html_and_minutes_in_both_languages():
    lesson = LessonFactory.build(
        module=ModuleFactory(),
        body_md_en="## Hi\n\n<script>x</script>" + " word" * 450,
        body_md_ar="## مرحبا\n\n" + " كلمة" * 340,
    )
    lesson_render(lesson=lesson)
    assert lesson.body_html_en.startswith("<h2>Hi</h2>") and "<script>" not in lesson.body_html_en
    assert lesson.body_html_ar.startswith("<h2>مرحبا</h2>")
    assert (lesson.minutes_en, lesson.minutes_ar) == (2, 2)
    module = ModuleFactory.build(overview_md_en="*One*", overview_md_ar="**اثنان**")
    module_render(module=module)
    assert module.overview_html_en == "<p><em>One</em></p>"
    assert module.overview_html_ar == "<p><strong>اثنان</strong></p>"
