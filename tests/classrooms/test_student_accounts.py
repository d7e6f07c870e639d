"""Nobody locked out (issue #11, item 1): a teacher gives a student of the class a temporary password,
or creates accounts for a list of names, and prints login cards with the class's join link and QR code."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from apps.classrooms import services
from apps.classrooms.models import ClassEvent, Membership
from tests.factories import StudentFactory, TeacherFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = re.compile(r'<dt>Temporary password</dt><dd><code dir="ltr">([a-z0-9-]+)</code>')
USERNAME = re.compile(r'<dt>Username</dt><dd><code dir="ltr">([^<]+)</code>')
LOOK_ALIKES = set("0o1li")


def test_a_temporary_password_is_readable_and_strong():
    passwords = {services.temporary_password() for _ in range(200)}
    assert len(passwords) == 200
    for password in passwords:
        assert re.fullmatch(r"[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}", password)
        assert not LOOK_ALIKES & set(password)


def test_the_confirmation_page_names_the_student_and_changes_nothing(classroom, member, teacher_client):
    before = User.objects.get(pk=member.pk).password
    page = teacher_client.get(f"/en/classes/{classroom.pk}/students/{member.pk}/password/").content.decode()
    assert "A new password for" in page and member.username in page
    assert User.objects.get(pk=member.pk).password == before


def test_a_reset_shows_the_password_once_forces_a_change_and_is_logged(
    classroom, member, teacher, teacher_client
):
    student_client = Client()
    student_client.force_login(member)
    response = teacher_client.post(f"/en/classes/{classroom.pk}/students/{member.pk}/password/")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    body = response.content.decode()
    password = PASSWORD.search(body)[1]
    assert USERNAME.search(body)[1] == member.username and "<svg" in body
    stored = User.objects.get(pk=member.pk)
    assert stored.check_password(password) and stored.must_change_password
    assert student_client.get("/en/dashboard/").status_code == 302  # the old session ended
    assert list(classroom.events.values_list("kind", "subject", "actor")) == [
        (ClassEvent.Kind.PASSWORD_RESET, member.username, teacher.pk)
    ]
    fresh = Client()
    assert (
        fresh.post("/en/accounts/login/", {"username": member.username, "password": password}).status_code
        == 302
    )


@pytest.mark.parametrize("target", ["outsider", "teacher", "other_teacher", "admin"])
def test_only_a_student_of_the_class_can_be_reset(classroom, member, teacher, teacher_client, target):
    people = {
        "outsider": StudentFactory(),
        "teacher": teacher,
        "other_teacher": TeacherFactory(),
        "admin": StudentFactory(is_staff=True, is_superuser=True),
    }
    person = people[target]
    if target in ("other_teacher", "admin"):
        Membership.objects.create(classroom=classroom, student=person)
    before = User.objects.get(pk=person.pk).password
    response = teacher_client.post(f"/en/classes/{classroom.pk}/students/{person.pk}/password/")
    assert response.status_code in (302, 404)
    assert User.objects.get(pk=person.pk).password == before
    assert not ClassEvent.objects.exists()


def test_another_teacher_cannot_reset_a_student_of_this_class(classroom, member, login):
    before = User.objects.get(pk=member.pk).password
    response = login(TeacherFactory()).post(f"/en/classes/{classroom.pk}/students/{member.pk}/password/")
    assert response.status_code == 404
    assert User.objects.get(pk=member.pk).password == before


@pytest.mark.parametrize("student_id", [2**63, 10**25, 0])
def test_unknown_or_huge_student_ids_are_404(classroom, teacher_client, student_id):
    assert (
        teacher_client.get(f"/en/classes/{classroom.pk}/students/{student_id}/password/").status_code == 404
    )
    assert (
        teacher_client.post(f"/en/classes/{classroom.pk}/students/{student_id}/password/").status_code == 404
    )


def test_accounts_for_a_list_of_names_join_the_class_with_cards(classroom, teacher_client):
    names = "Sara K.\n\n  ليلى   م.  \nOmar\n"
    response = teacher_client.post(f"/en/classes/{classroom.pk}/students/new/", {"names": names})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    body = response.content.decode()
    usernames, passwords = USERNAME.findall(body), PASSWORD.findall(body)
    assert len(usernames) == len(passwords) == 3
    students = {user.username: user for user in User.objects.filter(username__in=usernames)}
    assert [students[name].display_name for name in usernames] == ["Sara K.", "ليلى م.", "Omar"]
    assert re.fullmatch(r"sara\d{4}", usernames[0]) and re.fullmatch(r"student\d{4}", usernames[1])
    for username, password in zip(usernames, passwords, strict=True):
        student = students[username]
        assert student.check_password(password) and student.must_change_password and student.is_student
        assert Membership.objects.filter(classroom=classroom, student=student).exists()
    assert f"/en/join/{classroom.join_code}/" in body
    assert classroom.events.get().kind == ClassEvent.Kind.ACCOUNTS_CREATED


def test_cards_are_in_the_class_language(teacher, teacher_client):
    classroom = services.classroom_create(teacher=teacher, name="الصف التاسع", language="ar")
    body = teacher_client.post(
        f"/en/classes/{classroom.pk}/students/new/", {"names": "سارة"}
    ).content.decode()
    assert '<ul class="login-cards" lang="ar" dir="rtl">' in body
    assert "كلمة المرور المؤقتة" in body and f"/ar/join/{classroom.join_code}/" in body
    assert "<h1>Login cards</h1>" in body


@pytest.mark.parametrize(
    "names",
    ["", "\n \n", "\n".join(f"Student {n}" for n in range(41)), "x" * 61, "Sara\u202eK", "Sara\u2066"],
)
def test_bad_name_lists_are_422_and_create_nothing(classroom, teacher_client, names):
    count = User.objects.count()
    response = teacher_client.post(f"/en/classes/{classroom.pk}/students/new/", {"names": names})
    assert response.status_code == 422
    assert User.objects.count() == count


def test_a_class_created_in_arabic_keeps_arabic(teacher):
    client = Client()
    client.force_login(teacher)
    client.post("/ar/classes/", {"name": "الصف"})
    assert teacher.classrooms_taught.get().language == "ar"
