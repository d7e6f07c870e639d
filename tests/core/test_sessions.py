"""The session store: Django's database sessions, read with one fixed statement."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from apps.core.sessions import SessionStore
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


def saved_session(**data) -> SessionStore:
    store = SessionStore()
    store.update(data)
    store.save()
    return store


def test_a_saved_session_reads_back_under_its_key():
    key = saved_session(colour="blue", count=3).session_key
    loaded = SessionStore(key)
    assert dict(loaded.items()) == {"colour": "blue", "count": 3}
    assert loaded.session_key == key


def test_an_expired_session_reads_as_empty_and_loses_its_key():
    key = saved_session(colour="blue").session_key
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    loaded = SessionStore(key)
    assert dict(loaded.items()) == {}
    assert loaded.session_key is None


def test_a_session_expiring_later_today_still_reads():
    key = saved_session(colour="blue").session_key
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + datetime.timedelta(minutes=1))
    assert SessionStore(key)["colour"] == "blue"


def test_an_unknown_key_reads_as_empty_and_saving_makes_a_new_key():
    loaded = SessionStore("x" * 32)
    assert dict(loaded.items()) == {}
    loaded["colour"] = "red"
    loaded.save()
    assert loaded.session_key != "x" * 32
    assert not Session.objects.filter(pk="x" * 32).exists()


def test_tampered_data_reads_as_empty():
    key = saved_session(colour="blue").session_key
    Session.objects.filter(pk=key).update(session_data="not-signed:at-all")
    assert dict(SessionStore(key).items()) == {}


def test_a_session_is_read_in_one_query(django_assert_num_queries):
    key = saved_session(colour="blue").session_key
    with django_assert_num_queries(1):
        assert SessionStore(key)["colour"] == "blue"


def test_a_signed_in_reader_stays_signed_in_until_the_session_expires():
    client = Client()
    client.force_login(StudentFactory(username="sessions-reader"))
    assert client.get("/en/accounts/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get("/en/accounts/").status_code == 302
