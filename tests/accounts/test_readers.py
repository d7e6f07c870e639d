"""Who is reading: a request's reader, created on its first write and never before."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client, RequestFactory

from apps.accounts.models import Reader
from apps.accounts.readers import (
    ACTIVITY_STEP,
    SESSION_KEY,
    reader_for_user,
    reader_for_write,
    reader_of_request,
    reader_session_forget,
)
from apps.lessons.models import Lesson, LessonRead

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 2, 2, 8, 0, tzinfo=datetime.UTC)


def _request(user=None, **session):
    request = RequestFactory().post("/")
    request.user = user or AnonymousUser()
    request.session = SessionStore()
    request.session.update(session)
    request.session.modified = False
    return request


def test_reader_for_user_creates_one_reader_per_account(student):
    reader = reader_for_user(user=student)
    assert reader.user == student
    assert reader_for_user(user=student) == reader
    assert Reader.objects.count() == 1


def test_a_request_that_never_wrote_has_no_reader_and_creates_none(student):
    assert reader_of_request(_request()) is None
    assert reader_of_request(_request(user=student)) is None
    assert not Reader.objects.exists()


def test_an_anonymous_request_finds_its_reader_through_the_session():
    reader = Reader.objects.create()
    Reader.objects.create()  # someone else's
    assert reader_of_request(_request(**{SESSION_KEY: reader.pk})) == reader


def test_a_signed_in_request_finds_the_account_reader_and_ignores_the_session(student):
    anonymous = Reader.objects.create()
    account = reader_for_user(user=student)
    assert reader_of_request(_request(user=student, **{SESSION_KEY: anonymous.pk})) == account


def test_the_reader_is_looked_up_once_per_request(django_assert_num_queries):
    reader = Reader.objects.create()
    request = _request(**{SESSION_KEY: reader.pk})
    with django_assert_num_queries(1):
        assert reader_of_request(request) == reader
        assert reader_of_request(request) == reader
    # A write reads its reader again, locked, so that a log-in merge cannot slip in between.
    with django_assert_num_queries(1):
        assert reader_for_write(request) == reader


def test_a_request_under_way_at_log_in_reaches_the_accounts_reader(student):
    from apps.accounts.services import reader_merge

    anonymous = Reader.objects.create()
    request = _request(**{SESSION_KEY: anonymous.pk})
    account = reader_for_user(user=student)
    reader_merge(source=anonymous, target=account)
    assert reader_of_request(request) == account
    assert reader_for_write(_request(**{SESSION_KEY: anonymous.pk})) == account


@pytest.mark.parametrize("forged", ["unknown", "account", 2**63, 2**70, -1, 0, "1", 1.0, None, [1]])
def test_a_stale_or_forged_session_id_finds_no_reader(student, forged):
    account = reader_for_user(user=student)
    Reader.objects.create()
    value = {"unknown": account.pk + 1000, "account": account.pk}.get(str(forged), forged)
    assert reader_of_request(_request(**{SESSION_KEY: value})) is None


def test_the_first_anonymous_write_creates_a_reader_and_keeps_its_id_in_the_session():
    request = _request()
    reader = reader_for_write(request)
    assert reader.user is None
    assert request.session[SESSION_KEY] == reader.pk
    assert reader_of_request(request) == reader
    # The next request of the same browser finds it again, and a second write creates nothing.
    next_request = _request(**{SESSION_KEY: reader.pk})
    assert reader_for_write(next_request) == reader
    assert Reader.objects.count() == 1


def test_a_write_with_a_stale_session_id_starts_a_new_reader_and_replaces_the_id(student):
    account = reader_for_user(user=student)
    request = _request(**{SESSION_KEY: account.pk})
    reader = reader_for_write(request)
    assert reader != account and reader.user is None
    assert request.session[SESSION_KEY] == reader.pk


def test_the_first_signed_in_write_creates_the_account_reader_and_leaves_the_session_alone(student):
    request = _request(user=student)
    reader = reader_for_write(request)
    assert reader.user == student
    assert SESSION_KEY not in request.session
    assert reader_for_write(_request(user=student)) == reader
    assert Reader.objects.count() == 1


def test_forgetting_the_session_reader():
    reader = Reader.objects.create()
    request = _request(**{SESSION_KEY: reader.pk})
    assert reader_of_request(request) == reader
    reader_session_forget(request)
    assert SESSION_KEY not in request.session
    assert reader_of_request(request) is None
    reader_session_forget(request)  # twice is fine


def _write_at(when: datetime.datetime, reader: Reader, user=None):
    with time_machine.travel(when, tick=False):
        request = _request(user=user, **({} if user else {SESSION_KEY: reader.pk}))
        reader_for_write(request)
    reader.refresh_from_db()
    return request


def test_writes_move_last_activity_at_most_once_an_hour_and_save_the_anonymous_session():
    with time_machine.travel(START, tick=False):
        reader = Reader.objects.create()
    request = _write_at(START + ACTIVITY_STEP - datetime.timedelta(seconds=1), reader)
    assert reader.last_active_at == START
    assert not request.session.modified
    request = _write_at(START + ACTIVITY_STEP, reader)
    assert reader.last_active_at == START + ACTIVITY_STEP
    assert request.session.modified  # saved, so the session's expiry moves with the activity
    request = _write_at(START + ACTIVITY_STEP + datetime.timedelta(minutes=59), reader)
    assert reader.last_active_at == START + ACTIVITY_STEP
    assert not request.session.modified


def test_an_account_reader_activity_moves_too(student):
    with time_machine.travel(START, tick=False):
        reader = reader_for_user(user=student)
    _write_at(START + datetime.timedelta(hours=3), reader, user=student)
    assert reader.last_active_at == START + datetime.timedelta(hours=3)


def test_over_http_an_hourly_write_saves_the_session_and_moves_its_expiry():
    client = Client()
    lessons = list(Lesson.objects.select_related("module").filter(module__slug="alpha"))

    def mark(lesson, when):
        with time_machine.travel(when, tick=False):
            return client.post(lesson.get_absolute_url())

    response = mark(lessons[0], START)
    assert settings.SESSION_COOKIE_NAME in response.cookies
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    reader = Reader.objects.get()
    assert Session.objects.get(pk=session_key).get_decoded()[SESSION_KEY] == reader.pk

    response = mark(lessons[1], START + datetime.timedelta(minutes=30))
    assert settings.SESSION_COOKIE_NAME not in response.cookies  # nothing to save
    assert Session.objects.get(pk=session_key).expire_date == START + datetime.timedelta(
        seconds=settings.SESSION_COOKIE_AGE
    )

    later = START + datetime.timedelta(hours=2)
    response = mark(lessons[2], later)
    assert settings.SESSION_COOKIE_NAME in response.cookies
    assert Session.objects.get(pk=session_key).expire_date == later + datetime.timedelta(
        seconds=settings.SESSION_COOKIE_AGE
    )
    reader.refresh_from_db()
    assert reader.last_active_at == later
    assert LessonRead.objects.filter(reader=reader).count() == 3
    assert Reader.objects.count() == 1
