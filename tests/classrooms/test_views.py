"""apps/classrooms/views.py over HTTP: who may do what, the class page and its CSV, joining, the dashboard."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.checklist.models import ChecklistGroup
from apps.classrooms import services
from apps.classrooms.forms import AssignmentForm
from apps.classrooms.models import Assignment, Classroom, JoinFailure, Membership, Status
from apps.lessons.models import Lesson, Module
from tests.factories import ClassroomFactory, StudentFactory, TeacherFactory
from tests.helpers import assert_csp_clean, at_noon, join_class, logged_in_clients, run_concurrently

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"
DUE = datetime.date(2026, 3, 10)
# Races run on a transactional database; serialized rollback brings the fixture content back.
RACE = pytest.mark.django_db(transaction=True, serialized_rollback=True)
ROW_HEADER = re.compile(r'<th scope="row">(?:<a href="[^"]*">)?([^<]+)(?:</a>)?</th>')
VISUALLY_HIDDEN = re.compile(r'<span class="visually-hidden">.*?</span>', re.DOTALL)


def page(client, classroom, query: str = "", lang: str = "en") -> str:
    response = client.get(f"/{lang}/classes/{classroom.pk}/{query}")
    assert response.status_code == 200
    return response.content.decode()


def row_names(body: str) -> list[str]:
    return ROW_HEADER.findall(body)


def csv_rows(response) -> list[list[str]]:
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content.removeprefix("\ufeff"))))


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- Access matrix ---------------------------------------------------------------------------

TEACHER_URLS = [
    ("get", "/en/classes/{id}/"),
    ("get", "/en/classes/{id}/export.csv"),
    ("get", "/en/classes/{id}/summary/"),
    ("post", "/en/classes/{id}/assignments/"),
    ("post", "/en/classes/{id}/assignments/{assignment}/delete/"),
    ("post", "/en/classes/{id}/code/"),
    ("post", "/en/classes/{id}/students/{member}/remove/"),
]


@pytest.fixture
def people(teacher, member):
    return {
        "anonymous": None,
        "outsider": StudentFactory(),
        "member": member,
        "other_teacher": TeacherFactory(),
        "owner": teacher,
    }


def teacher_path(url: str, classroom, member) -> str:
    return url.format(id=classroom.pk, assignment=classroom.assignments.get().pk, member=member.pk)


@pytest.mark.parametrize("who", ["anonymous", "outsider", "member", "other_teacher"])
@pytest.mark.parametrize(("method", "url"), TEACHER_URLS)
def test_only_the_owner_reaches_a_teacher_url(classroom, member, beta, people, login, who, method, url):
    path = teacher_path(url, classroom, member)
    code = classroom.join_code
    data = {"work": f"module-{beta.pk}", "due_date": "2026-12-01"} if method == "post" else None
    response = getattr(login(people[who]), method)(path, data)
    if who == "anonymous":
        assert response.status_code == 302 and response.url.startswith(f"{LOGIN}?next=")
    else:
        assert response.status_code == {"outsider": 403, "member": 403, "other_teacher": 404}[who]
    assert Membership.objects.filter(classroom=classroom, student=member).exists()
    assert list(classroom.assignments.values_list("module__slug", "due_date")) == [("alpha", None)]
    assert Classroom.objects.get(pk=classroom.pk).join_code == code


@pytest.mark.parametrize(("method", "url"), TEACHER_URLS)
def test_the_owner_reaches_every_teacher_url(classroom, member, beta, teacher_client, method, url):
    path = teacher_path(url, classroom, member)
    data = {"work": f"module-{beta.pk}"} if method == "post" else None
    response = getattr(teacher_client, method)(path, data)
    if method == "get":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response.url.startswith(classroom.get_absolute_url())


STUDENT_URLS = ["/en/dashboard/classes/{id}/leave/", "/en/dashboard/classes/{id}/share/"]


@pytest.mark.parametrize(("who", "expected"), [("anonymous", 302), ("owner", 403), ("outsider", 404)])
@pytest.mark.parametrize("url", STUDENT_URLS)
def test_only_a_member_reaches_a_member_url(classroom, member, people, login, who, expected, url):
    response = login(people[who]).post(url.format(id=classroom.pk), {"share": "yes"})
    assert response.status_code == expected
    if who == "anonymous":
        assert response.url.startswith(f"{LOGIN}?next=")
    membership = Membership.objects.get(classroom=classroom, student=member)
    assert not membership.share_checklist


@pytest.mark.parametrize("url", STUDENT_URLS)
def test_a_member_reaches_every_member_url(classroom, member, login, url):
    response = login(member).post(url.format(id=classroom.pk), {"share": "yes"})
    assert (response.status_code, response.url) == (302, "/en/dashboard/")


@pytest.mark.parametrize(
    ("who", "url", "expected"),
    [
        ("anonymous", "/en/classes/", 302),
        ("member", "/en/classes/", 403),
        ("other_teacher", "/en/classes/", 200),
        ("owner", "/en/classes/", 200),
        ("anonymous", "/en/dashboard/", 302),
        ("member", "/en/dashboard/", 200),
        ("outsider", "/en/dashboard/", 200),
        ("owner", "/en/dashboard/", 302),
        ("anonymous", "/en/join/", 302),
        ("member", "/en/join/", 200),
        ("owner", "/en/join/", 403),
        ("anonymous", "/en/join/ANYCODE2/", 200),
        ("owner", "/en/join/ANYCODE2/", 200),
    ],
)
def test_lists_dashboard_and_join_pages(people, login, who, url, expected):
    response = login(people[who]).get(url)
    assert response.status_code == expected
    if who == "anonymous" and expected == 302:
        assert response.url == f"{LOGIN}?next={url}"


def test_a_teacher_opening_the_dashboard_goes_to_the_class_list(teacher_client):
    assert teacher_client.get("/en/dashboard/").url == "/en/classes/"


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/en/classes/{id}/assignments/"),
        ("get", "/en/classes/{id}/assignments/{assignment}/delete/"),
        ("get", "/en/classes/{id}/code/"),
        ("put", "/en/classes/{id}/students/{member}/remove/"),
        ("post", "/en/classes/{id}/"),
        ("post", "/en/classes/{id}/export.csv"),
        ("post", "/en/classes/{id}/summary/"),
        ("put", "/en/classes/"),
    ],
)
def test_teacher_urls_refuse_other_methods(classroom, member, teacher_client, method, url):
    response = getattr(teacher_client, method)(teacher_path(url, classroom, member))
    assert response.status_code == 405
    assert Membership.objects.filter(classroom=classroom).exists() and classroom.assignments.exists()


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("delete", "/en/dashboard/classes/{id}/leave/"),
        ("get", "/en/dashboard/classes/{id}/share/"),
        ("post", "/en/dashboard/"),
        ("post", "/en/join/{code}/"),
    ],
)
def test_student_urls_refuse_other_methods(classroom, member, login, method, url):
    response = getattr(login(member), method)(url.format(id=classroom.pk, code=classroom.join_code))
    assert response.status_code == 405
    assert Membership.objects.filter(classroom=classroom, student=member).exists()


def test_removing_a_student_asks_first_on_its_own_page(classroom, member, teacher_client):
    body = teacher_client.get(f"/en/classes/{classroom.pk}/students/{member.pk}/remove/").content.decode()
    assert "Remove <bdi>sara</bdi> from the class?" in body and "Remove from the class" in body
    assert Membership.objects.filter(classroom=classroom, student=member).exists()
    grid = teacher_client.get(f"/en/classes/{classroom.pk}/").content.decode()
    assert f'data-confirm-action="/en/classes/{classroom.pk}/students/{member.pk}/remove/"' in grid
    assert '<dialog id="confirm-dialog"' in grid


def test_leaving_asks_first_on_its_own_page(classroom, member, login):
    client = login(member)
    body = client.get(f"/en/dashboard/classes/{classroom.pk}/leave/").content.decode()
    assert "Leave the class" in body and "Year 9 B" in body
    assert Membership.objects.filter(classroom=classroom, student=member).exists()
    assert (
        f'data-confirm-action="/en/dashboard/classes/{classroom.pk}/leave/"'
        in client.get("/en/dashboard/").content.decode()
    )


@pytest.mark.parametrize("shared", [True, False])
def test_a_student_who_leaves_and_rejoins_keeps_their_sharing_choice(classroom, member, login, shared):
    client = login(member)
    client.post(f"/en/dashboard/classes/{classroom.pk}/share/", {"share": "yes" if shared else "no"})
    client.post(f"/en/dashboard/classes/{classroom.pk}/leave/")
    assert not Membership.objects.filter(classroom=classroom, student=member).exists()
    client.post("/en/join/", {"code": classroom.join_code})
    assert Membership.objects.get(classroom=classroom, student=member).share_checklist is shared


def test_a_new_member_does_not_share_by_default(classroom, login):
    student = StudentFactory()
    login(student).post("/en/join/", {"code": classroom.join_code})
    assert Membership.objects.get(classroom=classroom, student=student).share_checklist is False


# --- Tampered ids ----------------------------------------------------------------------------


@pytest.mark.parametrize("big", [2**31, 2**63, 10**30])
@pytest.mark.parametrize(
    ("method", "url", "expected"),
    [
        ("get", "/en/classes/{big}/", 404),
        ("get", "/en/classes/{big}/export.csv", 404),
        ("get", "/en/classes/{big}/summary/", 404),
        ("post", "/en/classes/{big}/assignments/", 404),
        ("post", "/en/classes/{big}/code/", 404),
        ("post", "/en/classes/{big}/students/{member}/remove/", 404),
        # Within the id range, removing nothing goes back to the class; past it, the URL is no URL of ours.
        ("post", "/en/classes/{id}/assignments/{big}/delete/", "no-op"),
        ("post", "/en/classes/{id}/students/{big}/remove/", "no-op"),
    ],
)
def test_huge_ids_in_teacher_urls_are_not_found(
    classroom, member, teacher_client, big, method, url, expected
):
    path = url.format(big=big, id=classroom.pk, member=member.pk)
    if expected == "no-op":
        expected = 302 if big < 2**63 else 404
    response = getattr(teacher_client, method)(path, {"work": f"module-{big}"} if method == "post" else None)
    assert response.status_code == expected
    assert Membership.objects.filter(classroom=classroom, student=member).exists()
    assert classroom.assignments.count() == 1


@pytest.mark.parametrize("big", [2**63, 10**30])
@pytest.mark.parametrize("url", STUDENT_URLS)
def test_huge_ids_in_member_urls_are_not_found(member, login, big, url):
    assert login(member).post(url.format(id=big), {"share": "yes"}).status_code == 404
    assert Membership.objects.filter(student=member).exists()


@pytest.mark.parametrize(
    "path", ["/en/classes/abc/", "/en/classes/-1/", "/en/classes/1.5/", "/en/classes/%201/"]
)
def test_ids_that_are_not_numbers_are_not_found(teacher_client, path):
    assert teacher_client.get(path).status_code == 404


def test_another_classs_assignment_or_student_cannot_be_removed_through_mine(
    classroom, teacher_client, alpha
):
    theirs = ClassroomFactory()
    (their_student,) = join_class(theirs, "theirs")
    their_assignment = services.assignment_set(classroom=theirs, module=alpha, due_date=None)
    teacher_client.post(f"/en/classes/{classroom.pk}/assignments/{their_assignment.pk}/delete/")
    teacher_client.post(f"/en/classes/{classroom.pk}/students/{their_student.pk}/remove/")
    assert Assignment.objects.filter(pk=their_assignment.pk).exists()
    assert Membership.objects.filter(classroom=theirs, student=their_student).exists()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"work": ""},
        {"work": "abc"},
        {"work": "module"},
        {"work": "module-"},
        {"work": "module-99999"},
        {"work": "lesson-99999"},
        {"work": "checklist-99999"},
        {"work": "lesson-abc"},
        {"work": f"module-{2**63}"},
        {"work": f"checklist-{10**30}"},
        {"module": "ALPHA"},
        {"work": "module-ALPHA", "due_date": "not-a-date"},
        {"work": "module-ALPHA", "due_date": "2026-02-30"},
    ],
)
def test_a_bad_assignment_is_refused_and_changes_nothing(classroom, teacher_client, beta, data):
    data = {key: value.replace("ALPHA", str(beta.pk)) for key, value in data.items()}
    response = teacher_client.post(f"/en/classes/{classroom.pk}/assignments/", data)
    assert response.status_code == 422
    body = response.content.decode()
    assert "<h1>Year 9 B</h1>" in body and "Please fix the problems below." in body
    assert list(classroom.assignments.values_list("module__slug", flat=True)) == ["alpha"]


# --- Classes and codes -----------------------------------------------------------------------


def test_a_teacher_creates_a_class(teacher_client, teacher):
    response = teacher_client.post("/en/classes/", {"name": "  Digital skills "}, follow=True)
    classroom = Classroom.objects.get(teacher=teacher)
    assert response.redirect_chain == [(classroom.get_absolute_url(), 302)]
    assert classroom.name == "Digital skills"
    body = response.content.decode()
    assert "Class created. Share its code with your students." in body
    assert classroom.join_code in body
    assert f"http://testserver/en/join/{classroom.join_code}/" in body


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_a_bad_class_name_is_refused(teacher_client, name):
    response = teacher_client.post("/en/classes/", {"name": name})
    assert response.status_code == 422
    assert not Classroom.objects.exists()


def test_the_class_list_summarises_each_class(teacher, teacher_client, alpha, progress):
    classroom = services.classroom_create(teacher=teacher, name="Year 9 B")
    services.assignment_set(classroom=classroom, module=alpha, due_date=DUE)
    done, _late, _late_too = join_class(classroom, "done", "late", "late-too")
    progress.read(done)
    progress.quiz(done, right=6)
    services.classroom_create(teacher=teacher, name="Empty class")
    ClassroomFactory(name="Someone else's")
    with at_noon(DUE + datetime.timedelta(days=1)):
        body = teacher_client.get("/en/classes/").content.decode()
    assert body.index("Empty class") < body.index("Year 9 B")
    assert "Someone else" not in body
    assert "3 students · 1 assignment" in body and "0 students · 0 assignments" in body
    assert "1 of 3 student assignments done" in body and "2 overdue" in body
    assert body.count("student assignments done") == 1  # not for a class without cells


def test_a_new_code_voids_the_old_one(classroom, teacher_client, login):
    old = classroom.join_code
    response = teacher_client.post(f"/en/classes/{classroom.pk}/code/", follow=True)
    assert response.redirect_chain == [(f"{classroom.get_absolute_url()}#join", 302)]
    assert "New code ready. The old code no longer works." in response.content.decode()
    classroom.refresh_from_db()
    assert classroom.join_code != old
    assert login(StudentFactory()).post("/en/join/", {"code": old}).status_code == 422


# --- Joining ---------------------------------------------------------------------------------


def test_a_student_joins_with_a_code_typed_loosely(classroom, student_client, student):
    code = classroom.join_code.lower()
    response = student_client.post("/en/join/", {"code": f" {code[:4]}-{code[4:]} "}, follow=True)
    assert response.redirect_chain == [("/en/dashboard/", 302)]
    assert messages_of(response) == ["You joined “Year 9 B”."]
    assert Membership.objects.filter(classroom=classroom, student=student).exists()
    assert "Year 9 B" in response.content.decode()


def test_joining_twice_is_harmless(classroom, member, login):
    response = login(member).post("/en/join/", {"code": classroom.join_code}, follow=True)
    assert messages_of(response) == ["You are already in “Year 9 B”."]
    assert Membership.objects.filter(classroom=classroom, student=member).count() == 1


@pytest.mark.parametrize("code", ["WRONG234", "", "x" * 21])
def test_a_wrong_or_bad_code_is_refused(classroom, student_client, code):
    response = student_client.post("/en/join/", {"code": code})
    assert response.status_code == 422
    if code == "WRONG234":
        assert (
            "<li>No class has this code. Check it with your teacher: codes have 8 letters and digits.</li>"
            in response.content.decode()
        )
    assert not Membership.objects.exists()


def test_the_join_page_shows_a_form(student_client):
    body = student_client.get("/en/join/").content.decode()
    assert 'name="code"' in body and 'action="/en/join/"' in body


def test_a_join_link_shows_the_class_and_a_form_with_its_code(classroom, student_client):
    body = student_client.get(f"/en/join/{classroom.join_code.lower()}/").content.decode()
    assert "You are invited to join “Year 9 B” (teacher: ms-haddad)." in body
    assert f'value="{classroom.join_code.lower()}"' in body and 'action="/en/join/"' in body


def test_a_voided_join_link_says_so(student_client):
    body = student_client.get("/en/join/ZZZZZZZZ/").content.decode()
    assert "This link does not work any more" in body
    assert 'action="/en/join/"' not in body


@pytest.mark.parametrize("code", ["A" * 500, "%D9%A3%D9%A3", "<script>", "..", "ABCD%202345"])
def test_a_join_link_with_a_tampered_code_finds_no_class(classroom, student_client, code):
    response = student_client.get(f"/en/join/{code}/")
    assert response.status_code in (200, 404)
    if response.status_code == 200:
        body = response.content.decode()
        assert "This link does not work any more" in body and "<script>" not in body.split("<main")[1]


def test_a_join_link_asks_an_anonymous_reader_to_log_in_first(classroom, client):
    body = client.get(f"/en/join/{classroom.join_code}/").content.decode()
    assert "Year 9 B" in body
    assert f"/en/accounts/login/?next=/en/join/{classroom.join_code}/" in body
    assert 'action="/en/join/"' not in body


def test_a_join_link_tells_a_teacher_only_students_join(classroom, teacher_client):
    body = teacher_client.get(f"/en/join/{classroom.join_code}/").content.decode()
    assert "Only student accounts can join a class." in body
    assert 'action="/en/join/"' not in body


def test_guessing_is_throttled_per_student(classroom, student_client):
    for _ in range(services.JOIN_FAILURES_PER_USER):
        assert student_client.post("/en/join/", {"code": "WRONG234"}).status_code == 422
    response = student_client.post("/en/join/", {"code": classroom.join_code})
    assert response.status_code == 429
    assert (
        "<li>Too many wrong codes. Wait 15 minutes, then check the code with your teacher.</li>"
        in response.content.decode()
    )
    assert not Membership.objects.exists()


def test_wrong_codes_from_throwaway_accounts_never_stop_a_classmate_with_the_right_code(classroom, login):
    """Thirty wrong codes from fifteen accounts on the school's one address: counted per account, so
    every other student behind that address still joins."""
    for _ in range(15):
        guesser = login(StudentFactory())
        for code in ("WRONG234", "WRONG235"):
            assert guesser.post("/en/join/", {"code": code}, REMOTE_ADDR="192.0.2.9").status_code == 422
    for _ in range(3):
        classmate = login(StudentFactory())
        assert (
            classmate.post("/en/join/", {"code": classroom.join_code}, REMOTE_ADDR="192.0.2.9").status_code
            == 302
        )
    keys = list(JoinFailure.objects.values_list("key", flat=True))
    assert len(keys) == 30 and all(key.startswith("user:") for key in keys)


# --- Leave, share, remove --------------------------------------------------------------------


def test_a_student_leaves_a_class(classroom, member, login):
    response = login(member).post(f"/en/dashboard/classes/{classroom.pk}/leave/", follow=True)
    assert response.redirect_chain == [("/en/dashboard/", 302)]
    assert messages_of(response) == ["You left “Year 9 B”."]
    assert not Membership.objects.filter(student=member).exists()
    assert 'class="class-block"' not in response.content.decode()


def test_a_student_shares_and_stops_sharing_checklist_counts(classroom, member, login):
    client = login(member)
    url = f"/en/dashboard/classes/{classroom.pk}/share/"
    response = client.post(url, {"share": "yes"}, follow=True)
    assert messages_of(response) == ["Your checklist counts are now shared with this class."]
    assert Membership.objects.get(student=member).share_checklist
    assert "Stop sharing" in response.content.decode()
    response = client.post(url, {"share": "no"}, follow=True)
    assert messages_of(response) == ["Your checklist counts are no longer shared."]
    assert not Membership.objects.get(student=member).share_checklist
    assert "Share my checklist counts with this class" in response.content.decode()


@pytest.mark.parametrize("data", [{}, {"share": "maybe"}, {"share": ""}, {"share": "YES"}])
def test_a_bad_share_choice_changes_nothing(classroom, member, login, data):
    Membership.objects.filter(student=member).update(share_checklist=True)
    response = login(member).post(f"/en/dashboard/classes/{classroom.pk}/share/", data)
    assert response.status_code == 400
    assert "Choose whether to share or not." in response.content.decode()
    assert Membership.objects.get(student=member).share_checklist


def test_a_teacher_removes_a_student(classroom, member, other_student, teacher_client):
    join_class(classroom, "stays")
    response = teacher_client.post(f"/en/classes/{classroom.pk}/students/{member.pk}/remove/", follow=True)
    assert response.redirect_chain == [(classroom.get_absolute_url(), 302)]
    assert messages_of(response) == ["Student removed from the class."]
    assert list(classroom.memberships.values_list("student__username", flat=True)) == ["stays"]
    assert row_names(response.content.decode()) == ["stays"]
    # Removing someone who is not in the class says nothing.
    response = teacher_client.post(
        f"/en/classes/{classroom.pk}/students/{other_student.pk}/remove/", follow=True
    )
    assert messages_of(response) == []


# --- Assignments -----------------------------------------------------------------------------


def test_a_teacher_assigns_changes_and_removes_a_module(classroom, teacher_client, beta):
    url = f"/en/classes/{classroom.pk}/assignments/"
    response = teacher_client.post(url, {"work": f"module-{beta.pk}", "due_date": "2026-12-01"}, follow=True)
    assert response.redirect_chain == [(f"{classroom.get_absolute_url()}#assignments", 302)]
    assert messages_of(response) == ["Assignment saved."]
    teacher_client.post(url, {"work": f"module-{beta.pk}", "due_date": "2026-12-08"})
    assignment = Assignment.objects.get(classroom=classroom, module=beta)
    assert assignment.due_date == datetime.date(2026, 12, 8)
    assert 'value="2026-12-08"' in page(teacher_client, classroom)
    teacher_client.post(url, {"work": f"module-{beta.pk}", "due_date": ""}, follow=True)
    assert Assignment.objects.get(pk=assignment.pk).due_date is None
    response = teacher_client.post(
        f"/en/classes/{classroom.pk}/assignments/{assignment.pk}/delete/", follow=True
    )
    assert response.redirect_chain == [(f"{classroom.get_absolute_url()}#assignments", 302)]
    assert messages_of(response) == ["Assignment removed."]
    assert list(classroom.assignments.values_list("module__slug", flat=True)) == ["alpha"]
    response = teacher_client.post(
        f"/en/classes/{classroom.pk}/assignments/{assignment.pk}/delete/", follow=True
    )
    assert messages_of(response) == []


# --- The class page --------------------------------------------------------------------------


def test_an_empty_class_says_what_to_do(teacher, teacher_client, alpha):
    classroom = services.classroom_create(teacher=teacher, name="New")
    assert "Assign a module, a lesson or the checklist below to see your students' progress here." in page(
        teacher_client, classroom
    )
    services.assignment_set(classroom=classroom, module=alpha, due_date=None)
    body = page(teacher_client, classroom)
    assert "No students yet: share the class code below." in body
    assert "0 students" in body and "Download as CSV" not in body


def test_the_grid_shows_each_cells_lessons_quiz_and_status(classroom, beta, teacher_client, progress):
    services.assignment_set(classroom=classroom, module=beta, due_date=DUE)
    done, started, idle = join_class(classroom, "a-done", "b-started", "c-idle")
    progress.read(done)
    progress.quiz(done, right=6)
    progress.read(started, count=2)
    progress.quiz(started, right=5)
    with at_noon(DUE + datetime.timedelta(days=1)):
        body = page(teacher_client, classroom)
    assert row_names(body) == ["a-done", "b-started", "c-idle"]
    cells = re.findall(r'<td class="cell heat-(\d)( is-overdue)?">(.*?)</td>', body, re.DOTALL)
    summary = [
        (heat, bool(overdue), re.sub(r"<[^>]+>|\s+", " ", VISUALLY_HIDDEN.sub("", text)).split())
        for heat, overdue, text in cells
    ]
    assert summary == [
        ("4", False, ["3/3", "lessons", "quiz", "75%", "✓", "Done"]),
        ("0", True, ["0/2", "lessons", "no", "quiz", "yet", "!", "Overdue"]),
        ("2", False, ["2/3", "lessons", "quiz", "62%", "…", "In", "progress"]),
        ("0", True, ["0/2", "lessons", "no", "quiz", "yet", "!", "Overdue"]),
        ("0", False, ["0/3", "lessons", "no", "quiz", "yet", "Not", "started"]),
        ("0", True, ["0/2", "lessons", "no", "quiz", "yet", "!", "Overdue"]),
    ]
    assert 'class="badge badge-ok status-badge"' in body and 'class="badge badge-bad status-badge"' in body
    assert '<td><bdi class="num">50%</bdi></td>' in body  # a-done: alpha complete, beta untouched
    assert "1 of 3 done" in body and "0 of 3 done" in body
    assert "due 10 March" in body
    assert_csp_clean(body)


def test_the_grid_in_arabic(classroom, member, teacher_client, progress):
    progress.read(member, count=1)
    body = page(teacher_client, classroom, lang="ar")
    assert 'lang="ar" dir="rtl"' in body
    assert "In progress" not in body
    assert "قيد التقدّم" in body and "ألفا: كيف تتراكم الآثار" in body
    assert_csp_clean(body)


def test_the_page_sorts_by_progress_least_first(classroom, teacher_client, progress):
    ann, _bob, cyd, _dan = join_class(classroom, "ann", "bob", "cyd", "dan")
    progress.read(ann)
    progress.quiz(ann, right=8)
    progress.read(cyd, count=1)
    by_name = page(teacher_client, classroom)
    assert row_names(by_name) == ["ann", "bob", "cyd", "dan"]
    assert '<th scope="col" aria-sort="ascending">Student</th>' in by_name
    assert row_names(page(teacher_client, classroom, "?sort=name")) == ["ann", "bob", "cyd", "dan"]
    assert row_names(page(teacher_client, classroom, "?sort=anything")) == ["ann", "bob", "cyd", "dan"]
    by_progress = page(teacher_client, classroom, "?sort=progress")
    assert row_names(by_progress) == ["bob", "dan", "cyd", "ann"]
    assert '<th scope="col" aria-sort="ascending">Overall</th>' in by_progress
    assert '<a href="?sort=progress#progress" aria-current="true">' in by_progress


def test_question_statistics_on_the_page_and_the_summary(classroom, member, teacher_client, progress):
    body = page(teacher_client, classroom)
    assert "Questions, most missed first" in body and "no answers yet" in body
    progress.quiz(member, right=0)
    body = page(teacher_client, classroom)
    assert "no answers yet" not in body
    assert body.count("alpha q1 choice a") == 1  # q01's most chosen wrong answer: a
    summary = teacher_client.get(f"/en/classes/{classroom.pk}/summary/").content.decode()
    assert summary.count('class="question-review"') == 8
    assert "Right answer:" in summary and "Why b is right for q1." in summary
    assert "Taught in:" in summary and "Alpha lesson 1: first-steps" in summary


def test_the_summary_without_answers_says_so(classroom, member, teacher_client):
    body = teacher_client.get(f"/en/classes/{classroom.pk}/summary/").content.decode()
    assert "No answers yet" in body and 'class="question-review"' not in body


def test_checklist_counts_only_for_sharing_students_and_the_total_from_five(
    classroom, teacher_client, login, progress
):
    students = join_class(classroom, "s1", "s2", "s3", "s4", "s5")
    for student in students:
        progress.tick(student, 2)
    body = page(teacher_client, classroom)
    assert "Checklist" not in re.search(r"<thead>.*?</thead>", body, re.DOTALL).group()
    assert "0 students share checklist counts." in body
    for student in students[:4]:
        login(student).post(f"/en/dashboard/classes/{classroom.pk}/share/", {"share": "yes"})
    body = page(teacher_client, classroom)
    assert body.count('<bdi class="num">2 of 5</bdi>') == 4 and body.count("not shared") == 1
    assert "4 students share checklist counts." in body
    assert "The class total appears once at least 5 students share." in body
    login(students[4]).post(f"/en/dashboard/classes/{classroom.pk}/share/", {"share": "yes"})
    body = page(teacher_client, classroom)
    assert "Class total: 10 of 25 checklist items done." in body
    assert "everywhere setting" not in body  # never which items


def test_ticks_made_over_http_count_for_a_sharing_student(classroom, member, login, teacher_client):
    client = login(member)
    client.post(f"/en/dashboard/classes/{classroom.pk}/share/", {"share": "yes"})
    assert client.post("/en/checklist/everywhere/strong-password/", {"state": "done"}).status_code == 302
    assert client.post("/en/checklist/photobook/tag-approval/", {"state": "done"}).status_code == 302
    assert '<bdi class="num">2 of 5</bdi>' in page(teacher_client, classroom)


# --- CSV -------------------------------------------------------------------------------------


def test_the_csv_has_the_grids_students_and_assignments(classroom, beta, teacher_client, progress):
    services.assignment_set(classroom=classroom, module=beta, due_date=DUE)
    done, started, _idle = join_class(classroom, "a-done", "b-started", "c-idle")
    ClassroomFactory().memberships.create(student=StudentFactory(username="not-in-class"))
    progress.read(done)
    progress.quiz(done, right=6)
    progress.read(started, count=2)
    progress.quiz(started, right=5)
    with at_noon(DUE + datetime.timedelta(days=1)):
        response = teacher_client.get(f"/en/classes/{classroom.pk}/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="class-{classroom.pk}-progress.csv"'
    assert response["Cache-Control"] == "no-store"
    assert csv_rows(response) == [
        [
            "Student",
            "Username",
            "Overall (%)",
            "Alpha: how traces add up: lessons read",
            "Alpha: how traces add up: best quiz score (%)",
            "Alpha: how traces add up: status",
            "Beta: what you can change: lessons read",
            "Beta: what you can change: best quiz score (%)",
            "Beta: what you can change: status",
        ],
        ["a-done", "a-done", "50", "3/3", "75", Status.DONE.label, "0/2", "", Status.OVERDUE.label],
        [
            "b-started",
            "b-started",
            "25",
            "2/3",
            "62",
            Status.IN_PROGRESS.label,
            "0/2",
            "",
            Status.OVERDUE.label,
        ],
        ["c-idle", "c-idle", "0", "0/3", "", Status.NOT_STARTED.label, "0/2", "", Status.OVERDUE.label],
    ]


def test_the_csv_has_the_grids_columns_in_the_grids_order_with_display_names(classroom, beta, teacher_client):
    services.assignment_set(classroom=classroom, module=beta, due_date=None)
    sharing, private = join_class(classroom, "a-shares", "b-private")
    type(sharing).objects.filter(pk=sharing.pk).update(display_name="Amal S.")
    Membership.objects.filter(student=sharing).update(share_checklist=True)
    page = teacher_client.get(f"/en/classes/{classroom.pk}/").content.decode()
    thead = page.split('class="progress-grid"')[1].split("</thead>")[0]
    grid_headers = re.findall(r'<th scope="col"[^>]*>([^<]+)', thead)
    rows = csv_rows(teacher_client.get(f"/en/classes/{classroom.pk}/export.csv"))
    header = rows[0]
    assert grid_headers[:2] == ["Student", "Overall"] and header[:3] == ["Student", "Username", "Overall (%)"]
    titles = [title for title in grid_headers[2:] if title not in ("Checklist",)]
    assert [column.split(":")[0] for column in header[3:-1:3]] == [t.split(":")[0] for t in titles]
    assert "Checklist" in grid_headers and header[-1] == "Checklist items done"
    assert rows[1][:2] == ["Amal S.", "a-shares"] and rows[1][-1] == "0/5"
    assert rows[2][-1] == "not shared"


def test_the_csv_is_in_the_class_language_whatever_the_page_language(classroom, teacher_client):
    assert csv_rows(teacher_client.get(f"/ar/classes/{classroom.pk}/export.csv"))[0][0] == "Student"


@pytest.fixture
def arabic_class(teacher, alpha):
    classroom = services.classroom_create(teacher=teacher, name="الصف", language="ar")
    services.assignment_set(classroom=classroom, module=alpha, due_date=None)
    return classroom


def test_the_csv_in_arabic_has_arabic_statuses_and_names(arabic_class, teacher_client, progress):
    classroom = arabic_class
    for name in ["ليلى", "omar", "سارة"]:
        join_class(classroom, name)
    progress.read(StudentFactory._meta.model.objects.get(username="omar"), count=1)
    response = teacher_client.get(f"/en/classes/{classroom.pk}/export.csv")
    assert response.content.startswith("\ufeff".encode())
    assert response["Cache-Control"] == "no-store"
    rows = csv_rows(response)
    assert rows[0][0] == "طالب" and rows[0][3] == "ألفا: كيف تتراكم الآثار: الدروس المقروءة"
    assert sorted((row[0], row[5]) for row in rows[1:]) == sorted(
        [("ليلى", "لم يبدأ"), ("omar", "قيد التقدّم"), ("سارة", "لم يبدأ")]
    )


def test_the_arabic_csv_header_is_all_arabic(arabic_class, teacher_client):
    join_class(arabic_class, "omar")
    Membership.objects.update(share_checklist=True)
    rows = csv_rows(teacher_client.get(f"/en/classes/{arabic_class.pk}/export.csv"))
    assert not re.search("[A-Za-z]", "".join(rows[0]))


def test_usernames_that_look_like_formulas_are_neutralised_in_the_csv(classroom, teacher_client, login):
    for name in ["+plus", "-minus", "@at"]:  # the sign-up form allows + - @
        response = login(None).post(
            "/en/accounts/signup/",
            {
                "username": name,
                "role": "student",
                "password1": "long-enough-pass-2026",
                "password2": "long-enough-pass-2026",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    signed_up = list(StudentFactory._meta.model.objects.filter(username__in=["+plus", "-minus", "@at"]))
    assert len(signed_up) == 3
    for student in [*signed_up, StudentFactory(username="=HYPERLINK(1)")]:
        Membership.objects.create(classroom=classroom, student=student)
    rows = csv_rows(teacher_client.get(f"/en/classes/{classroom.pk}/export.csv"))
    assert sorted(row[0] for row in rows[1:]) == ["'+plus", "'-minus", "'=HYPERLINK(1)", "'@at"]


def test_the_csv_of_an_empty_class_has_only_the_header(teacher, teacher_client):
    classroom = services.classroom_create(teacher=teacher, name="Empty")
    assert csv_rows(teacher_client.get(f"/en/classes/{classroom.pk}/export.csv")) == [
        ["Student", "Username", "Overall (%)"]
    ]


# --- Dashboard -------------------------------------------------------------------------------


def test_the_dashboard_shows_status_and_the_next_step(classroom, beta, member, login):
    services.assignment_set(classroom=classroom, module=beta, due_date=datetime.date(2026, 12, 24))
    client = login(member)
    body = client.get("/en/dashboard/").content.decode()
    assert "Year 9 B" in body and "teacher: ms-haddad" in body
    assert body.count("Not started") == 2 and "Due 24 December 2026" in body
    assert "Continue: Alpha lesson 1: first-steps" in body
    # Reading over HTTP, as the student does.
    assert client.post("/en/modules/alpha/first-steps/").status_code == 302
    body = client.get("/en/dashboard/").content.decode()
    assert "In progress" in body and "Continue: Alpha lesson 2: second-look" in body
    assert "status-in-progress" in body and "status-not-started" in body
    assert_csp_clean(body)


def test_the_dashboard_offers_the_quiz_then_nothing_once_done(classroom, member, login, progress):
    progress.read(member)
    client = login(member)
    body = client.get("/en/dashboard/").content.decode()
    assert "Take the quiz" in body and 'href="/en/modules/alpha/quiz/"' in body and "Continue:" not in body
    progress.quiz(member, right=6)
    body = client.get("/en/dashboard/").content.decode()
    assert "Done" in body and "Take the quiz" not in body and "Continue:" not in body
    assert "best quiz score" in body and "75%" in body


def test_the_dashboard_shows_the_students_own_checklist_totals(member, login, progress):
    client = login(member)
    assert '<bdi class="num">0 of 5</bdi>' in client.get("/en/dashboard/").content.decode()
    progress.tick(member, 3)
    progress.tick(StudentFactory(), 5)
    assert '<bdi class="num">3 of 5</bdi>' in client.get("/en/dashboard/").content.decode()


def test_the_dashboard_of_a_student_in_no_class(student_client):
    body = student_client.get("/en/dashboard/").content.decode()
    assert "You are not in a class yet." in body and 'action="/en/join/"' in body


# --- Query counts ----------------------------------------------------------------------------


def queries(client, url: str) -> int:
    """The page's queries once what every page of its kind caches (the content) is cached."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def busy_class(teacher, *, students: int, modules: int, progress):
    """A class where every student shares, has read and ticked something, and one has taken a quiz;
    besides the modules, one lesson, one platform of the checklist and the whole checklist are assigned."""
    classroom = ClassroomFactory(teacher=teacher)
    for slug in ["alpha", "beta"][:modules]:
        services.assignment_set(classroom=classroom, module=Module.objects.get(slug=slug), due_date=DUE)
    lesson = Lesson.objects.filter(module__slug="beta").order_by("position").first()
    services.assignment_set(classroom=classroom, kind=Assignment.Kind.LESSON, lesson=lesson, due_date=DUE)
    for group in [ChecklistGroup.objects.get(slug="photobook"), None]:
        services.assignment_set(
            classroom=classroom, kind=Assignment.Kind.CHECKLIST, checklist_group=group, due_date=DUE
        )
    members = join_class(classroom, *(f"{classroom.pk}-s{n}" for n in range(students)), share=True)
    for student in members:
        progress.read(student, count=1)
        progress.tick(student, 1)
    progress.quiz(members[0], right=3)
    return classroom


def test_the_class_page_takes_as_many_queries_for_any_size(teacher, teacher_client, progress):
    small = busy_class(teacher, students=3, modules=1, progress=progress)
    large = busy_class(teacher, students=12, modules=2, progress=progress)
    assert queries(teacher_client, f"/en/classes/{small.pk}/") == queries(
        teacher_client, f"/en/classes/{large.pk}/"
    )
    assert queries(teacher_client, f"/en/classes/{small.pk}/export.csv") == queries(
        teacher_client, f"/en/classes/{large.pk}/export.csv"
    )
    assert len(row_names(page(teacher_client, large))) == 12


def test_the_class_list_takes_as_many_queries_for_any_size(teacher, teacher_client, progress):
    busy_class(teacher, students=3, modules=1, progress=progress)
    few = queries(teacher_client, "/en/classes/")
    busy_class(teacher, students=12, modules=2, progress=progress)
    busy_class(teacher, students=4, modules=2, progress=progress)
    assert queries(teacher_client, "/en/classes/") == few
    assert teacher_client.get("/en/classes/").content.decode().count("student assignments done") == 3


def test_the_dashboard_takes_as_many_queries_for_any_size(student, student_client, progress):
    progress.read(student, count=1)
    progress.tick(student, 1)
    first = busy_class(TeacherFactory(), students=3, modules=1, progress=progress)
    Membership.objects.create(classroom=first, student=student)
    few = queries(student_client, "/en/dashboard/")
    for _ in range(3):
        Membership.objects.create(
            classroom=busy_class(TeacherFactory(), students=1, modules=2, progress=progress), student=student
        )
    assert queries(student_client, "/en/dashboard/") == few
    assert student_client.get("/en/dashboard/").content.decode().count('class="class-block"') == 4


# --- Races -----------------------------------------------------------------------------------


@RACE
def test_concurrent_joins_store_one_membership():
    classroom = ClassroomFactory(join_code="ABCD2345")
    student = StudentFactory()
    clients = logged_in_clients(student, 6)
    results = run_concurrently(
        [lambda c=c: c.post("/en/join/", {"code": "abcd-2345"}).status_code for c in clients]
    )
    assert results == [302] * 6
    assert Membership.objects.filter(classroom=classroom, student=student).count() == 1


@RACE
def test_concurrent_joins_of_a_whole_class_all_succeed():
    classroom = ClassroomFactory(join_code="ABCD2345")
    students = [StudentFactory() for _ in range(6)]
    clients = [logged_in_clients(student, 1)[0] for student in students]
    results = run_concurrently(
        [lambda c=c: c.post("/en/join/", {"code": "ABCD2345"}).status_code for c in clients]
    )
    assert results == [302] * 6
    assert set(classroom.memberships.values_list("student", flat=True)) == {s.pk for s in students}


@RACE
def test_concurrent_identical_assignments_keep_one():
    teacher = TeacherFactory()
    classroom = ClassroomFactory(teacher=teacher)
    module = Module.objects.get(slug="beta")
    url = f"/en/classes/{classroom.pk}/assignments/"
    results = run_concurrently(
        [
            lambda c=c: c.post(url, {"work": f"module-{module.pk}", "due_date": "2026-12-24"}).status_code
            for c in logged_in_clients(teacher, 4)
        ]
    )
    assert results == [302] * 4
    assert list(Assignment.objects.filter(classroom=classroom).values_list("module", "due_date")) == [
        (module.pk, datetime.date(2026, 12, 24))
    ]


@RACE
def test_leaving_while_the_teacher_removes_the_student():
    teacher, student = TeacherFactory(), StudentFactory()
    classroom = ClassroomFactory(teacher=teacher)
    Membership.objects.create(classroom=classroom, student=student)
    (teacher_browser,) = logged_in_clients(teacher, 1)
    (student_browser,) = logged_in_clients(student, 1)
    results = run_concurrently(
        [
            lambda: (
                teacher_browser.post(f"/en/classes/{classroom.pk}/students/{student.pk}/remove/").status_code
            ),
            lambda: student_browser.post(f"/en/dashboard/classes/{classroom.pk}/leave/").status_code,
        ]
    )
    assert results[0] == 302 and results[1] in (302, 404)
    assert not Membership.objects.exists()


def test_the_grid_shows_the_display_name_a_teacher_recognises(classroom, teacher_client):
    (student,) = join_class(classroom, "s-4821")
    type(student).objects.filter(pk=student.pk).update(display_name="Sara K.")
    body = teacher_client.get(f"/en/classes/{classroom.pk}/").content.decode()
    row = body.split('<th scope="row">')[1].split("</th>")[0]
    assert ">Sara K.</a>" in row and '<span class="meta"><bdi>s-4821</bdi></span>' in row


def test_the_grid_escapes_names_everywhere_it_shows_them(classroom, teacher_client):
    (student,) = join_class(classroom, "s-0001")
    type(student).objects.filter(pk=student.pk).update(display_name='<b>Sara</b> "K" & co')
    body = teacher_client.get(f"/en/classes/{classroom.pk}/").content.decode()
    escaped = "&lt;b&gt;Sara&lt;/b&gt; &quot;K&quot; &amp; co"
    assert "<b>Sara</b>" not in body
    assert f">{escaped}</a>" in body  # the name in its row
    assert f'<span class="visually-hidden">{escaped}, ' in body  # each cell's label
    assert f'data-confirm="Remove {escaped} from the class?' in body  # the removal question


def test_the_empty_assignment_form_is_rendered_once_for_every_class(
    teacher, teacher_client, progress, monkeypatch
):
    from apps.classrooms import views

    made = []
    monkeypatch.setattr(views, "AssignmentForm", lambda *a, **k: made.append(1) or AssignmentForm(*a, **k))
    first = busy_class(teacher, students=2, modules=1, progress=progress)
    second = busy_class(teacher, students=2, modules=1, progress=progress)
    fields = page(teacher_client, first).split("<h3>Assign work</h3>")[1].split("<button")[0]
    assert 'name="work"' in fields and "Lessons of" in fields
    again = page(teacher_client, second).split("<h3>Assign work</h3>")[1].split("<button")[0]
    assert again == fields and len(made) == 1
    page(teacher_client, first, lang="ar")
    assert len(made) == 2  # once per language


def test_a_refused_assignment_shows_its_own_errors_not_the_cached_form(classroom, teacher_client):
    teacher_client.get(f"/en/classes/{classroom.pk}/")
    response = teacher_client.post(f"/en/classes/{classroom.pk}/assignments/", {"work": "module-0"})
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
