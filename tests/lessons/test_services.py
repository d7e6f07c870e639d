import shutil

import pytest

from apps.lessons import services
from apps.lessons.models import Lesson, LessonRead, Module
from apps.lessons.services import lessons_content_sync
from tests.conftest import run_concurrently
from tests.factories import StudentFactory


@pytest.fixture
def small_tree(tmp_path):
    module = tmp_path / "01-basics"
    (module / "01-first").mkdir(parents=True)
    for lang, title in [("en", "Basics"), ("ar", "الأساسيات")]:
        (module / f"{lang}.md").write_text(
            f'+++\ntitle = "{title}"\nsummary = "s"\n+++\nOverview <script>x</script>\n'
        )
        (module / "01-first" / f"{lang}.md").write_text(
            f'+++\ntitle = "{title} 1"\nsummary = "s"\n+++\n## A\n\n' + "word " * 800
        )
    return tmp_path


@pytest.mark.django_db
def test_sync_is_idempotent_and_keeps_progress(small_tree):
    lessons_content_sync(source_dir=small_tree)
    lesson = Lesson.objects.get(module__slug="basics", slug="first")
    student = StudentFactory()
    services.lesson_mark_read(user=student, lesson=lesson)
    (small_tree / "01-basics" / "01-first" / "en.md").write_text(
        '+++\ntitle = "Renamed"\nsummary = "s"\n+++\n## A\n\n' + "word " * 880
    )
    report = lessons_content_sync(source_dir=small_tree)
    assert report.created == 0
    lesson.refresh_from_db()
    assert lesson.title_en == "Renamed"
    assert lesson.minutes_en == 4  # 881 words at 200 a minute
    assert lesson.minutes_ar == 5  # 801 words at 170 a minute
    assert Module.objects.filter(slug="basics").count() == 1
    assert LessonRead.objects.filter(user=student, lesson=lesson).exists()
    assert "<script>" not in Module.objects.get(slug="basics").overview_html_en


@pytest.mark.django_db
def test_sync_reports_stale_lessons_and_prunes_only_when_asked(small_tree):
    lessons_content_sync(source_dir=small_tree)
    shutil.copytree(small_tree / "01-basics" / "01-first", small_tree / "01-basics" / "02-second")
    lessons_content_sync(source_dir=small_tree)
    shutil.rmtree(small_tree / "01-basics" / "02-second")
    report = lessons_content_sync(source_dir=small_tree)
    assert "basics/second" in report.stale
    assert Lesson.objects.filter(slug="second").exists()
    lessons_content_sync(source_dir=small_tree, prune=True)
    assert not Lesson.objects.filter(slug="second").exists()


@pytest.mark.django_db
def test_sync_refuses_a_lesson_missing_a_language(small_tree):
    from apps.core.content import ContentError

    (small_tree / "01-basics" / "01-first" / "ar.md").unlink()
    with pytest.raises(ContentError, match="01-first/ar.md: missing file"):
        lessons_content_sync(source_dir=small_tree)


@pytest.mark.django_db
def test_sync_refuses_bad_front_matter(small_tree):
    from apps.core.content import ContentError

    (small_tree / "01-basics" / "01-first" / "en.md").write_text("no front matter")
    with pytest.raises(ContentError, match="front matter"):
        lessons_content_sync(source_dir=small_tree)


@pytest.mark.django_db
def test_marking_read_twice_keeps_one_row(student):
    lesson = Lesson.objects.first()
    services.lesson_mark_read(user=student, lesson=lesson)
    services.lesson_mark_read(user=student, lesson=lesson)
    assert LessonRead.objects.filter(user=student, lesson=lesson).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_read_marks_store_one_row(content):
    from django.test import Client

    student = StudentFactory()
    lesson = Lesson.objects.select_related("module").first()
    clients = [Client() for _ in range(6)]
    for client in clients:
        client.force_login(student)
    results = run_concurrently(
        [lambda c=client: c.post(lesson.get_absolute_url()).status_code for client in clients]
    )
    assert results == [302] * 6
    assert LessonRead.objects.filter(user=student, lesson=lesson).count() == 1


@pytest.mark.django_db
def test_session_marks_merge_into_the_account_without_duplicates(student):
    lessons = list(Lesson.objects.all()[:3])
    services.lesson_mark_read(user=student, lesson=lessons[0])
    session = {services.SESSION_KEY: [lessons[0].pk, lessons[1].pk, 999999, "junk"]}
    services.lesson_reads_merge_from_session(session=session, user=student)
    assert set(LessonRead.objects.filter(user=student).values_list("lesson_id", flat=True)) == {
        lessons[0].pk,
        lessons[1].pk,
    }
    assert services.SESSION_KEY not in session
