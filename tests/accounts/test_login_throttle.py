"""Log-in throttling: the pair (username, address) is locked after 5 wrong passwords for 15 minutes,
never the whole class behind one school address, and a locked pair is refused before any hashing."""

import datetime
import io
from unittest import mock

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import base_user
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from apps.classrooms import services as class_services
from apps.classrooms.models import Membership
from tests.factories import PASSWORD, TeacherFactory

SCHOOL = "203.0.113.7"
HOME = "198.51.100.20"
LOCKED = "Too many wrong passwords for this username from your network."


def attempt(username: str, password: str, *, address: str = SCHOOL, lang: str = "en", **extra):
    return Client().post(
        f"/{lang}/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )


def fail(username: str, times: int, *, address: str = SCHOOL) -> list[int]:
    return [attempt(username, "wrong-password", address=address).status_code for _ in range(times)]


def test_five_wrong_passwords_lock_the_pair_with_a_clear_message(student):
    assert fail("sara", 4) == [422] * 4
    response = attempt("sara", "wrong-password")
    assert response.status_code == 429
    body = response.content.decode()
    assert LOCKED in body and 'name="username"' in body
    assert attempt("sara", PASSWORD).status_code == 429


def test_the_message_is_in_the_pages_language(student):
    fail("sara", 5)
    body = attempt("sara", PASSWORD, lang="ar").content.decode()
    assert "محاولات" in body and LOCKED not in body


def test_one_pupils_typos_never_lock_out_the_class_behind_the_same_address(student, other_student):
    fail("sara", 5)
    fail("nobody-of-that-name", 30)
    assert attempt("omar", PASSWORD).status_code == 302


def test_nobody_can_lock_an_account_from_another_address(student):
    fail("sara", 30, address=HOME)
    assert attempt("sara", PASSWORD, address=SCHOOL).status_code == 302


def test_a_forged_forwarded_for_header_does_not_change_the_address_counted(student):
    for number in range(5):
        attempt("sara", "wrong-password", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")
    assert attempt("sara", PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 429


def test_a_right_password_during_the_lock_is_refused_before_any_hashing(student):
    fail("sara", 5)
    with (
        mock.patch.object(base_user, "check_password", wraps=base_user.check_password) as checked,
        mock.patch.object(base_user, "make_password", wraps=base_user.make_password) as made,
    ):
        assert attempt("sara", PASSWORD).status_code == 429
    assert (checked.call_count, made.call_count) == (0, 0)


def test_the_lock_ends_by_itself_after_15_minutes(student):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        fail("sara", 5)
    with time_machine.travel(start + datetime.timedelta(minutes=14), tick=False):
        assert attempt("sara", PASSWORD).status_code == 429
    with time_machine.travel(start + datetime.timedelta(minutes=16), tick=False):
        assert attempt("sara", PASSWORD).status_code == 302


def test_a_right_password_starts_the_count_again(student):
    fail("sara", 4)
    assert attempt("sara", PASSWORD).status_code == 302
    assert fail("sara", 4) == [422] * 4


def test_a_teachers_reset_ends_the_lock(student):
    teacher = TeacherFactory()
    classroom = class_services.classroom_create(teacher=teacher, name="Year 9 B")
    Membership.objects.create(classroom=classroom, student=student)
    fail("sara", 5)
    _student, temporary = class_services.student_password_reset(
        classroom=classroom, actor=teacher, student_id=student.pk
    )
    assert attempt("sara", temporary).status_code == 302


def test_the_admin_log_in_is_covered_too(db):
    TeacherFactory(username="root", is_staff=True, is_superuser=True)
    for _ in range(4):
        response = Client().post(
            "/en/admin/login/", {"username": "root", "password": "nope"}, REMOTE_ADDR=SCHOOL
        )
        assert response.status_code == 200
    response = Client().post("/en/admin/login/", {"username": "root", "password": "nope"}, REMOTE_ADDR=SCHOOL)
    assert response.status_code == 429
    response = Client().post(
        "/en/admin/login/", {"username": "root", "password": PASSWORD}, REMOTE_ADDR=SCHOOL
    )
    assert response.status_code == 429


@pytest.mark.parametrize("username", ["x" * 10_000, "\u202esara", " SARA ", ""])
def test_hostile_usernames_are_answered_and_counted_without_error(student, username):
    statuses = [attempt(username, "wrong-password").status_code for _ in range(6)]
    assert statuses[:4] == [422] * 4 and set(statuses) <= {422, 429}
    assert all(len(row.username or "") <= 150 for row in AccessAttempt.objects.all())
    assert attempt("sara", PASSWORD).status_code == 302


def test_records_of_failed_log_ins_are_deleted_once_their_lock_is_over(student):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        fail("sara", 2)
        fail("omar", 1, address=HOME)
    with time_machine.travel(start + datetime.timedelta(minutes=10), tick=False):
        fail("sara", 1, address=HOME)
    out = io.StringIO()
    with time_machine.travel(start + datetime.timedelta(minutes=15, seconds=1), tick=False):
        call_command("prune_readers", stdout=out)
    assert "Deleted 2 expired records of failed log-ins." in out.getvalue()
    assert list(AccessAttempt.objects.values_list("username", "ip_address")) == [("sara", HOME)]
