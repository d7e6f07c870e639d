"""The scam lab: its content rules, the answers kept in the session, the feedback and the score."""

import re

import pytest
from django.apps import apps as django_apps

from apps.core.content import ContentError
from apps.labs import content
from apps.labs.content import CONTENT_DIR, KINDS, load_scams
from apps.labs.services import SESSION_KEY
from tests.helpers import assert_csp_clean, edited_copy
from tests.labs.conftest import FIXTURE

HTMX = {"HTTP_HX_REQUEST": "true"}


def edited(tmp_path, old: str, new: str):
    return edited_copy(FIXTURE, tmp_path, old, new)


# Content


def test_the_fixture_loads_with_its_clues(fixture_scams):
    assert [m.key for m in fixture_scams] == ["fee", "pin", "code"]
    assert [m.clue_indexes for m in fixture_scams] == [[1], [0, 1], []]
    assert fixture_scams[2].real and str(fixture_scams[2].why_real) == "It asks for nothing."


PROBLEMS = [
    ('kind = "sms"', 'kind = "pigeon"', "kind must be one of"),
    ("real = false", 'real = "no"', "real must be true or false"),
    ('key = "pin"', 'key = "fee"', "a key of its own"),
    (
        '  clue = true\n  why.en = "A fee and a strange link."',
        '  why.en = "A fee and a strange link."',
        "is not marked clue = true",
    ),
    ('  why.en = "No name."\n', "", "'why.en' is missing or empty"),
    ('why_real.en = "It asks for nothing."\nwhy_real.ar = "لا تطلب شيئًا."\n', "", "why_real"),
    ('advice.ar = "احذفها."', 'advice.ar = " "', "'advice.ar' is missing or empty"),
]


@pytest.mark.parametrize(("old", "new", "message"), PROBLEMS, ids=[p[2] for p in PROBLEMS])
def test_each_broken_rule_is_refused_with_its_reason(tmp_path, old, new, message):
    with pytest.raises(ContentError, match=re.escape(message)):
        load_scams(edited(tmp_path, old, new))


def test_a_fake_needs_a_clue_and_a_real_one_has_none(tmp_path):
    real = 'why_real.en = "It asks for nothing."\nwhy_real.ar = "لا تطلب شيئًا."\n'
    text = FIXTURE.read_text(encoding="utf-8").replace("real = true", "real = false", 1).replace(real, "")
    path = tmp_path / "scams.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError, match="a fake message needs at least one clue"):
        load_scams(path)
    text = FIXTURE.read_text(encoding="utf-8").replace("real = false", "real = true", 1)
    path.write_text(text.replace('advice.en = "Delete it."', 'advice.en = "Delete it."\n' + real, 1))
    with pytest.raises(ContentError, match="a real message has no clue parts"):
        load_scams(path)


def test_the_shipped_lab_has_twenty_messages_of_every_kind_real_and_fake():
    messages = load_scams(CONTENT_DIR / "scams.toml")
    assert len(messages) >= 20
    assert {m.kind for m in messages} == set(KINDS)
    reals = [m for m in messages if m.real]
    assert 5 <= len(reals) <= len(messages) - 10
    assert all(part.why for m in messages for part in m.parts if part.clue)


# Over HTTP


pytestmark = pytest.mark.django_db


def answer(client, key: str, verdict: str, part: str = "", **extra):
    return client.post(f"/en/labs/scams/{key}/", {"verdict": verdict, "part": part}, **extra)


def test_the_lab_lists_the_messages_and_starts_at_the_first(client):
    body = client.get("/en/labs/scams/").content.decode()
    assert 'href="/en/labs/scams/fee/">Start</a>' in body and "Your score" not in body
    assert_csp_clean(body)
    message = client.get("/en/labs/scams/fee/").content.decode()
    assert "Pay 1.99 now at fee.example" in message and 'name="verdict"' in message and "Clue" not in message
    assert "طردك ينتظر." in client.get("/ar/labs/scams/fee/").content.decode()


def test_an_answer_without_javascript_shows_every_clue_and_what_to_do(client):
    response = answer(client, "pin", "fake", "0")
    assert response.status_code == 302 and response["Location"] == "/en/labs/scams/pin/#message"
    body = client.get("/en/labs/scams/pin/").content.decode()
    assert "This message is fake." in body and "You found a clue." in body and "Every clue:" in body
    assert "No name." in body and "Banks never ask." in body and "Call your bank." in body
    assert 'href="/en/labs/scams/fee/"' in body  # the next unanswered message
    assert client.session[SESSION_KEY] == {"pin": {"verdict": "fake", "part": 0}}


def test_a_wrong_part_and_a_missed_real_message_are_said_so(client):
    answer(client, "fee", "fake", "0")
    assert (
        "The part you picked is not what gives it away." in client.get("/en/labs/scams/fee/").content.decode()
    )
    answer(client, "code", "fake")
    body = client.get("/en/labs/scams/code/").content.decode()
    assert "Not this time" in body and "This message is real." in body and "It asks for nothing." in body


def test_an_htmx_answer_swaps_the_card_and_announces_once(client):
    response = answer(client, "fee", "fake", "1", **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body and body.count('id="lab-announcer"') == 1
    assert "Right. This message is fake." in body and "A fee and a strange link." in body


def test_the_score_counts_verdicts_and_clues_and_lists_what_to_review(client):
    answer(client, "fee", "fake", "1")
    answer(client, "pin", "real")
    answer(client, "code", "real")
    body = client.get("/en/labs/scams/").content.decode()
    assert "2 of 3 right." in body and "Clues found in 1 of 2 fakes." in body
    review = body.split("To review", 1)[1].split("</ul>")[0]
    assert "/en/labs/scams/pin/" in review and "/en/labs/scams/fee/" not in review
    assert "See your score" in client.get("/en/labs/scams/code/").content.decode()


def test_answering_again_replaces_the_answer_and_start_again_clears(client):
    answer(client, "fee", "real")
    answer(client, "fee", "fake", "1")
    answer(client, "fee", "fake", "1")
    assert client.session[SESSION_KEY] == {"fee": {"verdict": "fake", "part": 1}}
    assert client.post("/en/labs/scams/start-again/").status_code == 302
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize(
    ("verdict", "part"),
    [("", ""), ("maybe", ""), ("fake", "9"), ("fake", "-1"), ("fake", "١"), ("fake", "x")],
)
def test_tampered_answers_are_refused_and_change_nothing(client, verdict, part):
    answer(client, "fee", "real")
    response = answer(client, "fee", verdict, part)
    assert response.status_code == 400
    assert client.session[SESSION_KEY] == {"fee": {"verdict": "real", "part": None}}


def test_an_unknown_message_is_not_found(client):
    assert client.get("/en/labs/scams/nope/").status_code == 404
    assert answer(client, "nope", "fake").status_code == 404


def test_answers_stay_in_the_session(student_client):
    def rows() -> int:
        return sum(
            m._default_manager.count()
            for m in django_apps.get_models()
            if m._meta.label != "sessions.Session"
        )

    before = rows()
    answer(student_client, "fee", "fake", "1")
    student_client.get("/en/labs/scams/")
    assert rows() == before


def test_the_pages_need_no_queries_beyond_the_session(client, django_assert_max_num_queries):
    answer(client, "fee", "fake", "1")
    with django_assert_max_num_queries(1):
        client.get("/en/labs/scams/")
    with django_assert_max_num_queries(1):
        client.get("/en/labs/scams/pin/")


def test_the_fraud_module_links_to_the_lab(client, monkeypatch):
    monkeypatch.setattr(content, "MODULE", "alpha")
    assert 'href="/en/labs/scams/"' in client.get("/en/modules/alpha/").content.decode()


# Progress: finishing the lab, and a teacher who set it


def answer_all(client):
    for key in ("fee", "pin", "code"):
        answer(client, key, "fake", "")


def test_answering_every_message_finishes_the_lab_once(student_client, student):
    from apps.labs.models import LabFinish
    from tests.helpers import reader_of

    answer(student_client, "fee", "fake", "1")
    assert not LabFinish.objects.exists()
    answer_all(student_client)
    answer(student_client, "fee", "real")
    (row,) = LabFinish.objects.all()
    assert row.reader == reader_of(student) and row.lab == "scams"
    export = student_client.get("/en/accounts/export/").json()
    assert export["labs_finished"] == [{"lab": "scams", "finished_at": row.finished_at.isoformat()}]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_finishes_store_one_row(student):
    from apps.labs.models import LabFinish
    from apps.labs.services import lab_finish
    from tests.helpers import reader_of, run_concurrently

    reader = reader_of(student)
    results = run_concurrently([lambda: lab_finish(reader=reader, lab="scams") for _ in range(4)])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert LabFinish.objects.filter(reader=reader).count() == 1


def test_a_teacher_sets_the_lab_and_sees_who_finished_it(teacher):
    import csv
    import io

    from django.test import Client

    from apps.classrooms import services as classroom_services
    from apps.classrooms.models import Assignment
    from tests.helpers import join_class

    classroom = classroom_services.classroom_create(teacher=teacher, name="Year 9 B")
    teacher_client = Client()
    teacher_client.force_login(teacher)
    url = f"/en/classes/{classroom.pk}/"
    assert teacher_client.post(f"{url}assignments/", {"work": "lab-scams", "due_date": ""}).status_code == 302
    assert teacher_client.post(f"{url}assignments/", {"work": "lab-nope", "due_date": ""}).status_code == 422
    (assignment,) = Assignment.objects.filter(classroom=classroom)
    assert (assignment.kind, assignment.lab, assignment.title) == ("lab", "scams", "Spot the scam")
    done, _idle = join_class(classroom, "hana", "omar")
    pupil = Client()
    pupil.force_login(done)
    dashboard = pupil.get("/en/dashboard/").content.decode()
    assert "Open the lab" in dashboard and 'href="/en/labs/scams/"' in dashboard
    answer_all(pupil)
    assert "1 of 2 done" in teacher_client.get(url).content.decode()
    student_page = teacher_client.get(f"{url}students/{done.pk}/").content.decode()
    assert 'id="lab-scams"' in student_page and "Finished" in student_page
    rows = list(csv.reader(io.StringIO(teacher_client.get(f"{url}export.csv").content.decode())))
    assert rows[0][3] == "Spot the scam: finished"
    assert {row[1]: row[3] for row in rows[1:]} == {"hana": "yes", "omar": "no"}
