"""Lesson selectors: progress per reader, where to continue, what classrooms and the export read."""

import datetime

import pytest
from django.http import Http404
from django.utils import translation

from apps.accounts.models import Reader
from apps.lessons import selectors
from apps.lessons.models import Lesson, LessonRead, Module
from tests.factories import LessonFactory, ModuleFactory, StudentFactory
from tests.helpers import reader_of

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 6, 1, 8, 0, tzinfo=datetime.UTC)


def _lesson(slug: str) -> Lesson:
    return Lesson.objects.select_related("module").get(slug=slug)


def _read(reader: Reader, slug: str, minutes_after: int = 0) -> LessonRead:
    read = LessonRead.objects.create(reader=reader, lesson=_lesson(slug))
    LessonRead.objects.filter(pk=read.pk).update(read_at=T0 + datetime.timedelta(minutes=minutes_after))
    return read


def _everyone_reads_everything() -> None:
    lessons = list(Lesson.objects.all())
    for reader in [*(reader_of(StudentFactory()) for _ in range(3)), Reader.objects.create()]:
        LessonRead.objects.bulk_create([LessonRead(reader=reader, lesson=lesson) for lesson in lessons])


# module_list_with_progress


def _rows(reader) -> list[tuple]:
    modules = selectors.module_list_with_progress(reader=reader)
    return [(m.slug, m.lesson_count, m.total_minutes, m.read_count) for m in modules]


def test_modules_have_lesson_counts_minutes_and_no_progress_without_a_reader():
    _everyone_reads_everything()
    assert _rows(None) == [("alpha", 3, 6, 0), ("beta", 2, 3, 0)]


def test_a_readers_minutes_are_not_multiplied_by_anyones_reads(student):
    _everyone_reads_everything()
    reader = reader_of(student)
    assert _rows(reader) == [("alpha", 3, 6, 0), ("beta", 2, 3, 0)]
    _read(reader, "first-steps")
    _read(reader, "third-way")
    assert _rows(reader) == [("alpha", 3, 6, 2), ("beta", 2, 3, 0)]


def test_minutes_are_those_of_the_current_language(student):
    Lesson.objects.filter(slug="first-steps").update(minutes_ar=5)
    with translation.override("ar"):
        assert _rows(reader_of(student))[0] == ("alpha", 3, 10, 0)
    assert _rows(reader_of(student))[0] == ("alpha", 3, 6, 0)


def test_modules_come_in_position_order_and_a_module_without_lessons_counts_zero():
    Module.objects.filter(slug="alpha").update(position=9)
    ModuleFactory(slug="empty", position=5)
    assert [row[0] for row in _rows(None)] == ["beta", "empty", "alpha"]
    assert _rows(None)[1] == ("empty", 0, None, 0)


def test_the_module_list_is_one_query(student, django_assert_num_queries):
    reader = reader_of(student)
    _read(reader, "habits")
    with django_assert_num_queries(1):
        assert len(list(selectors.module_list_with_progress(reader=reader))) == 2


# module_lessons_for_reader and the lookups


def test_module_lessons_are_in_order_with_this_readers_marks(student, other_student):
    alpha = Module.objects.get(slug="alpha")
    _read(reader_of(other_student), "first-steps")
    _read(reader_of(student), "second-look")
    lessons = selectors.module_lessons_for_reader(reader=reader_of(student), module=alpha)
    assert [(lesson.slug, lesson.is_read) for lesson in lessons] == [
        ("first-steps", False),
        ("second-look", True),
        ("third-way", False),
    ]
    anonymous = selectors.module_lessons_for_reader(reader=None, module=alpha)
    assert [lesson.is_read for lesson in anonymous] == [False, False, False]


def test_module_lessons_leave_the_bodies_unread(django_assert_num_queries):
    lessons = selectors.module_lessons_for_reader(reader=None, module=Module.objects.get(slug="beta"))
    assert lessons[0].get_deferred_fields() >= {"body_html_en", "body_html_ar", "body_md_en", "body_md_ar"}
    with django_assert_num_queries(0):
        assert lessons[0].module.slug == "beta" and lessons[0].title_en


def test_module_get_and_lesson_get_find_by_slug_or_raise_404():
    assert selectors.module_get(slug="beta").slug == "beta"
    assert selectors.lesson_get(module_slug="beta", lesson_slug="habits").slug == "habits"
    with pytest.raises(Http404):
        selectors.module_get(slug="nope")
    with pytest.raises(Http404):
        selectors.lesson_get(module_slug="alpha", lesson_slug="habits")  # a lesson of another module


# lesson_continue_for_reader


def _continue(reader) -> str | None:
    lesson = selectors.lesson_continue_for_reader(reader=reader)
    return None if lesson is None else f"{lesson.module.slug}/{lesson.slug}"


def test_nothing_to_continue_without_reads(student):
    _everyone_reads_everything()
    assert _continue(None) is None
    assert _continue(reader_of(student)) is None


@pytest.mark.parametrize(
    "reads,expected",
    [
        ([("first-steps", 0)], "alpha/second-look"),
        ([("second-look", 0)], "alpha/third-way"),
        ([("third-way", 0)], "beta/settings"),  # the next module's first lesson
        ([("first-steps", 0), ("second-look", 5)], "alpha/third-way"),
        # The latest read counts, not the furthest one.
        ([("habits", 0), ("first-steps", 5)], "alpha/second-look"),
        ([("first-steps", 5), ("habits", 0)], "alpha/second-look"),
        # After the latest read, skip what is already read.
        ([("third-way", 0), ("first-steps", 5)], "alpha/second-look"),
        ([("second-look", 0), ("settings", 1), ("first-steps", 5)], "alpha/third-way"),
        ([("settings", 0), ("first-steps", 5), ("second-look", 6), ("third-way", 7)], "beta/habits"),
        # Nothing unread after the latest read: wrap to the first unread lesson.
        ([("habits", 0)], "alpha/first-steps"),
        ([("first-steps", 0), ("habits", 5)], "alpha/second-look"),
        ([("first-steps", 0), ("second-look", 1), ("settings", 2), ("habits", 3)], "alpha/third-way"),
    ],
)
def test_continue_with_the_next_unread_lesson_after_the_latest_read(student, reads, expected):
    _everyone_reads_everything()
    reader = reader_of(student)
    for slug, minutes_after in reads:
        _read(reader, slug, minutes_after)
    assert _continue(reader) == expected


def test_reads_at_the_same_moment_are_ordered_by_when_they_were_stored(student):
    reader = reader_of(student)
    _read(reader, "second-look", 0)
    _read(reader, "first-steps", 0)
    assert _continue(reader) == "alpha/third-way"


def test_nothing_to_continue_when_everything_is_read(student):
    reader = reader_of(student)
    for minutes, lesson in enumerate(Lesson.objects.all()):
        _read(reader, lesson.slug, minutes)
    assert _continue(reader) is None


# What other apps read


def test_lessons_by_module_groups_lessons_in_order():
    alpha, beta = Module.objects.order_by("position")
    empty = ModuleFactory()
    grouped = selectors.lessons_by_module(module_ids=[beta.pk, alpha.pk, empty.pk])
    assert {module_id: [lesson.slug for lesson in lessons] for module_id, lessons in grouped.items()} == {
        alpha.pk: ["first-steps", "second-look", "third-way"],
        beta.pk: ["settings", "habits"],
        empty.pk: [],
    }


def test_read_lesson_ids_by_user_only_counts_these_accounts_and_modules(student, other_student):
    alpha = Module.objects.get(slug="alpha")
    _read(reader_of(student), "first-steps")
    _read(reader_of(student), "habits")
    _read(Reader.objects.create(), "second-look")
    _read(reader_of(StudentFactory()), "third-way")
    read = selectors.read_lesson_ids_by_user(user_ids=[student.pk, other_student.pk], module_ids=[alpha.pk])
    assert read == {student.pk: {_lesson("first-steps").pk}, other_student.pk: set()}


def test_lesson_reads_export_lists_this_readers_reads_oldest_first(student):
    reader = reader_of(student)
    _read(reader, "habits", 5)
    _read(reader, "first-steps", 0)
    _read(Reader.objects.create(), "second-look", 1)
    later = (T0 + datetime.timedelta(minutes=5)).isoformat()
    assert selectors.lesson_reads_export(reader=reader) == {
        "lessons_read": [
            {"module": "alpha", "lesson": "first-steps", "read_at": T0.isoformat()},
            {"module": "beta", "lesson": "habits", "read_at": later},
        ]
    }
    assert selectors.lesson_reads_export(reader=None) == {"lessons_read": []}


def test_extra_lessons_change_counts_not_the_number_of_queries(django_assert_num_queries, student):
    module = ModuleFactory()
    LessonFactory.create_batch(4, module=module, minutes_en=2)
    reader = reader_of(student)
    with django_assert_num_queries(1):
        rows = {
            m.slug: (m.lesson_count, m.total_minutes)
            for m in selectors.module_list_with_progress(reader=reader)
        }
    assert rows[module.slug] == (4, 8)
