"""'Forget this browser': an anonymous reader deletes everything it did, from the privacy page."""

import pytest
from django.test import Client

from apps.accounts.models import Reader
from apps.lessons.models import LessonRead
from tests.helpers import reader_of

pytestmark = pytest.mark.django_db

LESSON = "/en/modules/alpha/first-steps/"


def test_privacy_page_offers_download_and_delete_once_the_browser_has_saved_something():
    client = Client()
    assert "has not saved anything yet" in client.get("/en/privacy/").content.decode()
    client.post(LESSON)
    body = client.get("/en/privacy/").content.decode()
    assert 'action="/en/privacy/forget/"' in body
    assert 'href="/en/accounts/export/"' in body


def test_forgetting_deletes_the_anonymous_reader_and_its_rows_and_only_those(student):
    reader_of(student)  # an account's reader must survive someone else's "forget"
    client = Client()
    client.post(LESSON)
    other = Client()
    other.post(LESSON)
    assert LessonRead.objects.count() == 2

    response = client.post("/en/privacy/forget/")

    assert response.status_code == 302
    assert LessonRead.objects.count() == 1
    assert Reader.objects.filter(user__isnull=True).count() == 1
    assert Reader.objects.filter(user=student).exists()
    assert "reader_id" not in client.session
    assert "has not saved anything yet" in client.get("/en/privacy/").content.decode()


def test_forgetting_twice_or_with_nothing_saved_changes_nothing():
    client = Client()
    assert client.post("/en/privacy/forget/").status_code == 302
    assert client.post("/en/privacy/forget/").status_code == 302
    assert Reader.objects.count() == 0


def test_an_account_is_never_deleted_through_forget(student_client, student):
    student_client.post(LESSON)
    response = student_client.post("/en/privacy/forget/")
    assert response.status_code == 302 and response["Location"] == "/en/accounts/"
    assert LessonRead.objects.filter(reader__user=student).count() == 1


def test_forget_needs_post_and_a_csrf_token():
    assert Client().get("/en/privacy/forget/").status_code == 405
    client = Client(enforce_csrf_checks=True)
    assert client.post("/en/privacy/forget/").status_code == 403


def test_reader_forget_refuses_an_accounts_reader(student):
    from apps.accounts.services import reader_forget

    with pytest.raises(ValueError):
        reader_forget(reader=reader_of(student))
    assert Reader.objects.filter(user=student).exists()
