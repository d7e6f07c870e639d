import json

import pytest
from django.contrib.auth import get_user_model

from apps.accounts.models import User
from tests.factories import StudentFactory, TeacherFactory

pytestmark = pytest.mark.django_db


def signup_data(**overrides):
    data = {
        "username": "lina",
        "email": "",
        "role": "student",
        "password1": "a-strong-passphrase-42",
        "password2": "a-strong-passphrase-42",
    }
    data.update(overrides)
    return data


def test_sign_up_as_student_without_email_logs_in(client):
    response = client.post("/en/accounts/signup/", signup_data())
    assert response.status_code == 302
    user = User.objects.get(username="lina")
    assert user.role == User.Role.STUDENT
    assert user.email == ""
    assert client.get("/en/").context["user"] == user


def test_sign_up_as_teacher(client):
    client.post("/en/accounts/signup/", signup_data(username="mr-ali", role="teacher"))
    assert User.objects.get(username="mr-ali").is_teacher


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"password2": "something-else-42"}, "The two password fields didn’t match."),
        ({"password1": "12345678", "password2": "12345678"}, "This password is too common."),
        ({"password1": "abc", "password2": "abc"}, "This password is too short."),
        ({"username": ""}, "This field is required."),
        ({"role": "admin"}, "Select a valid choice."),
        ({"email": "not-an-email"}, "Enter a valid email address."),
    ],
)
def test_sign_up_refuses_bad_input_and_creates_nothing(client, overrides, message):
    response = client.post("/en/accounts/signup/", signup_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_sign_up_with_a_taken_username_is_refused(client):
    StudentFactory(username="lina")
    response = client.post("/en/accounts/signup/", signup_data())
    assert "A user with that username already exists." in response.content.decode()
    assert User.objects.count() == 1


def test_sign_up_errors_are_in_arabic_on_arabic_pages(client):
    response = client.post("/ar/accounts/signup/", signup_data(password2="different-42"))
    body = response.content.decode()
    assert "حقلا كلمة المرور غير متطابقين" in body or "غير متطابق" in body
    assert not User.objects.exists()


def test_log_in_and_log_out(client, password):
    user = StudentFactory(username="karim")
    response = client.post("/en/accounts/login/", {"username": "karim", "password": password})
    assert response.status_code == 302
    assert client.get("/en/").context["user"] == user
    response = client.post("/en/accounts/logout/")
    assert response.status_code == 302
    assert not client.get("/en/").context["user"].is_authenticated


def test_log_in_with_a_wrong_password_shows_an_error(client):
    StudentFactory(username="karim")
    response = client.post("/en/accounts/login/", {"username": "karim", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_log_in_redirects_only_to_safe_next(client, password):
    StudentFactory(username="karim")
    data = {"username": "karim", "password": password}
    assert client.post("/en/accounts/login/?next=/en/modules/", data).url == "/en/modules/"
    client.post("/en/accounts/logout/")
    assert client.post("/en/accounts/login/?next=https://evil.example/", data).url == "/en/"


def test_logout_by_get_only_asks_for_confirmation(student_client):
    response = student_client.get("/en/accounts/logout/")
    assert response.status_code == 200
    assert student_client.get("/en/").context["user"].is_authenticated


def test_change_password(student_client, student, password):
    response = student_client.post(
        "/en/accounts/password/",
        {
            "old_password": password,
            "new_password1": "another-strong-pass-77",
            "new_password2": "another-strong-pass-77",
        },
    )
    assert response.status_code == 302
    student.refresh_from_db()
    assert student.check_password("another-strong-pass-77")
    # The session survives the change.
    assert student_client.get("/en/").context["user"].is_authenticated


def test_change_password_with_wrong_old_password_changes_nothing(student_client, student, password):
    response = student_client.post(
        "/en/accounts/password/",
        {
            "old_password": "wrong",
            "new_password1": "x-strong-77-x",
            "new_password2": "x-strong-77-x",
        },
    )
    assert response.status_code == 200
    student.refresh_from_db()
    assert student.check_password(password)


def test_password_page_needs_login(client):
    response = client.get("/en/accounts/password/")
    assert response.status_code == 302
    assert response.url.startswith("/en/accounts/login/")


def test_admin_works_for_staff(client):
    admin = get_user_model().objects.create_superuser("root", password="root-pass-2026!")
    client.force_login(admin)
    assert client.get("/en/admin/").status_code == 200
    assert client.get("/en/admin/accounts/user/").status_code == 200
    assert client.get(f"/en/admin/accounts/user/{admin.pk}/change/").status_code == 200


def test_roles():
    assert TeacherFactory().is_teacher
    assert StudentFactory().is_student


def test_download_my_data(student_client, student):
    response = student_client.get("/en/accounts/export/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["username"] == student.username
    assert "lessons_read" in data


def test_delete_account_needs_the_password(student_client, student, password):
    response = student_client.post("/en/accounts/delete/", {"password": "wrong"})
    assert response.status_code == 422
    assert User.objects.filter(pk=student.pk).exists()
    response = student_client.post("/en/accounts/delete/", {"password": password})
    assert response.status_code == 302
    assert not User.objects.filter(pk=student.pk).exists()
