"""One student's work, for the class's teachers (issue #11, item 3): who may open it, what it shows,
the links to it from the class grid, and a number of queries that does not grow with the attempts."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from apps.classrooms import selectors, services
from apps.classrooms.models import Membership
from apps.quizzes.services import attempt_start
from tests.factories import ClassroomFactory, StudentFactory, TeacherFactory
from tests.helpers import answer_all, assert_csp_clean, join_class, quiz_for, reader_of

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
VISUALLY_HIDDEN = re.compile(r'<span class="visually-hidden">(.*?)</span>', re.DOTALL)


def student_url(classroom, student_id, lang: str = "en") -> str:
    return f"/{lang}/classes/{classroom.pk}/students/{student_id}/"


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def section(body: str, element_id: str) -> str:
    match = re.search(rf'<(section|article) id="{element_id}".*?</\1>', body, re.DOTALL)
    assert match, element_id
    return match.group()


@pytest.fixture
def co_teacher(classroom, teacher):
    co_teacher = TeacherFactory(username="mr-nasser")
    services.co_teacher_add(classroom=classroom, actor=teacher, username="mr-nasser")
    return co_teacher


@pytest.fixture
def people(teacher, member, co_teacher):
    return {
        "anonymous": None,
        "outsider": StudentFactory(),
        "member": member,
        "other_teacher": TeacherFactory(),
        "co_teacher": co_teacher,
        "owner": teacher,
    }


# --- Who may open it -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("outsider", 403),
        ("member", 403),
        ("other_teacher", 404),
        ("co_teacher", 200),
        ("owner", 200),
    ],
)
def test_only_the_classs_teachers_open_a_students_page(classroom, member, people, login, who, expected):
    url = student_url(classroom, member.pk)
    response = login(people[who]).get(url)
    assert response.status_code == expected
    if who == "anonymous":
        assert response.url == f"{LOGIN}?next={url}"


def test_a_student_who_is_not_in_the_class_is_not_found(classroom, member, teacher, teacher_client):
    (elsewhere,) = join_class(ClassroomFactory(teacher=teacher), "in-my-other-class")
    (theirs,) = join_class(ClassroomFactory(), "in-another-teachers-class")
    for student in [elsewhere, theirs, StudentFactory(), teacher]:
        assert teacher_client.get(student_url(classroom, student.pk)).status_code == 404


def test_a_student_who_left_is_no_longer_found(classroom, member, teacher_client):
    Membership.objects.filter(classroom=classroom, student=member).delete()
    assert teacher_client.get(student_url(classroom, member.pk)).status_code == 404


@pytest.mark.parametrize("big", [2**31, 2**63, 10**30])
def test_huge_ids_are_not_found(classroom, member, teacher_client, big):
    assert teacher_client.get(f"/en/classes/{classroom.pk}/students/{big}/").status_code == 404
    assert teacher_client.get(f"/en/classes/{big}/students/{member.pk}/").status_code == 404


def test_the_page_takes_only_safe_methods(classroom, member, teacher_client):
    assert teacher_client.post(student_url(classroom, member.pk)).status_code == 405


# --- What it shows ---------------------------------------------------------------------------


def timed_attempt(user, *, right: int, minutes: int, seconds: int, start: datetime.datetime = START):
    """A finished attempt on alpha, started at `start` and finished this long after."""
    with time_machine.travel(start, tick=False):
        attempt = attempt_start(quiz=quiz_for("alpha"), reader=reader_of(user))
    with time_machine.travel(start + datetime.timedelta(minutes=minutes, seconds=seconds), tick=False):
        answer_all(attempt, right=right)
    attempt.refresh_from_db()
    return attempt


def test_the_page_names_the_student_and_their_dates(classroom, teacher_client):
    with time_machine.travel(START - datetime.timedelta(days=20), tick=False):
        (student,) = join_class(classroom, "sara-h")
    student.display_name = "Sara H."
    student.save()
    body = teacher_client.get(student_url(classroom, student.pk)).content.decode()
    assert "<h1><bdi>Sara H.</bdi></h1>" in body
    assert '<span dir="ltr">sara-h</span>' in body
    assert "10 February 2026" in body  # joined
    assert "No activity yet" in body and "No quiz attempt yet." in body
    reader = reader_of(student)
    reader.last_active_at = START
    reader.save()
    body = teacher_client.get(student_url(classroom, student.pk)).content.decode()
    assert "2 March 2026" in text_of(body) and "No activity yet" not in body
    assert_csp_clean(body)


def test_the_page_shows_the_lessons_read_with_their_dates(classroom, member, teacher_client, progress):
    with time_machine.travel(START, tick=False):
        progress.read(member, count=2)
    body = teacher_client.get(student_url(classroom, member.pk)).content.decode()
    alpha = text_of(section(body, "module-alpha"))
    assert "2 of 3 lessons read" in alpha
    assert "Alpha lesson 1: first-steps · ✓ Read 2 March 2026" in alpha
    assert alpha.count("✓ Read") == 2 and alpha.count("Not read") == 1


def test_each_attempt_shows_its_score_time_and_every_answer_right_or_wrong(classroom, member, teacher_client):
    older = timed_attempt(member, right=6, minutes=3, seconds=5)
    newer = timed_attempt(member, right=2, minutes=0, seconds=42, start=START + datetime.timedelta(days=1))
    unfinished = attempt_start(quiz=quiz_for("beta"), reader=reader_of(member))
    body = teacher_client.get(student_url(classroom, member.pk)).content.decode()
    attempts = section(body, "attempts")
    ids = re.findall(r'<article id="attempt-(\d+)"', attempts)
    assert ids == [str(unfinished.pk), str(newer.pk), str(older.pk)]  # newest first, every module
    first = text_of(section(body, f"attempt-{older.pk}"))
    assert "Score 75% ( 6 of 8 ) ✓ Passed" in first and "Time taken 3 min 05 s" in first
    assert first.count("✓ Right") == 6 and first.count("✗ Wrong") == 2
    assert "Picked: “alpha q1 choice b”" in first or "Picked: “alpha q1 choice a”" in first
    second = text_of(section(body, f"attempt-{newer.pk}"))
    assert "✗ Not passed" in second and "Time taken 42 s" in second
    assert second.count("✓ Right") == 2 and second.count("✗ Wrong") == 6
    # Not by colour alone: each verdict is a badge with words.
    assert section(body, f"attempt-{older.pk}").count('<span class="badge badge-bad">') == 2
    third = text_of(section(body, f"attempt-{unfinished.pk}"))
    assert "Score not finished" in third and "Time taken not finished" in third
    # The module's section links to its attempts on the page.
    alpha = section(body, "module-alpha")
    assert f'href="#attempt-{newer.pk}"' in alpha and f'href="#attempt-{unfinished.pk}"' not in alpha


def test_a_multiple_choice_answer_lists_every_choice_picked(classroom, member, teacher_client):
    attempt = timed_attempt(member, right=8, minutes=1, seconds=0)
    body = text_of(teacher_client.get(student_url(classroom, member.pk)).content.decode())
    assert "alpha question 2? ✓ Right Picked: “alpha q2 choice a”, “alpha q2 choice b”" in body
    assert attempt.passed


def test_checklist_progress_only_when_the_student_shares_it(
    classroom, member, login, teacher_client, progress
):
    progress.tick(member, 2)
    checklist = text_of(
        section(teacher_client.get(student_url(classroom, member.pk)).content.decode(), "checklist")
    )
    assert "not shared" in checklist and "Everywhere" not in checklist
    login(member).post(f"/en/dashboard/classes/{classroom.pk}/share/", {"share": "yes"})
    body = teacher_client.get(student_url(classroom, member.pk)).content.decode()
    checklist = text_of(section(body, "checklist"))
    assert "not shared" not in checklist
    assert "Everywhere 2 of 2" in checklist and "Photobook 0 of 3" in checklist
    assert "everywhere setting" not in body  # counts, never which items


def test_sharing_with_another_class_does_not_share_with_this_one(classroom, member, teacher_client, progress):
    Membership.objects.create(classroom=ClassroomFactory(), student=member, share_checklist=True)
    progress.tick(member, 1)
    body = teacher_client.get(student_url(classroom, member.pk)).content.decode()
    assert "not shared" in text_of(section(body, "checklist"))


def test_the_page_in_arabic_reads_only_arabic_columns(classroom, member, teacher_client, progress):
    progress.read(member, count=1)
    timed_attempt(member, right=1, minutes=2, seconds=0)
    response = teacher_client.get(student_url(classroom, member.pk, lang="ar"))
    body = response.content.decode()
    assert 'lang="ar" dir="rtl"' in body
    assert "سؤال 1 من alpha؟" in body and "alpha question 1?" not in body
    membership = Membership.objects.get(classroom=classroom, student=member)
    with translation.override("ar"), CaptureQueriesContext(connection) as captured:
        work = selectors.student_work(classroom=classroom, membership=membership)
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    for column in ["title_en", "prompt_en", "text_en", "explanation_", "body_", "summary_"]:
        assert column not in sql, column
    assert work.attempts and work.modules


# --- The grid links here ---------------------------------------------------------------------


def test_every_name_and_cell_of_the_grid_links_to_the_students_page(classroom, beta, teacher_client):
    services.assignment_set(classroom=classroom, module=beta, due_date=None)
    ann, bob = join_class(classroom, "ann", "bob")
    body = teacher_client.get(f"/en/classes/{classroom.pk}/").content.decode()
    for student in [ann, bob]:
        url = student_url(classroom, student.pk)
        assert f'<th scope="row"><a href="{url}">{student.username}</a></th>' in body
        for slug in ["alpha", "beta"]:
            assert body.count(f'<a class="cell-link" href="{url}#module-{slug}">') == 1
    hidden = [" ".join(text.split()) for text in VISUALLY_HIDDEN.findall(body)]
    assert "ann, Alpha: how traces add up:" in hidden and "bob, Beta: what you can change:" in hidden
    page = teacher_client.get(student_url(classroom, ann.pk)).content.decode()
    assert '<section id="module-alpha"' in page and '<section id="module-beta"' in page


# --- Query count -----------------------------------------------------------------------------


def busy_student(classroom, name: str, *, attempts: int, share: bool = True):
    (student,) = join_class(classroom, name, share=share)
    for number in range(attempts):
        attempt = attempt_start(quiz=quiz_for("alpha" if number % 2 else "beta"), reader=reader_of(student))
        answer_all(attempt, right=number % 8)
    attempt_start(quiz=quiz_for("alpha"), reader=reader_of(student))  # one left unfinished
    return student


def test_the_page_takes_as_many_queries_for_any_number_of_attempts(
    classroom, beta, teacher_client, progress, django_assert_num_queries
):
    services.assignment_set(classroom=classroom, module=beta, due_date=None)
    few = busy_student(classroom, "few", attempts=1)
    many = busy_student(classroom, "many", attempts=9)
    progress.read(few, count=1)
    progress.read(many)
    progress.tick(many, 3)
    with CaptureQueriesContext(connection) as small:
        assert teacher_client.get(student_url(classroom, few.pk)).status_code == 200
    with django_assert_num_queries(len(small.captured_queries)):
        response = teacher_client.get(student_url(classroom, many.pk))
    assert response.content.decode().count('<article id="attempt-') == 10
