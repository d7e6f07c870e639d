"""Fixtures of the classrooms tests: a class, a member, and a way to give students progress.

Progress always belongs to a student's reader (`reader_of`), made through the apps' own services.
"""

import pytest
from django.test import Client

from apps.checklist.models import ChecklistItem
from apps.checklist.services import checklist_item_set
from apps.classrooms import services
from apps.classrooms.models import Membership
from apps.lessons.models import Lesson, Module
from apps.lessons.services import lesson_mark_read
from apps.quizzes.models import Attempt
from apps.quizzes.services import attempt_start
from tests.helpers import answer_all, quiz_for, reader_of


class Progress:
    """Reads, quiz attempts and checklist ticks of a student, on the fixture content."""

    def read(self, user, module: str = "alpha", count: int | None = None) -> None:
        """Read the first `count` lessons of the module (all of them by default)."""
        lessons = list(Lesson.objects.filter(module__slug=module).order_by("position"))
        for lesson in lessons if count is None else lessons[:count]:
            lesson_mark_read(reader=reader_of(user), lesson=lesson)

    def quiz(self, user, module: str = "alpha", *, right: int) -> Attempt:
        """A finished attempt with `right` of the 8 questions right (6 passes, 5 does not)."""
        attempt = attempt_start(quiz=quiz_for(module), reader=reader_of(user))
        answer_all(attempt, right=right)
        attempt.refresh_from_db()
        return attempt

    def tick(self, user, count: int) -> None:
        """Tick the first `count` checklist items (the fixture content has 5)."""
        for item in ChecklistItem.objects.order_by("group__position", "position")[:count]:
            checklist_item_set(reader=reader_of(user), item=item, done=True)


@pytest.fixture
def progress() -> Progress:
    return Progress()


@pytest.fixture
def alpha(db) -> Module:
    return Module.objects.get(slug="alpha")


@pytest.fixture
def beta(db) -> Module:
    return Module.objects.get(slug="beta")


@pytest.fixture
def classroom(teacher, alpha):
    """The teacher's "Year 9 B", with module alpha assigned and no due date."""
    classroom = services.classroom_create(teacher=teacher, name="Year 9 B")
    services.assignment_set(classroom=classroom, module=alpha, due_date=None)
    return classroom


@pytest.fixture
def member(classroom, student):
    """The student "sara", in the class."""
    Membership.objects.create(classroom=classroom, student=student)
    return student


@pytest.fixture
def login():
    def login(user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return login
