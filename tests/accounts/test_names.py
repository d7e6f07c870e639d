"""Names people choose: usernames (normalised, no look-alikes), display names and class names, over HTTP."""

import importlib
import sys
import unicodedata

import pytest
from django.apps import apps as django_apps
from django.db import IntegrityError, transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.accounts.forms import SignUpForm
from apps.accounts.models import User
from apps.classrooms.models import Classroom
from tests.factories import PASSWORD, ClassroomFactory, StudentFactory
from tests.helpers import run_concurrently

pytestmark = pytest.mark.django_db

LOOKS_TAKEN = "This username looks too much like an existing one."
MIXED = "Use letters from one alphabet only"
TAKEN = "A user with that username already exists."
INVISIBLE = "Remove the invisible formatting characters"
FORMAT_CHARACTERS = [
    chr(code) for code in range(sys.maxunicode + 1) if unicodedata.category(chr(code)) == "Cf"
]


def signup_data(**overrides):
    data = {
        "username": "lina",
        "display_name": "",
        "email": "",
        "role": "student",
        "password1": "a-strong-passphrase-42",
        "password2": "a-strong-passphrase-42",
    }
    data.update(overrides)
    return data


def sign_up(client, **overrides):
    return client.post("/en/accounts/signup/", signup_data(**overrides))


# Usernames


@pytest.mark.parametrize(
    "new,existing,message",
    [
        ("ѕara", "sara", MIXED),  # a Cyrillic letter among Latin ones
        ("Sara", "sara", TAKEN),  # Django's own case-insensitive check comes first
        ("paypaI", "paypal", LOOKS_TAKEN),
        ("paypa1", "paypal", LOOKS_TAKEN),
        ("0mar", "omar", LOOKS_TAKEN),
        ("ѕага", "sara", LOOKS_TAKEN),  # all Cyrillic
    ],
)
def test_a_username_like_an_existing_one_is_refused(client, new, existing, message):
    StudentFactory(username=existing)
    response = sign_up(client, username=new)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert User.objects.count() == 1


def test_a_look_alike_in_one_script_is_refused_as_taken(client):
    StudentFactory(username="paypal")
    response = sign_up(client, username="PAYPAI")  # capital i: one script, looks like "paypal"
    assert LOOKS_TAKEN in response.content.decode()
    assert User.objects.count() == 1


@pytest.mark.parametrize("username", ["ѕara", "paypаl", "saraسارة"])
def test_mixed_script_usernames_are_refused_even_when_free(client, username):
    response = sign_up(client, username=username)
    assert MIXED in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize("username", ["سارة", "سارة_٢", "lina.k-2"])
def test_one_script_usernames_are_accepted(client, username):
    response = sign_up(client, username=username)
    assert response.status_code == 302
    assert User.objects.get().username == username


def test_usernames_are_stored_in_nfkc_and_trimmed(client):
    sign_up(client, username="  ｌｉｎａ ")
    assert User.objects.get().username == "lina"


@pytest.mark.parametrize("char", ["\u202e", "\u2067", "\u200f", "\u061c", "\u200b", "\ufeff"])
def test_usernames_with_bidi_controls_are_refused(client, char):
    response = sign_up(client, username=f"lina{char}")
    assert INVISIBLE in response.content.decode()
    assert not User.objects.exists()


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(
    before=st.text(max_size=12),
    char=st.sampled_from(FORMAT_CHARACTERS),
    after=st.text(max_size=12),
)
def test_any_username_with_a_format_character_is_refused(before, char, after):
    form = SignUpForm(data=signup_data(username=before + char + after))
    assert not form.is_valid()
    assert "username" in form.errors


def test_the_skeleton_follows_the_username():
    user = StudentFactory(username="LIna")
    assert (user.username_skeleton, user.username_skeleton_cased) == ("lina", "llna")
    user.username = "Omar"
    user.save(update_fields=["username"])
    user.refresh_from_db()
    assert (user.username_skeleton, user.username_skeleton_cased) == ("ornar", "ornar")  # "m" looks like "rn"


@pytest.mark.parametrize("existing,new", [("sara", "SARA"), ("lina", "LINA"), ("paypal", "paypaI")])
def test_the_database_refuses_a_look_alike_whatever_code_saves_it(existing, new):
    StudentFactory(username=existing)
    with pytest.raises(IntegrityError), transaction.atomic():
        StudentFactory(username=new)


def test_two_look_alike_sign_ups_at_once_one_wins_the_other_gets_a_form_error(transactional_db):
    def attempt(username):
        return lambda: sign_up(Client(), username=username)

    results = run_concurrently([attempt("sara"), attempt("Sara"), attempt("SARA")])
    statuses = sorted(response.status_code for response in results)
    assert statuses == [302, 422, 422], results
    assert User.objects.count() == 1
    for response in results:
        if response.status_code == 422:
            body = response.content.decode()
            assert LOOKS_TAKEN in body or TAKEN in body


def test_existing_look_alike_accounts_survive_the_migration():
    """Accounts that already looked alike before the skeleton column: the first keeps the skeleton,
    the later one keeps working (logs in, changes its password) with none."""
    first = StudentFactory(username="sara")
    later = StudentFactory(username="Sara2")
    User.objects.filter(pk=later.pk).update(username="Sara")
    User.objects.update(username_skeleton=None, username_skeleton_cased=None)  # as before 0003
    migration = importlib.import_module("apps.accounts.migrations.0003_username_skeleton")
    migration.fill_skeletons(django_apps, None)
    first.refresh_from_db()
    later = User.objects.get(pk=later.pk)
    assert (first.username_skeleton, first.username_skeleton_cased) == ("sara", "sara")
    assert (later.username_skeleton, later.username_skeleton_cased) == (None, None)
    later.set_password("another-strong-pass-77")
    later.save()
    client = Client()
    response = client.post("/en/accounts/login/", {"username": "Sara", "password": "another-strong-pass-77"})
    assert response.status_code == 302


# Display names


def test_sign_up_asks_for_an_optional_display_name(client):
    body = client.get("/en/accounts/signup/").content.decode()
    assert "Display name (optional)" in body
    assert "What your teacher sees, for example your first name and an initial." in body
    sign_up(client, display_name="  Sara   K. ")
    user = User.objects.get()
    assert user.display_name == "Sara K."
    assert user.name_for_teachers == "Sara K."


def test_sign_up_without_a_display_name_shows_the_username_to_teachers(client):
    sign_up(client)
    assert User.objects.get().name_for_teachers == "lina"


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u200e", "\u200d"])
def test_sign_up_refuses_bidi_controls_in_the_display_name(client, char):
    response = sign_up(client, display_name=f"Sara{char} K.")
    assert INVISIBLE in response.content.decode()
    assert not User.objects.exists()


def test_sign_up_refuses_a_display_name_over_60_characters(client):
    response = sign_up(client, display_name="S" * 61)
    assert "at most 60 characters" in response.content.decode()
    assert not User.objects.exists()


def test_the_account_page_edits_the_display_name(student_client, student):
    body = student_client.get("/en/accounts/").content.decode()
    assert 'name="display_name"' in body
    response = student_client.post("/en/accounts/name/", {"display_name": " Sara\n K. "})
    assert response.status_code == 302
    assert response.url == "/en/accounts/"
    student.refresh_from_db()
    assert student.display_name == "Sara K."
    assert 'value="Sara K."' in student_client.get("/en/accounts/").content.decode()


def test_the_display_name_can_be_emptied(student_client, student):
    User.objects.filter(pk=student.pk).update(display_name="Sara K.")
    student_client.post("/en/accounts/name/", {"display_name": "   "})
    student.refresh_from_db()
    assert student.display_name == ""


def test_the_account_page_refuses_bidi_controls_in_the_display_name(student_client, student):
    response = student_client.post("/en/accounts/name/", {"display_name": "Sara \u202eK."})
    assert response.status_code == 422
    assert INVISIBLE in response.content.decode()
    student.refresh_from_db()
    assert student.display_name == ""


def test_the_display_name_needs_a_post_from_a_logged_in_reader(client, student_client):
    assert client.post("/en/accounts/name/", {"display_name": "X"}).url.startswith("/en/accounts/login/")
    assert student_client.get("/en/accounts/name/").status_code == 405


# Class names


@pytest.mark.parametrize("char", ["\u202e", "\u2067", "\u200b"])
def test_a_class_name_with_bidi_controls_is_refused(teacher_client, teacher, char):
    response = teacher_client.post("/en/classes/", {"name": f"Year 9{char} B"})
    assert response.status_code == 422
    assert INVISIBLE in response.content.decode()
    assert not Classroom.objects.exists()


def test_a_class_cannot_be_renamed_with_bidi_controls(teacher_client, teacher):
    classroom = ClassroomFactory(teacher=teacher, name="Year 9 B")
    response = teacher_client.post(f"/en/classes/{classroom.pk}/rename/", {"name": "Year \u202e9 B"})
    assert response.status_code == 422
    classroom.refresh_from_db()
    assert classroom.name == "Year 9 B"


def test_an_arabic_class_name_is_fine(teacher_client, teacher):
    teacher_client.post("/ar/classes/", {"name": "الصف التاسع ب"})
    assert Classroom.objects.get().name == "الصف التاسع ب"


def test_log_in_accepts_the_username_as_typed_in_another_width(client):
    StudentFactory(username="lina")
    response = client.post("/en/accounts/login/", {"username": "ｌｉｎａ", "password": PASSWORD})
    assert response.status_code == 302


def test_the_admin_add_form_refuses_a_look_alike_username_with_a_message_not_an_error_page(db):
    admin = User.objects.create_superuser("site-admin", password=PASSWORD)
    StudentFactory(username="sara")
    client = Client()
    client.force_login(admin)
    response = client.post(
        "/en/admin/accounts/user/add/",
        {"username": "ѕara", "usable_password": "true", "password1": "long-enough-pass-2026",
         "password2": "long-enough-pass-2026", "role": "student"},
    )  # fmt: skip
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not User.objects.filter(username="ѕara").exists()
