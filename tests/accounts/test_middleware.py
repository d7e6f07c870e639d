"""A password set by a teacher must be changed before anything else (apps/accounts/middleware.py)."""

import pytest
from django.test import Client

from apps.accounts.models import User
from tests.factories import PASSWORD, StudentFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "my-own-passphrase-2026"
CHANGE = "/en/accounts/password/"


@pytest.fixture
def flagged():
    return StudentFactory(username="sara", must_change_password=True)


@pytest.fixture
def flagged_client(flagged):
    client = Client()
    client.force_login(flagged)
    return client


def change(client, old=PASSWORD, new=NEW_PASSWORD):
    return client.post(CHANGE, {"old_password": old, "new_password1": new, "new_password2": new})


@pytest.mark.parametrize(
    "path",
    [
        "/en/",
        "/en/modules/",
        "/en/modules/alpha/",
        "/en/checklist/",
        "/en/dashboard/",
        "/en/join/",
        "/en/accounts/",
        "/en/search/?q=x",
        "/en/privacy/",
        "/en/accounts/export/",
        "/en/admin/",
    ],
)
def test_every_page_sends_to_the_password_change(flagged_client, path):
    response = flagged_client.get(path)
    assert response.status_code == 302
    assert response.url == CHANGE


def test_posts_are_sent_there_too_and_change_nothing(flagged_client, flagged):
    response = flagged_client.post("/en/accounts/name/", {"display_name": "Someone else"})
    assert response.url == CHANGE
    flagged.refresh_from_db()
    assert flagged.display_name == ""


def test_the_redirect_is_in_the_page_language(flagged_client):
    assert flagged_client.get("/ar/modules/").url == "/ar/accounts/password/"


def test_htmx_requests_get_hx_redirect_instead_of_a_302(flagged_client):
    response = flagged_client.post("/en/modules/alpha/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"] == CHANGE
    assert b"<html" not in response.content


@pytest.mark.parametrize(
    "path,status",
    [
        (CHANGE, 200),
        ("/ar/accounts/password/", 200),  # the language switch
        ("/en/accounts/logout/", 200),
        ("/healthz", 200),
        ("/static/css/site.css", 200),
        ("/robots.txt", 200),
        ("/en/no-such-page/", 404),
    ],
)
def test_what_stays_reachable(flagged_client, path, status):
    assert flagged_client.get(path).status_code == status


def test_the_page_says_why(flagged_client):
    body = flagged_client.get(CHANGE).content.decode()
    assert "Your teacher gave you a temporary password." in body


def test_the_page_does_not_say_it_to_others(student_client):
    assert "temporary password" not in student_client.get(CHANGE).content.decode()


def test_log_out_still_works(flagged_client):
    response = flagged_client.post("/en/accounts/logout/")
    assert response.url == "/en/"
    assert flagged_client.get("/en/").status_code == 200


def test_changing_the_password_clears_the_flag_and_keeps_the_session(flagged_client, flagged):
    response = change(flagged_client)
    assert response.status_code == 302
    flagged.refresh_from_db()
    assert not flagged.must_change_password
    assert flagged.check_password(NEW_PASSWORD)
    response = flagged_client.get("/en/modules/")
    assert response.status_code == 200
    assert response.context["user"] == flagged


def test_the_new_password_must_differ_from_the_temporary_one(flagged_client, flagged):
    response = change(flagged_client, new=PASSWORD)
    assert response.status_code == 422
    assert "Choose a new password, not the temporary one." in response.content.decode()
    assert User.objects.get(pk=flagged.pk).must_change_password


def test_a_wrong_temporary_password_keeps_the_flag(flagged_client, flagged):
    response = change(flagged_client, old="not-it")
    assert response.status_code == 422
    assert User.objects.get(pk=flagged.pk).must_change_password
    assert flagged_client.get("/en/").url == CHANGE


def test_logging_in_with_a_temporary_password_leads_to_the_change(flagged, client):
    response = client.post("/en/accounts/login/", {"username": "sara", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1] == (CHANGE, 302)
    assert "Your teacher gave you a temporary password." in response.content.decode()


def test_anonymous_readers_and_other_users_are_not_affected(client, student_client):
    assert client.get("/en/modules/").status_code == 200
    assert student_client.get("/en/modules/").status_code == 200
