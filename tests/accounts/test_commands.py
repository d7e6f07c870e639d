"""`prune_readers`: unclaimed anonymous readers go once no session can reach them any more."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from apps.accounts.models import Reader
from apps.lessons.models import Lesson, LessonRead
from apps.quizzes.models import Attempt
from tests.factories import StudentFactory
from tests.helpers import reader_of

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 5, 4, 10, 0, tzinfo=datetime.UTC)
SESSION_AGE = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
MARGIN = datetime.timedelta(days=1)


def _prune_at(when: datetime.datetime) -> str:
    out = StringIO()
    with time_machine.travel(when, tick=False):
        call_command("prune_readers", stdout=out)
    return out.getvalue()


def _browser_that_read_and_took_a_quiz(when: datetime.datetime) -> Client:
    client = Client()
    with time_machine.travel(when, tick=False):
        client.post(Lesson.objects.select_related("module").first().get_absolute_url())
        client.post("/en/modules/alpha/quiz/")
    return client


def test_prune_readers_deletes_anonymous_readers_idle_past_the_session_age_and_margin():
    _browser_that_read_and_took_a_quiz(START)
    _browser_that_read_and_took_a_quiz(START + datetime.timedelta(days=3))
    account = reader_of(StudentFactory())
    LessonRead.objects.create(reader=account, lesson=Lesson.objects.first())
    Reader.objects.filter(pk=account.pk).update(last_active_at=START - datetime.timedelta(days=400))
    assert Reader.objects.count() == 3

    out = _prune_at(START + SESSION_AGE + MARGIN)
    assert "Deleted 0 unclaimed anonymous readers idle for more than 31 days." in out
    assert Reader.objects.count() == 3

    out = _prune_at(START + SESSION_AGE + MARGIN + datetime.timedelta(seconds=1))
    assert "Deleted 1 unclaimed anonymous readers" in out
    assert Reader.objects.count() == 2
    assert LessonRead.objects.count() == 2 and Attempt.objects.count() == 1
    assert Reader.objects.filter(pk=account.pk).exists()

    _prune_at(START + datetime.timedelta(days=3) + SESSION_AGE + MARGIN + datetime.timedelta(seconds=1))
    assert list(Reader.objects.all()) == [account]
    assert list(LessonRead.objects.values_list("reader", flat=True)) == [account.pk]


def test_a_browser_that_keeps_writing_keeps_its_reader():
    client = _browser_that_read_and_took_a_quiz(START)
    lessons = list(Lesson.objects.select_related("module"))
    # A write a day before the session would expire moves both the session and the reader on.
    later = START + SESSION_AGE - datetime.timedelta(days=1)
    with time_machine.travel(later, tick=False):
        client.post(lessons[1].get_absolute_url())
    _prune_at(START + SESSION_AGE + MARGIN + datetime.timedelta(days=2))
    reader = Reader.objects.get()
    with time_machine.travel(later + SESSION_AGE - datetime.timedelta(hours=1), tick=False):
        assert "2 of 3" in client.get("/en/modules/").content.decode()
    assert LessonRead.objects.filter(reader=reader).count() == 2
