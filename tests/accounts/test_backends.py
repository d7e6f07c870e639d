"""The account backend: Django's ModelBackend, with the signed-in account read by a fixed statement."""

import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.utils import timezone

from apps.accounts.backends import ACCOUNT_BACKEND, PREVIOUS_BACKEND, AccountBackend
from apps.accounts.models import User
from apps.core.sessions import SessionStore
from tests.factories import PASSWORD, StudentFactory

pytestmark = pytest.mark.django_db

EDITOR = SimpleNamespace(connection=connection)  # all RunPython reads of its schema editor
MIGRATION = importlib.import_module("apps.accounts.migrations.0005_sessions_name_account_backend")


def signed_in(client: Client) -> bool:
    return client.get("/en/accounts/password/").status_code == 200


def test_logging_in_keeps_the_account_backend_in_the_session(client, student):
    response = client.post("/en/accounts/login/", {"username": "sara", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session[BACKEND_SESSION_KEY] == ACCOUNT_BACKEND
    assert ACCOUNT_BACKEND in settings.AUTHENTICATION_BACKENDS
    assert PREVIOUS_BACKEND not in settings.AUTHENTICATION_BACKENDS
    assert signed_in(client)


def test_the_backend_gives_the_account_with_all_its_fields(student):
    user = AccountBackend().get_user(student.pk)
    assert user == student and user.username == "sara" and user.password == student.password
    assert AccountBackend().get_user(student.pk + 1000) is None


def test_a_deactivated_account_is_signed_out(student_client, student):
    assert signed_in(student_client)
    User.objects.filter(pk=student.pk).update(is_active=False)
    assert AccountBackend().get_user(student.pk) is None
    assert not signed_in(student_client)


def test_a_deleted_account_is_signed_out(student_client, student):
    student.delete()
    assert not signed_in(student_client)


def test_a_password_changed_elsewhere_signs_this_session_out(student_client, student):
    student.set_password("a-new-long-pass-2026")
    student.save()
    assert not signed_in(student_client)


def test_a_signed_in_request_reads_its_session_and_account_in_two_queries(
    student_client, django_assert_num_queries
):
    student_client.get("/livez")
    with django_assert_num_queries(2):  # the floor of every signed-in request (make bench measures it)
        assert student_client.get("/livez").status_code == 200


def session_of(user: User, *, backend: str, expire_in=datetime.timedelta(days=1)) -> str:
    store = SessionStore()
    store.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: backend, HASH_SESSION_KEY: ""})
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    Session.objects.filter(pk=store.session_key).update(expire_date=timezone.now() + expire_in)
    return store.session_key


def client_with(session_key: str) -> Client:
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    return client


def backend_of(session_key: str) -> str:
    return SessionStore(session_key).get(BACKEND_SESSION_KEY)


def test_sessions_signed_in_before_the_change_stay_signed_in():
    sara, omar = StudentFactory(), StudentFactory()
    before = session_of(sara, backend=PREVIOUS_BACKEND)
    other = session_of(omar, backend="axes.backends.AxesStandaloneBackend")
    assert not signed_in(client_with(before))  # what would happen without the migration
    MIGRATION.rename_backend(django_apps, EDITOR)
    assert backend_of(before) == ACCOUNT_BACKEND and signed_in(client_with(before))
    assert backend_of(other) == "axes.backends.AxesStandaloneBackend"
    MIGRATION.restore_backend(django_apps, EDITOR)
    assert backend_of(before) == PREVIOUS_BACKEND


def test_the_migration_leaves_expired_and_anonymous_sessions_alone():
    expired = session_of(StudentFactory(), backend=PREVIOUS_BACKEND, expire_in=-datetime.timedelta(days=1))
    anonymous = SessionStore()
    anonymous["reader_id"] = 7
    anonymous.save()
    stored = dict(Session.objects.values_list("pk", "session_data"))
    MIGRATION.rename_backend(django_apps, EDITOR)
    assert dict(Session.objects.values_list("pk", "session_data")) == stored
    assert expired in stored
