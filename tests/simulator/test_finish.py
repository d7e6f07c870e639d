"""Finishing the simulator: the one thing recorded outside the session, and what a teacher sees of it."""

import csv
import io

import pytest
from django.test import Client

from apps.classrooms import services as classroom_services
from apps.classrooms.models import Assignment
from apps.simulator.models import SimulatorFinish
from apps.simulator.services import simulator_finish
from tests.helpers import join_class, reader_of, run_concurrently

pytestmark = pytest.mark.django_db
RACE = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def finish(client):
    return client.post("/en/simulator/finish/")


def test_there_is_nothing_to_finish_before_trying(client):
    response = finish(client)
    assert response.status_code == 400 and SimulatorFinish.objects.count() == 0
    assert "Try the simulator first" in response.content.decode()


def test_finishing_records_only_that_it_was_finished_and_is_safe_to_resend(student_client, student):
    student_client.post("/en/simulator/posts/run/", {"set": "comment:pet"})
    response = finish(student_client)
    assert response.status_code == 302 and response["Location"] == "/en/simulator/debrief/#finished"
    finish(student_client)
    (row,) = SimulatorFinish.objects.all()
    assert row.reader == reader_of(student) and row.scenario == "data-trail"
    body = student_client.get("/en/simulator/debrief/").content.decode()
    assert "Finished" in body and "Mark the simulator as finished" not in body
    export = student_client.get("/en/accounts/export/").json()
    assert export["simulator_finished"] == [
        {"scenario": "data-trail", "finished_at": row.finished_at.isoformat()}
    ]


def test_an_anonymous_finish_goes_with_the_reader_into_the_account_at_log_in(client, student, password):
    client.post("/en/simulator/posts/run/", {"set": "like:on"})
    finish(client)
    assert SimulatorFinish.objects.get().reader.user is None
    client.post("/en/accounts/login/", {"username": student.username, "password": password})
    assert SimulatorFinish.objects.get().reader == reader_of(student)


def test_the_debrief_offers_to_finish_only_after_trying(client):
    assert "Mark the simulator as finished" not in client.get("/en/simulator/debrief/").content.decode()
    client.post("/en/simulator/posts/run/", {"set": "like:on"})
    assert "Mark the simulator as finished" in client.get("/en/simulator/debrief/").content.decode()


@RACE
def test_concurrent_finishes_store_one_row(student):
    reader = reader_of(student)
    results = run_concurrently([lambda: simulator_finish(reader=reader) for _ in range(4)])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert SimulatorFinish.objects.filter(reader=reader).count() == 1


# A teacher sets the simulator


@pytest.fixture
def login():
    def login(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return login


@pytest.fixture
def set_class(teacher, login):
    classroom = classroom_services.classroom_create(teacher=teacher, name="Year 9 B")
    client = login(teacher)
    response = client.post(f"/en/classes/{classroom.pk}/assignments/", {"work": "simulator", "due_date": ""})
    assert response.status_code == 302
    return classroom, client


def test_a_teacher_sets_the_simulator_once_and_sees_who_finished_it(set_class, login):
    classroom, teacher = set_class
    client = teacher
    client.post(f"/en/classes/{classroom.pk}/assignments/", {"work": "simulator", "due_date": ""})
    (assignment,) = Assignment.objects.filter(classroom=classroom)
    assert assignment.kind == "simulator" and assignment.title == "The data-trail simulator"
    done, idle = join_class(classroom, "hana", "omar")
    page = client.get(f"/en/classes/{classroom.pk}/").content.decode()
    assert page.count("Not started") == 2
    pupil = login(done)
    pupil.post("/en/simulator/posts/run/", {"set": "like:on"})
    finish(pupil)
    page = client.get(f"/en/classes/{classroom.pk}/").content.decode()
    assert page.count("Not started") == 1 and "1 of 2 done" in page
    student_page = client.get(f"/en/classes/{classroom.pk}/students/{done.pk}/").content.decode()
    assert 'id="simulator"' in student_page and "Finished" in student_page and "Run Club" not in student_page
    rows = list(
        csv.reader(io.StringIO(client.get(f"/en/classes/{classroom.pk}/export.csv").content.decode()))
    )
    assert rows[0][3] == "The data-trail simulator: finished"
    assert {row[1]: row[3] for row in rows[1:]} == {"hana": "yes", "omar": "no"}


def test_a_student_sees_the_simulator_set_on_the_dashboard(set_class, login):
    classroom, _teacher = set_class
    (pupil,) = join_class(classroom, "hana")
    client = login(pupil)
    body = client.get("/en/dashboard/").content.decode()
    assert "Open the simulator" in body and 'href="/en/simulator/"' in body and "Not finished yet" in body
    client.post("/en/simulator/posts/run/", {"set": "like:on"})
    finish(client)
    body = client.get("/en/dashboard/").content.decode()
    assert "Open the simulator" not in body and "Finished" in body
