"""The data `make bench` measures on, and the query count of each measured request.

Run by deploy/bench.py with the benchmark's environment (its own database):
    python deploy/bench_data.py seed      classes of 5, 40 and 200 students with 6 assignments each and
                                          varied progress; a student in 10 classes; prints what it made
    python deploy/bench_data.py queries   reads requests (JSON) on stdin, prints each one's query count
"""

import json
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from apps.accounts.models import Reader, User  # noqa: E402
from apps.checklist.models import ChecklistGroup, ChecklistItem, ChecklistTick  # noqa: E402
from apps.classrooms import services as classroom_services  # noqa: E402
from apps.classrooms.models import Assignment, Membership  # noqa: E402
from apps.lessons.models import Lesson, LessonRead, Module  # noqa: E402
from apps.quizzes import services as quiz_services  # noqa: E402
from apps.quizzes.models import Quiz  # noqa: E402

PASSWORD = "bench-pass-2026"
CLASS_SIZES = (5, 40, 200)


def _users(prefix: str, count: int, role: str) -> list[User]:
    template = User(username="template", role=role)
    template.set_password(PASSWORD)  # hashed once: 245 accounts with the same password
    users = [
        User(
            username=f"{prefix}-{n:03}",
            display_name=f"{prefix.title()} {n:03} K",
            role=role,
            password=template.password,
        )
        for n in range(count)
    ]
    return User.objects.bulk_create(users)


def _assign_six(classroom) -> None:
    modules = list(Module.objects.order_by("position")[:3])
    for module in modules:
        classroom_services.assignment_set(classroom=classroom, module=module, due_date=None)
    lesson = Lesson.objects.filter(module=modules[-1]).order_by("position").first()
    classroom_services.assignment_set(
        classroom=classroom, kind=Assignment.Kind.LESSON, lesson=lesson, due_date=None
    )
    classroom_services.assignment_set(classroom=classroom, kind=Assignment.Kind.CHECKLIST, due_date=None)
    group = ChecklistGroup.objects.exclude(slug="everywhere").order_by("position").first()
    classroom_services.assignment_set(
        classroom=classroom, kind=Assignment.Kind.CHECKLIST, checklist_group=group, due_date=None
    )


def _progress(students: list[User], rng: random.Random) -> None:
    """Lessons read, a finished quiz for about half, checklist ticks for some: a class mid-term."""
    lessons = list(Lesson.objects.order_by("module__position", "position"))
    items = list(ChecklistItem.objects.order_by("group__position", "position"))
    quiz = Quiz.objects.select_related("module").order_by("module__position").first()
    readers = Reader.objects.bulk_create(Reader(user=student) for student in students)
    now = timezone.now()
    reads, ticks = [], []
    for reader in readers:
        reads += [
            LessonRead(reader=reader, lesson=lesson) for lesson in rng.sample(lessons, rng.randint(0, 12))
        ]
        ticked = rng.sample(items, rng.randint(0, 8))
        ticks += [ChecklistTick(reader=reader, item=item, done_at=now) for item in ticked]
    LessonRead.objects.bulk_create(reads, ignore_conflicts=True)
    ChecklistTick.objects.bulk_create(ticks, ignore_conflicts=True)
    for reader in readers[::2]:
        attempt = quiz_services.attempt_start(quiz=quiz, reader=reader)
        for question in quiz.questions.prefetch_related("choices"):
            choice = rng.choice(list(question.choices.all()))
            quiz_services.quiz_answer_submit(
                attempt=attempt, question_key=question.key, choice_keys=[choice.key]
            )


@transaction.atomic
def seed() -> dict:
    rng = random.Random(2026)
    (teacher,) = _users("bench-teacher", 1, User.Role.TEACHER)
    classes = {}
    for size in CLASS_SIZES:
        classroom = classroom_services.classroom_create(teacher=teacher, name=f"Class of {size}")
        _assign_six(classroom)
        students = _users(f"pupil{size}", size, User.Role.STUDENT)
        Membership.objects.bulk_create(
            Membership(classroom=classroom, student=s, share_checklist=rng.random() < 0.5) for s in students
        )
        _progress(students, rng)
        classes[size] = classroom.pk
    # A reader of the lessons, with an open quiz attempt, in one class; another in ten.
    (reader_student, busy_student) = _users("bench-student", 2, User.Role.STUDENT)
    Membership.objects.create(classroom_id=classes[40], student=reader_student)
    for n in range(10):
        classroom = classroom_services.classroom_create(teacher=teacher, name=f"Club {n}")
        _assign_six(classroom)
        Membership.objects.create(classroom=classroom, student=busy_student)
    quiz = Quiz.objects.select_related("module").order_by("module__position").first()
    attempt = quiz_services.attempt_start(quiz=quiz, reader=Reader.objects.create(user=reader_student))
    question = quiz.questions.order_by("position").first()
    lesson = Lesson.objects.select_related("module").order_by("module__position", "position").first()
    item = ChecklistItem.objects.select_related("group").order_by("group__position", "position").first()
    return {
        "password": PASSWORD,
        "teacher": teacher.username,
        "student": reader_student.username,
        "busy_student": busy_student.username,
        "classes": classes,
        "lesson": f"modules/{lesson.module.slug}/{lesson.slug}/",
        "catalogue": "modules/",
        "attempt": f"modules/{quiz.module.slug}/quiz/{attempt.pk}/",
        "question": question.key,
        "choice": question.choices.order_by("position").first().key,
        "item": f"checklist/{item.group.slug}/{item.key}/",
    }


def send(client: Client, request: dict, headers: dict):
    if request["method"] == "GET":
        return client.get(request["path"], **headers)
    return client.post(request["path"], request.get("data", {}), **headers)


def queries(requests: list[dict]) -> dict[str, int]:
    """Each request's query count, made the way the server makes it (same settings, same database)."""
    counts = {}
    clients: dict[str, Client] = {}
    for request in requests:
        user = request.get("user")
        if user not in clients:
            clients[user] = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=False)
            if user:
                clients[user].force_login(User.objects.get(username=user))
        client = clients[user]
        headers = {"HTTP_HX_REQUEST": "true"} if request.get("htmx") else {}
        # Counted the second time, as a running server makes it: what is cached per process is cached.
        send(client, request, headers)
        with CaptureQueriesContext(connection) as captured:
            response = send(client, request, headers)
        assert response.status_code < 400, (request, response.status_code)
        counts[request["name"]] = len(captured)
    return counts


if __name__ == "__main__":
    if sys.argv[1:] == ["seed"]:
        print(json.dumps(seed()))
    elif sys.argv[1:] == ["queries"]:
        print(json.dumps(queries(json.load(sys.stdin))))
    else:
        sys.exit(__doc__)
