"""Demo data for local use: a teacher, five students, a class and varied progress."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import Reader, User
from apps.accounts.readers import reader_for_user
from apps.checklist import services as checklist_services
from apps.checklist.models import ChecklistItem
from apps.classrooms import services as classroom_services
from apps.classrooms.models import Classroom, Membership
from apps.lessons.models import Lesson, LessonRead
from apps.quizzes import services as quiz_services
from apps.quizzes.models import Attempt, Question, Quiz

DEMO_PASSWORD = "demo-pass-2026"
DEMO_CLASS = "Demo class"

# username: (lessons read per module slug, quiz scores per module slug as right answers, ticks, shares)
PROGRESS = {
    "student1": ({"profiling": 4, "protecting-yourself": 2}, {"profiling": [6, 9]}, 9, True),
    "student2": ({"profiling": 2}, {"profiling": [6]}, 3, False),
    "student3": ({"profiling": 4, "targeted-ads": 4}, {"profiling": [8], "targeted-ads": [7]}, 12, True),
    "student4": ({}, {}, 0, False),
    "student5": ({"profiling": 1, "protecting-yourself": 4}, {"protecting-yourself": [5, 7]}, 6, True),
}


def _user(username: str, role: str) -> User:
    user, _created = User.objects.get_or_create(username=username, defaults={"role": role})
    user.role = role
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def _finish_attempt(*, quiz: Quiz, reader: Reader, right: int, rng: random.Random) -> None:
    attempt = quiz_services.attempt_start(quiz=quiz, reader=reader)
    questions = {q.pk: q for q in Question.objects.filter(quiz=quiz).prefetch_related("choices")}
    right_ids = set(rng.sample(attempt.question_order, right))
    for question_id in attempt.question_order:
        choices = list(questions[question_id].choices.all())
        if question_id in right_ids:
            keys = [c.key for c in choices if c.is_correct]
        else:
            wrong = [c for c in choices if not c.is_correct]
            keys = [wrong[0].key if rng.random() < 0.7 else rng.choice(wrong).key]
        quiz_services.quiz_answer_submit(
            attempt=attempt, question_key=questions[question_id].key, choice_keys=keys
        )


@transaction.atomic
def demo_data_seed() -> dict[str, int]:
    """Create or refresh the demo accounts, class and progress. Running it again changes nothing
    except the due dates, which stay relative to today (one overdue, one upcoming)."""
    teacher = _user("teacher", User.Role.TEACHER)
    students = {name: _user(name, User.Role.STUDENT) for name in PROGRESS}
    lessons = {}
    for lesson in Lesson.objects.select_related("module").order_by("position"):
        lessons.setdefault(lesson.module.slug, []).append(lesson)
    items = list(ChecklistItem.objects.order_by("group__position", "position"))

    for name, (reads, scores, ticks, _shares) in PROGRESS.items():
        reader = reader_for_user(user=students[name])
        rng = random.Random(name)
        LessonRead.objects.bulk_create(
            [
                LessonRead(reader=reader, lesson=lesson)
                for slug, count in reads.items()
                for lesson in lessons.get(slug, [])[:count]
            ],
            ignore_conflicts=True,
        )
        for slug, rights in scores.items():
            quiz = Quiz.objects.filter(module__slug=slug).first()
            if quiz is None or Attempt.objects.filter(quiz=quiz, reader=reader).exists():
                continue
            for right in rights:
                _finish_attempt(quiz=quiz, reader=reader, right=right, rng=rng)
        for item in items[:ticks]:
            checklist_services.checklist_item_set(reader=reader, item=item, done=True)

    classroom = Classroom.objects.filter(teacher=teacher, name=DEMO_CLASS).first()
    if classroom is None:
        classroom = classroom_services.classroom_create(teacher=teacher, name=DEMO_CLASS)
    for name, student in students.items():
        membership, _created = Membership.objects.get_or_create(classroom=classroom, student=student)
        classroom_services.membership_share_set(membership=membership, share=PROGRESS[name][3])
    today = timezone.localdate()
    modules = {slug: module_lessons[0].module for slug, module_lessons in lessons.items()}
    classroom_services.assignment_set(
        classroom=classroom, module=modules["profiling"], due_date=today - datetime.timedelta(days=3)
    )
    classroom_services.assignment_set(
        classroom=classroom,
        module=modules["protecting-yourself"],
        due_date=today + datetime.timedelta(days=14),
    )
    return {"students": len(students), "classes": 1}
