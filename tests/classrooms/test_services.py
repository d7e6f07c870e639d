"""apps/classrooms/services.py: classes and codes, joining and its throttle, members, assignments."""

import datetime
import re

import pytest
import time_machine
from django.utils import timezone

from apps.classrooms import services
from apps.classrooms.models import (
    JOIN_CODE_ALPHABET,
    JOIN_CODE_LENGTH,
    Assignment,
    Classroom,
    JoinFailure,
    Membership,
)
from tests.factories import ClassroomFactory, StudentFactory, TeacherFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)
ONLY_STUDENTS = "Only student accounts can join a class."
NO_SUCH_CODE = "No class has this code. Check it with your teacher: codes have 8 letters and digits."
TOO_MANY = "Too many wrong codes. Wait 15 minutes, then check the code with your teacher."


def wrong_codes(student, count: int) -> None:
    for _ in range(count):
        with pytest.raises(services.JoinRefused) as refusal:
            services.classroom_join(student=student, code="WRONG234")
        assert not isinstance(refusal.value, services.JoinThrottled)


def a_fresh_student_joins(classroom) -> bool:
    """True when a new student's join created a membership."""
    _membership, created = services.classroom_join(student=StudentFactory(), code=classroom.join_code)
    return created


# --- Codes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("ABCD2345", "ABCD2345"),
        ("abcd-2345 ", "ABCD2345"),
        (" abcd 2345", "ABCD2345"),
        ("ab.cd_23/45", "ABCD2345"),
        ("", ""),
        ("x" * 40, "X" * 32),
    ],
)
def test_join_code_normalise(raw, code):
    assert services.join_code_normalise(raw) == code


def test_a_new_class_gets_a_readable_code_and_a_trimmed_name(teacher):
    classroom = services.classroom_create(teacher=teacher, name="  Year 9 B  ")
    classroom.refresh_from_db()
    assert (classroom.name, classroom.teacher) == ("Year 9 B", teacher)
    assert len(classroom.join_code) == JOIN_CODE_LENGTH == 8
    assert set(classroom.join_code) <= set(JOIN_CODE_ALPHABET)
    assert not set(JOIN_CODE_ALPHABET) & set("0O1IL")


def test_codes_differ_between_classes(teacher):
    codes = {services.classroom_create(teacher=teacher, name=f"Class {n}").join_code for n in range(20)}
    assert len(codes) == 20


def test_a_code_already_taken_is_drawn_again(teacher, monkeypatch):
    ClassroomFactory(join_code="TAKEN234")
    draws = iter(["TAKEN234"] * 9 + ["FRESH234"])
    monkeypatch.setattr(services, "_new_join_code", lambda: next(draws))
    classroom = services.classroom_create(teacher=teacher, name="Lucky")
    assert Classroom.objects.get(pk=classroom.pk).join_code == "FRESH234"


def test_ten_taken_codes_in_a_row_give_up(teacher, monkeypatch):
    ClassroomFactory(join_code="TAKEN234")
    draws = iter(["TAKEN234"] * 10 + ["FRESH234"])
    monkeypatch.setattr(services, "_new_join_code", lambda: next(draws))
    with pytest.raises(RuntimeError, match="^could not find a free join code$"):
        services.classroom_create(teacher=teacher, name="Unlucky")
    assert not Classroom.objects.filter(name="Unlucky").exists()


def test_regenerating_voids_the_old_code_and_keeps_the_members(teacher, student):
    classroom = services.classroom_create(teacher=teacher, name="Year 9 B")
    services.classroom_join(student=student, code=classroom.join_code)
    old = classroom.join_code
    services.classroom_code_regenerate(classroom=classroom)
    classroom.refresh_from_db()
    assert classroom.join_code != old and len(classroom.join_code) == 8
    assert Membership.objects.filter(classroom=classroom, student=student).exists()
    with pytest.raises(services.JoinRefused):
        services.classroom_join(student=StudentFactory(), code=old)


# --- Joining ---------------------------------------------------------------------------------


def test_joining_twice_gives_one_membership(classroom, student):
    membership, created = services.classroom_join(student=student, code=f" {classroom.join_code.lower()} ")
    assert created and (membership.classroom, membership.student) == (classroom, student)
    again, created = services.classroom_join(student=student, code=classroom.join_code)
    assert not created and again == membership
    assert not membership.share_checklist  # private until the student chooses
    assert not JoinFailure.objects.exists()


def test_a_teacher_cannot_join(classroom):
    with pytest.raises(services.JoinRefused, match=f"^{re.escape(ONLY_STUDENTS)}$"):
        services.classroom_join(student=TeacherFactory(), code=classroom.join_code)
    assert not Membership.objects.exists() and not JoinFailure.objects.exists()


def test_a_wrong_code_is_remembered_by_the_account_only(classroom, student):
    with pytest.raises(services.JoinRefused, match=f"^{re.escape(NO_SUCH_CODE)}$"):
        services.classroom_join(student=student, code="WRONG234")
    assert list(JoinFailure.objects.values_list("key", flat=True)) == [f"user:{student.pk}"]
    assert not Membership.objects.exists()


def test_nine_wrong_codes_still_let_the_right_one_in(classroom, student):
    wrong_codes(student, services.JOIN_FAILURES_PER_USER - 1)
    assert services.classroom_join(student=student, code=classroom.join_code)[1]


def test_ten_wrong_codes_stop_even_the_right_one(classroom, student):
    wrong_codes(student, services.JOIN_FAILURES_PER_USER)
    assert services.JOIN_FAILURES_PER_USER == 10
    with pytest.raises(services.JoinThrottled, match=f"^{re.escape(TOO_MANY)}$"):
        services.classroom_join(student=student, code=classroom.join_code)
    assert not Membership.objects.exists()
    # Another student is not affected.
    assert a_fresh_student_joins(classroom)


def test_many_accounts_guessing_never_lock_out_another_student(classroom):
    for student in [StudentFactory() for _ in range(10)]:
        wrong_codes(student, services.JOIN_FAILURES_PER_USER)
    assert JoinFailure.objects.count() == 100
    assert a_fresh_student_joins(classroom)


def test_the_throttle_forgets_after_fifteen_minutes(classroom, student):
    with time_machine.travel(NOW, tick=False):
        wrong_codes(student, services.JOIN_FAILURES_PER_USER)
    almost = NOW + datetime.timedelta(minutes=14, seconds=59)
    with time_machine.travel(almost, tick=False), pytest.raises(services.JoinThrottled):
        services.classroom_join(student=student, code=classroom.join_code)
    with time_machine.travel(NOW + datetime.timedelta(minutes=15, seconds=1), tick=False):
        assert services.classroom_join(student=student, code=classroom.join_code)[1]
    assert datetime.timedelta(minutes=15) == services.JOIN_FAILURE_WINDOW


def test_a_wrong_code_clears_failures_older_than_the_window(classroom, student):
    with time_machine.travel(NOW, tick=False):
        wrong_codes(student, 3)
    with time_machine.travel(NOW + datetime.timedelta(minutes=10), tick=False):
        wrong_codes(student, 1)
    assert JoinFailure.objects.count() == 4
    with time_machine.travel(NOW + datetime.timedelta(minutes=16), tick=False):
        wrong_codes(student, 1)
        assert JoinFailure.objects.count() == 2
        assert not JoinFailure.objects.filter(
            created_at__lt=timezone.now() - services.JOIN_FAILURE_WINDOW
        ).exists()


def test_any_join_attempt_clears_failures_older_than_the_window(classroom, student, other_student):
    with time_machine.travel(NOW, tick=False):
        wrong_codes(student, 2)
    with time_machine.travel(NOW + datetime.timedelta(minutes=16), tick=False):
        assert services.classroom_join(student=other_student, code=classroom.join_code)[1]
    assert not JoinFailure.objects.exists()


# --- Members ---------------------------------------------------------------------------------


def test_leaving_deletes_only_that_membership(classroom, member):
    other = ClassroomFactory()
    Membership.objects.create(classroom=other, student=member)
    services.classroom_leave(membership=Membership.objects.get(classroom=classroom, student=member))
    assert list(Membership.objects.filter(student=member).values_list("classroom", flat=True)) == [other.pk]


def test_removing_a_student_is_scoped_to_the_class(classroom, member, other_student):
    other = ClassroomFactory()
    Membership.objects.create(classroom=other, student=other_student)
    assert not services.membership_remove(classroom=classroom, student_id=other_student.pk)
    assert Membership.objects.filter(classroom=other, student=other_student).exists()
    assert services.membership_remove(classroom=classroom, student_id=member.pk)
    assert not Membership.objects.filter(classroom=classroom).exists()
    assert not services.membership_remove(classroom=classroom, student_id=member.pk)


@pytest.mark.parametrize("student_id", [0, -1, 2**63, 10**30])
def test_removing_an_impossible_student_id_removes_nothing(classroom, member, student_id):
    assert not services.membership_remove(classroom=classroom, student_id=student_id)
    assert Membership.objects.filter(classroom=classroom, student=member).exists()


def test_sharing_is_set_not_flipped(classroom, member):
    membership = Membership.objects.get(student=member)
    for share in (True, True, False, False, True):
        services.membership_share_set(membership=membership, share=share)
        assert Membership.objects.get(pk=membership.pk).share_checklist is share


# --- Assignments -----------------------------------------------------------------------------


def test_assigning_again_changes_the_due_date(classroom, beta):
    first = services.assignment_set(classroom=classroom, module=beta, due_date=datetime.date(2026, 12, 1))
    second = services.assignment_set(classroom=classroom, module=beta, due_date=datetime.date(2026, 12, 8))
    assert first.pk == second.pk
    assert Assignment.objects.get(classroom=classroom, module=beta).due_date == datetime.date(2026, 12, 8)
    services.assignment_set(classroom=classroom, module=beta, due_date=None)
    assert Assignment.objects.get(classroom=classroom, module=beta).due_date is None
    assert classroom.assignments.count() == 2


def test_removing_an_assignment_is_scoped_to_the_class(classroom, alpha):
    theirs = services.assignment_set(classroom=ClassroomFactory(), module=alpha, due_date=None)
    mine = classroom.assignments.get()
    assert not services.assignment_remove(classroom=classroom, assignment_id=theirs.pk)
    assert Assignment.objects.filter(pk=theirs.pk).exists()
    assert services.assignment_remove(classroom=classroom, assignment_id=mine.pk)
    assert not Assignment.objects.filter(pk=mine.pk).exists()
    assert not services.assignment_remove(classroom=classroom, assignment_id=mine.pk)
