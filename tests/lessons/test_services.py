"""lesson_mark_read: one mark per reader and lesson, whatever the clicks and races."""

import pytest
from django.test import Client

from apps.accounts.models import Reader
from apps.lessons.models import Lesson, LessonRead
from apps.lessons.services import lesson_mark_read
from tests.factories import StudentFactory
from tests.helpers import logged_in_clients, reader_of, run_concurrently


@pytest.mark.django_db
def test_marking_read_stores_one_row_for_that_reader_and_lesson(student):
    lesson = Lesson.objects.get(slug="second-look")
    reader = reader_of(student)
    read = lesson_mark_read(reader=reader, lesson=lesson)
    assert (read.reader, read.lesson) == (reader, lesson)
    assert list(LessonRead.objects.values_list("reader", "lesson")) == [(reader.pk, lesson.pk)]


@pytest.mark.django_db
def test_marking_read_twice_keeps_one_row_and_its_first_time(student):
    lesson = Lesson.objects.first()
    reader = reader_of(student)
    first = lesson_mark_read(reader=reader, lesson=lesson)
    again = lesson_mark_read(reader=reader, lesson=lesson)
    assert again.pk == first.pk and again.read_at == first.read_at
    assert LessonRead.objects.filter(reader=reader, lesson=lesson).count() == 1


@pytest.mark.django_db
def test_two_readers_of_one_lesson_have_a_mark_each(student):
    lesson = Lesson.objects.first()
    anonymous = Reader.objects.create()
    lesson_mark_read(reader=reader_of(student), lesson=lesson)
    lesson_mark_read(reader=anonymous, lesson=lesson)
    assert LessonRead.objects.filter(lesson=lesson).count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_read_marks_of_one_account_store_one_row():
    student = StudentFactory()
    lesson = Lesson.objects.select_related("module").first()
    clients = logged_in_clients(student, 6)
    results = run_concurrently([lambda c=c: c.post(lesson.get_absolute_url()).status_code for c in clients])
    assert results == [302] * 6
    assert LessonRead.objects.filter(reader__user=student, lesson=lesson).count() == 1
    assert Reader.objects.filter(user=student).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_read_marks_of_one_anonymous_browser_store_one_row():
    lesson = Lesson.objects.select_related("module").first()
    browser = Client()
    browser.post(Lesson.objects.select_related("module").get(slug="habits").get_absolute_url())
    tabs = [Client() for _ in range(6)]
    for tab in tabs:
        tab.cookies["sessionid"] = browser.cookies["sessionid"].value
    results = run_concurrently([lambda c=c: c.post(lesson.get_absolute_url()).status_code for c in tabs])
    assert results == [302] * 6
    reader = Reader.objects.get()
    assert LessonRead.objects.filter(reader=reader, lesson=lesson).count() == 1
