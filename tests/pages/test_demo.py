"""`seed_demo`: demo accounts, a class and varied progress, for local use only.

The demo data names the shipped modules (it shows the real course), so the tests that seed it
validate it against the shipped content (`real_content`), like the other content checks.
"""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from apps.accounts.models import Reader, User
from apps.checklist.models import ChecklistTick
from apps.classrooms.models import Assignment, Classroom, Membership
from apps.lessons.models import LessonRead
from apps.pages.demo import DEMO_CLASS, DEMO_PASSWORD, PROGRESS, demo_data_seed
from apps.quizzes.models import Answer, Attempt

pytestmark = pytest.mark.django_db

STUDENTS = ["student1", "student2", "student3", "student4", "student5"]


def _snapshot() -> dict:
    return {
        "users": sorted(User.objects.values_list("username", "role")),
        "readers": Reader.objects.count(),
        "reads": sorted(LessonRead.objects.values_list("reader__user__username", "lesson_id")),
        "attempts": sorted(
            Attempt.objects.values_list("reader__user__username", "quiz__module__slug", "correct_count")
        ),
        "answers": Answer.objects.count(),
        "ticks": sorted(ChecklistTick.objects.values_list("reader__user__username", "item_id")),
        "members": sorted(Membership.objects.values_list("student__username", "share_checklist")),
        "assignments": sorted(Assignment.objects.values_list("module__slug", "due_date")),
    }


def test_seed_demo_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only runs with DJANGO_DEBUG=true, or with --force"):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.exists()


@pytest.mark.usefixtures("real_content")
def test_seed_demo_creates_the_accounts_the_class_and_the_planned_progress(settings, client):
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "Demo data ready: teacher, student1..student5" in out.getvalue()

    teacher = User.objects.get(username="teacher")
    assert teacher.is_teacher and teacher.check_password(DEMO_PASSWORD)
    classroom = Classroom.objects.get(teacher=teacher, name=DEMO_CLASS)
    members = dict(
        Membership.objects.filter(classroom=classroom).values_list("student__username", "share_checklist")
    )
    assert members == {name: PROGRESS[name][3] for name in STUDENTS}
    today = timezone.localdate()
    assert sorted(Assignment.objects.filter(classroom=classroom).values_list("module__slug", "due_date")) == [
        ("profiling", today - datetime.timedelta(days=3)),
        ("protecting-yourself", today + datetime.timedelta(days=14)),
    ]
    for name in STUDENTS:
        user = User.objects.get(username=name)
        assert user.is_student and user.check_password(DEMO_PASSWORD)
        reads, scores, ticks, _shares = PROGRESS[name]
        reader = Reader.objects.filter(user=user).first()
        read_per_module = dict(
            LessonRead.objects.filter(reader=reader)
            .values_list("lesson__module__slug")
            .order_by()
            .annotate(count=Count("pk"))
        )
        assert read_per_module == reads, name
        finished = sorted(
            Attempt.objects.filter(reader=reader, finished_at__isnull=False).values_list(
                "quiz__module__slug", "correct_count"
            )
        )
        assert finished == sorted((slug, right) for slug, rights in scores.items() for right in rights), name
        assert not Attempt.objects.filter(reader=reader, finished_at__isnull=True).exists()
        assert ChecklistTick.objects.filter(reader=reader).count() == ticks, name
    response = client.post("/en/accounts/login/", {"username": "student1", "password": DEMO_PASSWORD})
    assert (response.status_code, response["Location"]) == (302, "/en/")


@pytest.mark.usefixtures("real_content")
def test_seeding_again_changes_nothing():
    demo_data_seed()
    before = _snapshot()
    demo_data_seed()
    assert _snapshot() == before


@pytest.mark.usefixtures("real_content")
def test_seed_demo_with_force_runs_without_debug(settings):
    settings.DEBUG = False
    call_command("seed_demo", "--force", stdout=StringIO())
    assert User.objects.filter(username__in=["teacher", *STUDENTS]).count() == 6
