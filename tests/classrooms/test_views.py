import csv
import datetime
import io

import pytest
import time_machine
from django.test import Client

from apps.classrooms import services
from apps.classrooms.models import JOIN_CODE_ALPHABET, Assignment, Classroom, JoinFailure, Membership
from apps.classrooms.selectors import Status, classroom_progress_grid, student_dashboard
from apps.lessons.models import Lesson, LessonRead, Module
from apps.quizzes.services import attempt_start
from tests.conftest import run_concurrently
from tests.core.test_views import assert_csp_clean
from tests.factories import ClassroomFactory, StudentFactory, TeacherFactory, answer_all, quiz_for

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def classroom(teacher):
    classroom = services.classroom_create(teacher=teacher, name="Year 9 B")
    services.assignment_set(classroom=classroom, module=Module.objects.get(slug="profiling"), due_date=None)
    return classroom


@pytest.fixture
def member(classroom):
    student = StudentFactory(username="member")
    Membership.objects.create(classroom=classroom, student=student)
    return student


# --- Access matrix --------------------------------------------------------------------------

TEACHER_URLS = [
    ("get", "/en/classes/{id}/"),
    ("get", "/en/classes/{id}/export.csv"),
    ("get", "/en/classes/{id}/summary/"),
    ("post", "/en/classes/{id}/assignments/"),
    ("post", "/en/classes/{id}/assignments/{assignment}/delete/"),
    ("post", "/en/classes/{id}/code/"),
    ("post", "/en/classes/{id}/students/{member}/remove/"),
]
# who -> expected status for teacher URLs
EXPECTED_TEACHER = {"anonymous": 302, "outsider": 403, "member": 403, "other_teacher": 404, "owner": None}


@pytest.mark.parametrize("who", list(EXPECTED_TEACHER))
@pytest.mark.parametrize("method,url", TEACHER_URLS)
def test_access_matrix_teacher_pages(classroom, member, teacher, who, method, url):
    users = {
        "anonymous": None,
        "outsider": StudentFactory(),
        "member": member,
        "other_teacher": TeacherFactory(),
        "owner": teacher,
    }
    client = login(users[who]) if users[who] else Client()
    assignment = classroom.assignments.first()
    path = url.format(id=classroom.pk, assignment=assignment.pk, member=member.pk)
    response = getattr(client, method)(path, {"module": assignment.module_id} if method == "post" else None)
    expected = EXPECTED_TEACHER[who]
    if expected is None:
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert "/accounts/login/" not in response.url
    else:
        assert response.status_code == expected
        if expected == 302:
            assert "/accounts/login/" in response.url
    if who != "owner":
        assert Membership.objects.filter(classroom=classroom, student=member).exists()
        assert Assignment.objects.filter(pk=assignment.pk).exists()


@pytest.mark.parametrize(
    "who,url,expected",
    [
        ("anonymous", "/en/classes/", 302),
        ("member", "/en/classes/", 403),
        ("owner", "/en/classes/", 200),
        ("anonymous", "/en/dashboard/", 302),
        ("member", "/en/dashboard/", 200),
        ("outsider", "/en/dashboard/", 200),
        ("owner", "/en/dashboard/", 302),
        ("anonymous", "/en/join/", 302),
        ("member", "/en/join/", 200),
        ("owner", "/en/join/", 403),
    ],
)
def test_access_matrix_lists_and_dashboard(classroom, member, teacher, who, url, expected):
    users = {"anonymous": None, "member": member, "owner": teacher, "outsider": StudentFactory()}
    client = login(users[who]) if users[who] else Client()
    assert client.get(url).status_code == expected


def test_student_actions_need_membership(classroom, member):
    outsider = login(StudentFactory())
    assert outsider.post(f"/en/dashboard/classes/{classroom.pk}/leave/").status_code == 404
    assert outsider.post(f"/en/dashboard/classes/{classroom.pk}/share/", {"share": "yes"}).status_code == 404
    assert login(classroom.teacher).post(f"/en/dashboard/classes/{classroom.pk}/leave/").status_code == 403


# --- Classes and join codes -----------------------------------------------------------------


def test_teacher_creates_a_class_with_a_code(teacher_client, teacher):
    response = teacher_client.post("/en/classes/", {"name": "Digital skills"})
    classroom = Classroom.objects.get(teacher=teacher)
    assert response.url == classroom.get_absolute_url()
    assert len(classroom.join_code) == 8 and set(classroom.join_code) <= set(JOIN_CODE_ALPHABET)
    assert not set(classroom.join_code) & set("0O1IL")


def test_empty_class_name_is_refused(teacher_client):
    assert teacher_client.post("/en/classes/", {"name": ""}).status_code == 422
    assert not Classroom.objects.exists()


def test_join_by_code_with_spaces_and_lowercase(classroom):
    student = StudentFactory()
    client = login(student)
    code = classroom.join_code.lower()
    response = client.post("/en/join/", {"code": f" {code[:4]}-{code[4:]} "})
    assert response.status_code == 302
    assert Membership.objects.filter(classroom=classroom, student=student).exists()


def test_join_twice_is_harmless(classroom, member):
    client = login(member)
    response = client.post("/en/join/", {"code": classroom.join_code}, follow=True)
    assert "already in" in response.content.decode()
    assert Membership.objects.filter(classroom=classroom, student=member).count() == 1


def test_wrong_code_is_refused(classroom):
    client = login(StudentFactory())
    response = client.post("/en/join/", {"code": "WRONG234"})
    assert response.status_code == 422
    assert "No class has this code" in response.content.decode()
    assert Membership.objects.count() == 0


def test_regenerated_code_voids_the_old_one(classroom, teacher_client):
    old = classroom.join_code
    teacher_client.post(f"/en/classes/{classroom.pk}/code/")
    classroom.refresh_from_db()
    assert classroom.join_code != old
    response = login(StudentFactory()).post("/en/join/", {"code": old})
    assert response.status_code == 422


def test_join_link_shows_the_class_and_a_voided_link_says_so(classroom):
    client = login(StudentFactory())
    body = client.get(f"/en/join/{classroom.join_code}/").content.decode()
    assert "Year 9 B" in body
    body = client.get("/en/join/ZZZZZZZZ/").content.decode()
    assert "does not work any more" in body


def test_guessing_is_throttled_per_user(classroom):
    client = login(StudentFactory())
    for _ in range(services.JOIN_FAILURES_PER_USER):
        assert client.post("/en/join/", {"code": "WRONG234"}).status_code == 422
    response = client.post("/en/join/", {"code": classroom.join_code})
    assert response.status_code == 429
    assert "Too many wrong codes" in response.content.decode()
    assert not Membership.objects.exists()


def test_guessing_is_throttled_per_address(classroom):
    for _ in range(services.JOIN_FAILURES_PER_ADDRESS // 2 + 1):
        login(StudentFactory()).post("/en/join/", {"code": "WRONG234"}, REMOTE_ADDR="10.0.0.9")
        login(StudentFactory()).post("/en/join/", {"code": "WRONG235"}, REMOTE_ADDR="10.0.0.9")
    fresh = login(StudentFactory())
    assert fresh.post("/en/join/", {"code": classroom.join_code}, REMOTE_ADDR="10.0.0.9").status_code == 429
    assert fresh.post("/en/join/", {"code": classroom.join_code}, REMOTE_ADDR="10.0.0.10").status_code == 302
    assert not JoinFailure.objects.filter(key__contains="10.0.0.9").exists()  # only a hash is kept


def test_leave_and_remove(classroom, member, teacher_client):
    login(member).post(f"/en/dashboard/classes/{classroom.pk}/leave/")
    assert not Membership.objects.filter(student=member).exists()
    Membership.objects.create(classroom=classroom, student=member)
    teacher_client.post(f"/en/classes/{classroom.pk}/students/{member.pk}/remove/")
    assert not Membership.objects.filter(student=member).exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_joins_store_one_membership(content):
    classroom = ClassroomFactory(join_code="ABCD2345")
    student = StudentFactory()
    clients = [login(student) for _ in range(6)]
    results = run_concurrently(
        [lambda c=c: c.post("/en/join/", {"code": "ABCD2345"}).status_code for c in clients]
    )
    assert results == [302] * 6
    assert Membership.objects.filter(classroom=classroom, student=student).count() == 1


# --- Assignments and status ----------------------------------------------------------------


def test_assign_change_and_remove(classroom, teacher_client):
    module = Module.objects.get(slug="fraud-checks")
    url = f"/en/classes/{classroom.pk}/assignments/"
    teacher_client.post(url, {"module": module.pk, "due_date": "2026-12-01"})
    teacher_client.post(url, {"module": module.pk, "due_date": "2026-12-08"})
    assignment = Assignment.objects.get(classroom=classroom, module=module)
    assert assignment.due_date == datetime.date(2026, 12, 8)
    assert teacher_client.post(url, {"module": 99999}).status_code == 422
    assert teacher_client.post(url, {"module": module.pk, "due_date": "not-a-date"}).status_code == 422
    teacher_client.post(f"/en/classes/{classroom.pk}/assignments/{assignment.pk}/delete/")
    assert not Assignment.objects.filter(pk=assignment.pk).exists()


def test_status_rules_with_a_frozen_clock(classroom, member):
    assignment = classroom.assignments.get()
    assignment.due_date = datetime.date(2026, 3, 10)
    assignment.save()
    lessons = list(Lesson.objects.filter(module=assignment.module))

    def status():
        return classroom_progress_grid(classroom=classroom).rows[0].cells[0].status

    with time_machine.travel(datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC), tick=False):
        assert status() == Status.NOT_STARTED
        LessonRead.objects.create(user=member, lesson=lessons[0])
        assert status() == Status.IN_PROGRESS
    with time_machine.travel(datetime.datetime(2026, 3, 11, 12, tzinfo=datetime.UTC), tick=False):
        assert status() == Status.OVERDUE
        for lesson in lessons[1:]:
            LessonRead.objects.create(user=member, lesson=lesson)
        assert status() == Status.OVERDUE  # all read, quiz not passed
        answer_all(attempt_start(quiz=quiz_for(), user=member), right=7)
        assert status() == Status.DONE


def test_quiz_passed_but_lessons_unread_is_not_done(classroom, member):
    answer_all(attempt_start(quiz=quiz_for(), user=member), right=10)
    cell = classroom_progress_grid(classroom=classroom).rows[0].cells[0]
    assert cell.status == Status.IN_PROGRESS and cell.best_percent == 100


def test_question_statistics_on_known_answers(classroom):
    quiz = quiz_for()
    students = [StudentFactory() for _ in range(4)]
    for student in students:
        Membership.objects.create(classroom=classroom, student=student)
    target = quiz.questions.filter(kind="single").prefetch_related("choices").first()
    right = next(c for c in target.choices.all() if c.is_correct)
    wrongs = [c for c in target.choices.all() if not c.is_correct]
    picks = [right, wrongs[0], wrongs[0], wrongs[1]]
    from apps.quizzes.services import quiz_answer_submit

    for student, choice in zip(students, picks, strict=True):
        attempt = attempt_start(quiz=quiz, user=student)
        quiz_answer_submit(attempt=attempt, question_key=target.key, choice_keys=[choice.key])
    outsider_attempt = attempt_start(quiz=quiz, user=StudentFactory())  # not in the class: ignored
    quiz_answer_submit(attempt=outsider_attempt, question_key=target.key, choice_keys=[right.key])
    stats = classroom_progress_grid(classroom=classroom).question_stats[quiz.module_id]
    stat = next(s for s in stats if s.question.pk == target.pk)
    assert (stat.answered, stat.right, stat.percent_right) == (4, 1, 25)
    assert stat.top_wrong == wrongs[0] and stat.top_wrong_count == 2
    assert stats[0].question.pk == target.pk  # most missed first (others unanswered)


def test_class_page_shows_grid_and_stats(classroom, member, teacher_client):
    answer_all(attempt_start(quiz=quiz_for(), user=member), right=6)
    for lang in ("en", "ar"):
        response = teacher_client.get(f"/{lang}/classes/{classroom.pk}/")
        body = response.content.decode()
        assert response.status_code == 200
        assert "member" in body and "heat-" in body
        assert_csp_clean(body)
    body = teacher_client.get(f"/en/classes/{classroom.pk}/").content.decode()
    assert 'quiz <bdi class="num">60%</bdi>' in body
    assert "Questions, most missed first" in body


def test_sort_by_progress(classroom, teacher_client):
    slow, fast = StudentFactory(username="aaa-slow"), StudentFactory(username="zzz-fast")
    for student in (slow, fast):
        Membership.objects.create(classroom=classroom, student=student)
    for lesson in Lesson.objects.filter(module__slug="profiling"):
        LessonRead.objects.create(user=fast, lesson=lesson)
    body = teacher_client.get(f"/en/classes/{classroom.pk}/?sort=name").content.decode()
    assert body.index("aaa-slow") < body.index("zzz-fast")
    body = teacher_client.get(f"/en/classes/{classroom.pk}/?sort=progress").content.decode()
    assert body.index("aaa-slow") < body.index("zzz-fast")
    grid = classroom_progress_grid(classroom=classroom, sort="progress")
    assert grid.rows[-1].membership.student == fast


def test_checklist_counts_only_when_shared_and_total_from_five(classroom, teacher_client):
    from apps.checklist.models import ChecklistItem
    from apps.checklist.services import checklist_item_set

    items = list(ChecklistItem.objects.all()[:3])
    students = [StudentFactory(username=f"s{i}") for i in range(5)]
    for student in students:
        Membership.objects.create(classroom=classroom, student=student)
        for item in items:
            checklist_item_set(owner=student, item=item, done=True)
    grid = classroom_progress_grid(classroom=classroom)
    assert all(row.checklist_done is None for row in grid.rows)
    body = teacher_client.get(f"/en/classes/{classroom.pk}/").content.decode()
    assert items[0].title_en not in body
    for student in students[:4]:
        login(student).post(f"/en/dashboard/classes/{classroom.pk}/share/", {"share": "yes"})
    grid = classroom_progress_grid(classroom=classroom)
    assert grid.shared_count == 4 and grid.checklist_class_done is None
    body = teacher_client.get(f"/en/classes/{classroom.pk}/").content.decode()
    assert f'<bdi class="num">3 of {ChecklistItem.objects.count()}</bdi>' in body
    assert "not shared" in body
    login(students[4]).post(f"/en/dashboard/classes/{classroom.pk}/share/", {"share": "yes"})
    grid = classroom_progress_grid(classroom=classroom)
    assert grid.checklist_class_done == 15
    login(students[4]).post(f"/en/dashboard/classes/{classroom.pk}/share/", {"share": "no"})
    assert classroom_progress_grid(classroom=classroom).checklist_class_done is None
    assert (
        login(students[0])
        .post(f"/en/dashboard/classes/{classroom.pk}/share/", {"share": "maybe"})
        .status_code
        == 302
    )


def test_csv_export_has_bom_arabic_names_and_one_row_per_student(classroom, teacher_client):
    for name in ["ليلى", "omar", "سارة"]:
        Membership.objects.create(classroom=classroom, student=StudentFactory(username=name))
    response = teacher_client.get(f"/ar/classes/{classroom.pk}/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content[1:])))
    assert len(rows) == 1 + 3
    assert {row[0] for row in rows[1:]} == {"ليلى", "omar", "سارة"}
    assert rows[1][3] in ("لم يبدأ", "Not started")


def test_summary_page_lists_most_missed_with_answers(classroom, member, teacher_client):
    answer_all(attempt_start(quiz=quiz_for(), user=member), right=0)
    body = teacher_client.get(f"/en/classes/{classroom.pk}/summary/").content.decode()
    assert "Right answer:" in body and body.count('class="question-review"') == 8


def test_dashboard_shows_assignments_with_status_and_continue(classroom, member):
    LessonRead.objects.create(user=member, lesson=Lesson.objects.filter(module__slug="profiling").first())
    body = login(member).get("/en/dashboard/").content.decode()
    assert "Year 9 B" in body and "In progress" in body and "Continue:" in body
    assert_csp_clean(body)


# --- Query counts --------------------------------------------------------------------------


def _class_with(teacher, students: int, modules: int) -> Classroom:
    classroom = ClassroomFactory(teacher=teacher)
    for module in Module.objects.order_by("position")[:modules]:
        services.assignment_set(classroom=classroom, module=module, due_date=datetime.date(2026, 12, 1))
    for _ in range(students):
        student = StudentFactory()
        Membership.objects.create(classroom=classroom, student=student, share_checklist=True)
        LessonRead.objects.create(user=student, lesson=Lesson.objects.first())
    return classroom


def test_class_page_queries_do_not_grow(teacher, teacher_client, django_assert_max_num_queries):
    small = _class_with(teacher, students=5, modules=6)
    with django_assert_max_num_queries(15) as captured:
        teacher_client.get(f"/en/classes/{small.pk}/")
    large = _class_with(teacher, students=40, modules=6)
    answer_all(attempt_start(quiz=quiz_for(), user=large.memberships.first().student), right=5)
    with django_assert_max_num_queries(len(captured.captured_queries)):
        response = teacher_client.get(f"/en/classes/{large.pk}/")
    assert response.content.decode().count('<th scope="row">') == 40


def test_dashboard_queries_do_not_grow(django_assert_max_num_queries):
    student = StudentFactory()
    client = login(student)
    Membership.objects.create(classroom=_class_with(TeacherFactory(), 0, 2), student=student)
    with django_assert_max_num_queries(15) as captured:
        client.get("/en/dashboard/")
    for _ in range(9):
        Membership.objects.create(classroom=_class_with(TeacherFactory(), 0, 3), student=student)
    with django_assert_max_num_queries(len(captured.captured_queries)):
        response = client.get("/en/dashboard/")
    assert response.content.decode().count('class="class-block"') == 10
    assert len(student_dashboard(student=student)) == 10


@pytest.mark.django_db(transaction=True)
def test_concurrent_identical_assignments_keep_one(content):
    teacher = TeacherFactory()
    classroom = ClassroomFactory(teacher=teacher)
    module = Module.objects.get(slug="listening")
    clients = [login(teacher) for _ in range(4)]
    url = f"/en/classes/{classroom.pk}/assignments/"
    results = run_concurrently(
        [
            lambda c=c: c.post(url, {"module": module.pk, "due_date": "2026-12-24"}).status_code
            for c in clients
        ]
    )
    assert results == [302] * 4
    assert Assignment.objects.filter(classroom=classroom, module=module).count() == 1


def test_class_list_summarises_each_class_in_constant_queries(
    teacher, teacher_client, django_assert_max_num_queries
):
    _class_with(teacher, students=3, modules=2)
    with django_assert_max_num_queries(12) as captured:
        body = teacher_client.get("/en/classes/").content.decode()
    assert "0 of 6 student assignments done" in body
    for _ in range(5):
        _class_with(teacher, students=4, modules=3)
    with django_assert_max_num_queries(len(captured.captured_queries)):
        body = teacher_client.get("/en/classes/").content.decode()
    assert body.count("student assignments done") == 6


def test_class_list_counts_overdue(classroom, member, teacher_client):
    assignment = classroom.assignments.get()
    assignment.due_date = datetime.date(2020, 1, 1)
    assignment.save()
    body = teacher_client.get("/en/classes/").content.decode()
    assert "0 of 1 student assignments done" in body and "1 overdue" in body
