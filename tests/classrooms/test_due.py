"""Students see what is due first (issue #11, item 5): overdue, then due within a week, on the home page
and the dashboard; done and far-off assignments are not in the list."""

import datetime

import pytest

from apps.classrooms import selectors, services
from tests.factories import TeacherFactory
from tests.helpers import at_noon

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


@pytest.fixture
def due_dates(classroom, member, alpha, beta):
    """alpha overdue (due yesterday) in Year 9 B; beta due in 3 days in a second class; a third class's
    alpha due in 30 days."""
    services.assignment_set(classroom=classroom, module=alpha, due_date=TODAY - datetime.timedelta(days=1))
    second = services.classroom_create(teacher=TeacherFactory(), name="Science club")
    services.assignment_set(classroom=second, module=beta, due_date=TODAY + datetime.timedelta(days=3))
    second.memberships.create(student=member)
    far = services.classroom_create(teacher=TeacherFactory(), name="Far away")
    services.assignment_set(classroom=far, module=alpha, due_date=TODAY + datetime.timedelta(days=30))
    far.memberships.create(student=member)
    return member


def test_overdue_first_then_due_within_a_week(due_dates):
    with at_noon(TODAY):
        dashboard = selectors.student_dashboard(student=due_dates)
        due = selectors.assignments_due(dashboard=dashboard, today=TODAY)
    assert [(item.classroom.name, item.assignment.module.slug, item.cell.is_overdue) for item in due] == [
        ("Year 9 B", "alpha", True),
        ("Science club", "beta", False),
    ]


def test_done_assignments_and_those_without_a_date_are_not_due(classroom, member, alpha, progress):
    services.assignment_set(classroom=classroom, module=alpha, due_date=TODAY)
    with at_noon(TODAY):
        assert (
            len(selectors.assignments_due(dashboard=selectors.student_dashboard(student=member), today=TODAY))
            == 1
        )
        progress.read(member)
        progress.quiz(member, right=8)
        assert (
            selectors.assignments_due(dashboard=selectors.student_dashboard(student=member), today=TODAY)
            == []
        )
    services.assignment_set(classroom=classroom, module=alpha, due_date=None)
    assert selectors.assignments_due(dashboard=selectors.student_dashboard(student=member), today=TODAY) == []


def test_an_assignment_due_in_exactly_a_week_is_due_soon_and_eight_days_is_not(classroom, member, alpha):
    for days, expected in ((7, 1), (8, 0)):
        services.assignment_set(
            classroom=classroom, module=alpha, due_date=TODAY + datetime.timedelta(days=days)
        )
        dashboard = selectors.student_dashboard(student=member)
        assert len(selectors.assignments_due(dashboard=dashboard, today=TODAY)) == expected


@pytest.mark.parametrize("path", ["/en/", "/en/dashboard/"])
def test_home_and_dashboard_show_what_is_due_first(due_dates, login, path):
    with at_noon(TODAY):
        body = login(due_dates).get(path).content.decode()
    section = body.split('id="due-title"')[1].split("</section>")[0]
    assert section.index("Overdue") < section.index("Science club") and "Far away" not in section
    assert body.index('id="due-title"') < body.index("<h2", body.index('id="due-title"') + 20)


def test_teachers_and_anonymous_readers_see_no_due_list(classroom, teacher_client, client):
    assert 'id="due-title"' not in teacher_client.get("/en/").content.decode()
    assert 'id="due-title"' not in client.get("/en/").content.decode()


def test_an_archived_class_is_not_due(due_dates, classroom, teacher):
    services.classroom_archive(classroom=classroom, actor=teacher)
    with at_noon(TODAY):
        due = selectors.assignments_due(dashboard=selectors.student_dashboard(student=due_dates), today=TODAY)
    assert [item.classroom.name for item in due] == ["Science club"]


def test_a_note_for_students_is_saved_with_the_assignment_and_shown_to_them(
    classroom, member, alpha, teacher_client, login
):
    url = f"/en/classes/{classroom.pk}/assignments/"
    teacher_client.post(
        url, {"work": f"module-{alpha.pk}", "due_date": "2026-03-12", "comment": "  Read it  before Tuesday "}
    )
    assert classroom.assignments.get().comment == "Read it before Tuesday"
    with at_noon(TODAY):
        dashboard = login(member).get("/en/dashboard/").content.decode()
    assert "Note from your teacher:" in dashboard and dashboard.count("Read it before Tuesday") == 2
    teacher_client.post(url, {"work": f"module-{alpha.pk}", "due_date": "", "comment": ""})
    assert classroom.assignments.get().comment == ""


@pytest.mark.parametrize("comment", ["x" * 301, "Read\u202e it", "a\x00b"])
def test_a_bad_note_is_422_and_changes_nothing(classroom, alpha, teacher_client, comment):
    response = teacher_client.post(
        f"/en/classes/{classroom.pk}/assignments/",
        {"work": f"module-{alpha.pk}", "due_date": "", "comment": comment},
    )
    assert response.status_code in (400, 422)
    assert classroom.assignments.get().comment == ""


def test_the_home_page_reads_as_many_queries_with_one_class_or_many(
    due_dates, login, django_assert_max_num_queries
):
    client = login(due_dates)
    with at_noon(TODAY):
        client.get("/en/")  # warm the session
        with django_assert_max_num_queries(20) as few:
            client.get("/en/")
        for index in range(5):
            extra = services.classroom_create(teacher=TeacherFactory(), name=f"Extra {index}")
            extra.memberships.create(student=due_dates)
            services.assignment_set(classroom=extra, module=classroom_module(), due_date=TODAY)
        with django_assert_max_num_queries(len(few.captured_queries)):
            body = client.get("/en/").content.decode()
    assert body.count("Extra ") == 5


def classroom_module():
    from apps.lessons.models import Module

    return Module.objects.get(slug="alpha")
