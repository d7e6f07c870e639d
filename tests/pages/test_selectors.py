"""personal_data_export: what "Download my data" is made of (the view's tests check the values)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from apps.accounts.models import Reader
from apps.lessons.models import Lesson, LessonRead
from apps.pages.selectors import personal_data_export
from tests.factories import TeacherFactory
from tests.helpers import reader_of

pytestmark = pytest.mark.django_db

READER_KEYS = {
    "lessons_read",
    "quiz_attempts",
    "checklist_done",
    "checklist_platforms",
    "checklist_reports",
    "simulator_finished",
    "labs_finished",
}
ACCOUNT_KEYS = {"account", "classes_joined", "classes_taught"}


def test_an_account_that_never_logged_in_exports_no_last_login():
    teacher = TeacherFactory(username="new-teacher", email="t@example.org")
    data = personal_data_export(user=teacher, reader=None)
    assert set(data) == READER_KEYS | ACCOUNT_KEYS
    assert data["account"] == {
        "username": "new-teacher",
        "email": "t@example.org",
        "role": "teacher",
        "date_joined": teacher.date_joined.isoformat(),
        "last_login": None,
    }


def test_an_anonymous_reader_exports_its_rows_and_no_account():
    reader = Reader.objects.create()
    lesson = Lesson.objects.select_related("module").get(slug="settings")
    LessonRead.objects.create(reader=reader, lesson=lesson)
    LessonRead.objects.create(reader=Reader.objects.create(), lesson=Lesson.objects.get(slug="habits"))
    data = personal_data_export(user=AnonymousUser(), reader=reader)
    assert set(data) == READER_KEYS
    assert [(row["module"], row["lesson"]) for row in data["lessons_read"]] == [("beta", "settings")]


def test_no_reader_exports_empty_lists(student):
    LessonRead.objects.create(reader=reader_of(student), lesson=Lesson.objects.first())
    data = personal_data_export(user=AnonymousUser(), reader=None)
    assert data == dict.fromkeys(READER_KEYS, [])
