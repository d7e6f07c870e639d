"""Throttles that bound what one client creates without being turned against others: accounts per
address (generous enough for a class signing up together) and anonymous readers per address."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from apps.accounts import readers
from apps.accounts import services as account_services
from apps.accounts.models import Reader, User
from apps.core.models import RateEvent
from apps.core.throttle import Throttle, address_key, throttle_allows
from apps.lessons.models import Lesson, LessonRead
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

SCHOOL = "203.0.113.7"
HOME = "198.51.100.20"
HOUR = datetime.timedelta(hours=1)


def sign_up(username: str, *, address: str = SCHOOL, **headers):
    data = {
        "username": username,
        "email": "",
        "role": "student",
        "password1": "a-strong-passphrase-42",
        "password2": "a-strong-passphrase-42",
    }
    return Client().post("/en/accounts/signup/", data, **{"REMOTE_ADDR": address, **headers})


# --- The counter -----------------------------------------------------------------------------


def test_a_throttle_counts_per_scope_and_key_within_its_window():
    throttle = Throttle("test", limit=2, window=HOUR)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert [throttle_allows(throttle, key="a") for _ in range(3)] == [True, True, False]
        assert throttle_allows(throttle, key="b")
        assert throttle_allows(Throttle("other", limit=1, window=HOUR), key="a")
    with time_machine.travel(start + HOUR - datetime.timedelta(seconds=1), tick=False):
        assert not throttle_allows(throttle, key="a")
    with time_machine.travel(start + HOUR + datetime.timedelta(seconds=1), tick=False):
        assert throttle_allows(throttle, key="a")
        # Rows older than the window are gone; the other scope's row is that scope's business.
        assert sorted(RateEvent.objects.values_list("scope", "key")) == [("other", "a"), ("test", "a")]


def test_only_a_keyed_hash_of_the_address_is_stored():
    key = address_key(SCHOOL)
    assert key.startswith("addr:") and len(key) == len("addr:") + 40
    assert SCHOOL not in key and key == address_key(SCHOOL) != address_key(HOME)


# --- Sign-ups --------------------------------------------------------------------------------


def test_a_class_of_forty_signs_up_from_one_address_in_ten_minutes():
    start = timezone.now()
    for number in range(40):
        with time_machine.travel(start + datetime.timedelta(seconds=15 * number), tick=False):
            assert sign_up(f"pupil-{number}").status_code == 302
    assert User.objects.filter(username__startswith="pupil-").count() == 40
    assert account_services.SIGN_UPS.limit >= 100 and account_services.SIGN_UPS.window == HOUR


def test_past_the_limit_a_sign_up_is_refused_with_a_message_and_creates_nothing(monkeypatch):
    monkeypatch.setattr(account_services, "SIGN_UPS", Throttle("sign-up", limit=3, window=HOUR))
    assert [sign_up(f"pupil-{n}").status_code for n in range(3)] == [302] * 3
    response = sign_up("one-too-many")
    assert response.status_code == 429 and response["Retry-After"]
    assert "Too many accounts were created from your network this hour." in response.content.decode()
    assert not User.objects.filter(username="one-too-many").exists()
    arabic = Client().post("/ar/accounts/signup/", {"username": "x"}, REMOTE_ADDR=SCHOOL)
    assert arabic.status_code == 422  # an invalid form is not counted
    assert sign_up("from-home", address=HOME).status_code == 302


def test_the_refusal_is_in_the_pages_language(monkeypatch):
    monkeypatch.setattr(account_services, "SIGN_UPS", Throttle("sign-up", limit=0, window=HOUR))
    data = {
        "username": "lina",
        "role": "student",
        "password1": "a-strong-pass-42",
        "password2": "a-strong-pass-42",
    }
    body = Client().post("/ar/accounts/signup/", data, REMOTE_ADDR=SCHOOL).content.decode()
    assert 'lang="ar"' in body and "Too many accounts" not in body and "حسابات" in body


def test_behind_a_trusted_proxy_sign_ups_count_the_client_not_the_proxy(monkeypatch, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    monkeypatch.setattr(account_services, "SIGN_UPS", Throttle("sign-up", limit=2, window=HOUR))
    proxy = "10.0.0.1"
    for n in range(2):
        assert sign_up(f"a-{n}", address=proxy, HTTP_X_FORWARDED_FOR="192.0.2.9").status_code == 302
    assert sign_up("a-2", address=proxy, HTTP_X_FORWARDED_FOR="192.0.2.9").status_code == 429
    assert sign_up("b-0", address=proxy, HTTP_X_FORWARDED_FOR="192.0.2.10").status_code == 302


def test_without_a_trusted_proxy_a_forged_forwarded_for_does_not_escape(monkeypatch):
    monkeypatch.setattr(account_services, "SIGN_UPS", Throttle("sign-up", limit=2, window=HOUR))
    statuses = [sign_up(f"a-{n}", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code for n in range(3)]
    assert statuses == [302, 302, 429]


# --- Anonymous readers -----------------------------------------------------------------------


def test_one_address_cannot_start_anonymous_readers_without_bound(monkeypatch):
    monkeypatch.setattr(readers, "NEW_READERS", Throttle("new-reader", limit=2, window=HOUR))
    lesson = Lesson.objects.select_related("module").first()
    url = lesson.get_absolute_url()
    browsers = [Client() for _ in range(3)]
    assert [b.post(url, REMOTE_ADDR=SCHOOL).status_code for b in browsers[:2]] == [302, 302]
    # A client dropping its cookie on every write is refused; nothing is stored for it.
    response = browsers[2].post(url, REMOTE_ADDR=SCHOOL)
    assert response.status_code == 429
    assert "Too many new visitors from your network this hour." in response.content.decode()
    assert (Reader.objects.count(), LessonRead.objects.count()) == (2, 2)
    # Browsers that already have their reader, and people logged in, go on writing.
    other = Lesson.objects.exclude(pk=lesson.pk).select_related("module").first()
    assert browsers[0].post(other.get_absolute_url(), REMOTE_ADDR=SCHOOL).status_code == 302
    student = Client()
    student.force_login(StudentFactory())
    assert student.post(url, REMOTE_ADDR=SCHOOL).status_code == 302
    assert LessonRead.objects.count() == 4


def test_the_shipped_reader_limit_leaves_room_for_a_school():
    assert readers.NEW_READERS.limit >= 300 and readers.NEW_READERS.window == HOUR
