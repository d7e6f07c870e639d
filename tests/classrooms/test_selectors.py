"""apps/classrooms/selectors.py: the grid, its cells and columns, the class list, the dashboard."""

import datetime

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from apps.classrooms import selectors, services
from apps.classrooms.models import Membership, Status
from apps.classrooms.selectors import (
    classroom_list_for_teacher,
    classroom_most_missed,
    classroom_progress_grid,
    student_dashboard,
)
from apps.quizzes.models import Question
from apps.quizzes.services import attempt_start, quiz_answer_submit
from tests.factories import ClassroomFactory, StudentFactory, TeacherFactory
from tests.helpers import at_noon, join_class, quiz_for, reader_of

pytestmark = pytest.mark.django_db

DUE = datetime.date(2026, 3, 10)


def cell_of(classroom, column: int = 0, row: int = 0):
    return classroom_progress_grid(classroom=classroom).rows[row].cells[column]


# --- Status ----------------------------------------------------------------------------------


def test_status_is_one_set_of_values_and_labels():
    assert [(status.value, status.label) for status in Status] == [
        ("not-started", "Not started"),
        ("in-progress", "In progress"),
        ("done", "Done"),
        ("overdue", "Overdue"),
        ("not-shared", "Not shared"),
    ]
    with translation.override("ar"):
        assert [str(status.label) for status in Status] == [
            "لم يبدأ",
            "قيد التقدّم",
            "تم",
            "متأخر",
            "غير مُشارَكة",
        ]


# --- Cells -----------------------------------------------------------------------------------


def test_a_cell_with_no_progress(classroom, member):
    cell = cell_of(classroom)
    assert (cell.lessons_read, cell.lesson_count, cell.best_percent, cell.attempts, cell.quiz_passed) == (
        0,
        3,
        None,
        0,
        False,
    )
    assert cell.status == Status.NOT_STARTED
    assert (cell.fraction, cell.heat, cell.is_overdue) == (0, 0, False)
    assert cell.next_lesson.slug == "first-steps"


def test_a_cell_counts_the_reads_of_its_module_only(classroom, member, progress):
    progress.read(member, "alpha", count=2)
    progress.read(member, "beta")
    progress.read(StudentFactory(), "alpha")  # someone else's reads
    cell = cell_of(classroom)
    assert (cell.lessons_read, cell.lesson_count) == (2, 3)
    assert cell.next_lesson.slug == "third-way"
    assert cell.status == Status.IN_PROGRESS
    assert cell.fraction == 0.5 and cell.heat == 2


def test_the_next_lesson_is_the_first_unread_one(classroom, member, progress):
    progress.read(member, "alpha", count=1)
    assert cell_of(classroom).next_lesson.slug == "second-look"
    progress.read(member, "alpha")
    assert cell_of(classroom).next_lesson is None


def test_a_cell_has_the_best_finished_attempt(classroom, member, progress):
    progress.quiz(member, right=5)
    progress.quiz(member, right=8)
    progress.quiz(member, right=2)
    attempt_start(quiz=quiz_for(), reader=reader_of(member))  # unfinished: not counted
    progress.quiz(member, "beta", right=4)  # another module
    progress.quiz(StudentFactory(), right=7)  # another student
    cell = cell_of(classroom)
    assert (cell.best_percent, cell.attempts, cell.quiz_passed) == (100, 3, True)


def test_a_pass_counts_even_when_a_later_attempt_fails(classroom, member, progress):
    progress.quiz(member, right=6)
    progress.quiz(member, right=0)
    cell = cell_of(classroom)
    assert (cell.best_percent, cell.quiz_passed) == (75, True)


def test_a_failed_quiz_alone_is_in_progress(classroom, member, progress):
    progress.quiz(member, right=5)
    cell = cell_of(classroom)
    assert (cell.best_percent, cell.attempts, cell.quiz_passed) == (62, 1, False)
    assert cell.status == Status.IN_PROGRESS and cell.heat == 0


@pytest.mark.parametrize(
    ("reads", "right", "status", "heat"),
    [
        (3, 6, Status.DONE, 4),
        (3, 8, Status.DONE, 4),
        (3, 5, Status.IN_PROGRESS, 3),  # every lesson read, quiz failed
        (3, None, Status.IN_PROGRESS, 3),  # every lesson read, no quiz
        (2, 8, Status.IN_PROGRESS, 3),  # quiz passed, a lesson unread
        (0, 8, Status.IN_PROGRESS, 1),  # quiz passed, nothing read
        (1, None, Status.IN_PROGRESS, 1),
        (0, None, Status.NOT_STARTED, 0),
    ],
)
def test_done_means_every_lesson_read_and_the_quiz_passed(
    classroom, member, progress, reads, right, status, heat
):
    progress.read(member, "alpha", count=reads)
    if right is not None:
        progress.quiz(member, right=right)
    cell = cell_of(classroom)
    assert (cell.status, cell.heat) == (status, heat)


def test_overdue_only_after_the_due_date_and_never_when_done(classroom, alpha, progress):
    services.assignment_set(classroom=classroom, module=alpha, due_date=DUE)
    idle, started, finished = join_class(classroom, "a-idle", "b-started", "c-finished")
    progress.read(started, count=1)
    progress.read(finished)
    progress.quiz(finished, right=6)

    def statuses():
        return [row.cells[0].status for row in classroom_progress_grid(classroom=classroom).rows]

    with at_noon(DUE):
        assert statuses() == [Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE]
    with at_noon(DUE + datetime.timedelta(days=1)):
        assert statuses() == [Status.OVERDUE, Status.OVERDUE, Status.DONE]
        cells = [row.cells[0] for row in classroom_progress_grid(classroom=classroom).rows]
        assert [cell.is_overdue for cell in cells] == [True, True, False]
        assert [cell.heat for cell in cells] == [0, 1, 4]  # heat still shows how far they got


def test_no_due_date_is_never_overdue(classroom, member):
    with at_noon(datetime.date(2099, 1, 1)):
        assert cell_of(classroom).status == Status.NOT_STARTED


# --- Grid ------------------------------------------------------------------------------------


def test_grid_rows_by_username_and_columns_in_module_order(teacher, alpha, beta):
    classroom = services.classroom_create(teacher=teacher, name="Mixed")
    services.assignment_set(classroom=classroom, module=beta, due_date=None)
    services.assignment_set(classroom=classroom, module=alpha, due_date=None)
    join_class(classroom, "zaid", "amal", "huda")
    join_class(ClassroomFactory(), "outsider")
    grid = classroom_progress_grid(classroom=classroom)
    assert [row.membership.student.username for row in grid.rows] == ["amal", "huda", "zaid"]
    assert [column.assignment.module.slug for column in grid.columns] == ["alpha", "beta"]
    assert [cell.lesson_count for cell in grid.rows[0].cells] == [3, 2]


def test_students_sort_by_the_name_the_teacher_sees(classroom):
    students = join_class(classroom, "zed", "amy", "kai", "bob")
    for student, display_name in zip(students, ["Aya S.", "", "mona", "Zain"], strict=True):
        student.display_name = display_name
        student.save(update_fields=["display_name"])
    grid = classroom_progress_grid(classroom=classroom)
    assert [row.membership.student.name_for_teachers for row in grid.rows] == [
        "amy",
        "Aya S.",
        "mona",
        "Zain",
    ]
    grid = classroom_progress_grid(classroom=classroom, sort="progress")
    assert [row.membership.student.name_for_teachers for row in grid.rows] == [
        "amy",
        "Aya S.",
        "mona",
        "Zain",
    ]


def test_sort_by_progress_puts_least_progress_first_ties_by_username(classroom, progress):
    ann, bob, cyd, dan = join_class(classroom, "ann", "bob", "cyd", "dan")
    progress.read(ann)
    progress.quiz(ann, right=8)
    progress.read(cyd, count=1)

    def order(**kwargs):
        grid = classroom_progress_grid(classroom=classroom, **kwargs)
        return [row.membership.student.username for row in grid.rows]

    assert order() == ["ann", "bob", "cyd", "dan"]
    assert order(sort="name") == ["ann", "bob", "cyd", "dan"]
    assert order(sort="progress") == ["bob", "dan", "cyd", "ann"]


def test_a_rows_progress_is_the_mean_of_its_cells(classroom, beta, member, progress):
    services.assignment_set(classroom=classroom, module=beta, due_date=None)
    progress.read(member, "alpha", count=2)  # 2 of 4 steps (3 lessons and the quiz)
    progress.read(member, "beta", count=1)  # 1 of 3 steps
    row = classroom_progress_grid(classroom=classroom).rows[0]
    assert row.progress == pytest.approx((2 / 4 + 1 / 3) / 2)
    assert row.progress_percent == 42


def test_a_class_without_assignments_has_rows_without_cells(teacher):
    classroom = services.classroom_create(teacher=teacher, name="Empty")
    join_class(classroom, "bob", "ann")
    grid = classroom_progress_grid(classroom=classroom, sort="progress")
    assert grid.columns == []
    assert [(row.membership.student.username, row.cells, row.progress) for row in grid.rows] == [
        ("ann", [], 0.0),
        ("bob", [], 0.0),
    ]
    assert not grid.has_question_stats


def test_each_column_counts_its_done_students(classroom, beta, progress):
    services.assignment_set(classroom=classroom, module=beta, due_date=None)
    ann, bob, _cyd = join_class(classroom, "ann", "bob", "cyd")
    for student in (ann, bob):
        progress.read(student, "alpha")
        progress.quiz(student, "alpha", right=6)
    progress.read(bob, "beta")
    progress.quiz(bob, "beta", right=8)
    progress.read(ann, "beta")  # beta quiz not taken: not done
    grid = classroom_progress_grid(classroom=classroom)
    assert [(c.assignment.module.slug, c.done_count) for c in grid.columns] == [("alpha", 2), ("beta", 1)]


def test_each_column_has_its_own_quiz_question_statistics(classroom, beta, member, progress):
    services.assignment_set(classroom=classroom, module=beta, due_date=None)
    progress.quiz(member, "beta", right=8)
    grid = classroom_progress_grid(classroom=classroom)
    alpha_stats, beta_stats = (column.question_stats for column in grid.columns)
    assert {stat.question.quiz.module.slug for stat in alpha_stats} == {"alpha"}
    assert {stat.question.quiz.module.slug for stat in beta_stats} == {"beta"}
    assert len(alpha_stats) == len(beta_stats) == 8
    assert [stat.answered for stat in alpha_stats] == [0] * 8
    assert [(stat.answered, stat.right) for stat in beta_stats] == [(1, 1)] * 8
    assert grid.has_question_stats


def test_question_statistics_on_known_answers(classroom):
    quiz = quiz_for()
    target = Question.objects.prefetch_related("choices").get(quiz=quiz, key="q01")
    right = next(c for c in target.choices.all() if c.is_correct)
    wrongs = [c for c in target.choices.all() if not c.is_correct]
    students = join_class(classroom, "s1", "s2", "s3", "s4")
    for student, choice in zip(students, [right, wrongs[0], wrongs[0], wrongs[1]], strict=True):
        attempt = attempt_start(quiz=quiz, reader=reader_of(student))
        quiz_answer_submit(attempt=attempt, question_key="q01", choice_keys=[choice.key])
    outsider = attempt_start(quiz=quiz, reader=reader_of(StudentFactory()))  # not in the class
    quiz_answer_submit(attempt=outsider, question_key="q01", choice_keys=[wrongs[1].key])
    stats = classroom_progress_grid(classroom=classroom).columns[0].question_stats
    stat = stats[0]  # most missed first: the others have no answers
    assert stat.question == target
    assert (stat.answered, stat.right, stat.percent_right) == (4, 1, 25)
    assert (stat.top_wrong, stat.top_wrong_count) == (wrongs[0], 2)


def test_without_stats_the_columns_have_none(classroom, member, progress):
    progress.quiz(member, right=3)
    grid = classroom_progress_grid(classroom=classroom, with_stats=False)
    assert [column.question_stats for column in grid.columns] == [[]]
    assert not grid.has_question_stats
    assert grid.columns[0].done_count == 0


def test_checklist_counts_only_for_students_who_share(classroom, progress):
    private, sharing, sharing_idle = join_class(classroom, "a-private", "b-sharing", "c-sharing-idle")
    Membership.objects.filter(student__in=[sharing, sharing_idle]).update(share_checklist=True)
    progress.tick(private, 4)
    progress.tick(sharing, 3)
    grid = classroom_progress_grid(classroom=classroom)
    assert [row.checklist_done for row in grid.rows] == [None, 3, 0]
    assert (grid.shared_count, grid.checklist_items) == (2, 5)
    assert (grid.checklist_total, grid.checklist_class_done) == (0, None)


def test_no_sharing_means_no_checklist_numbers(classroom, member, progress):
    progress.tick(member, 2)

    def checklist_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            classroom_progress_grid(classroom=classroom)
        # The assignments' platform titles may be joined; nobody's ticks may be read.
        return sum('"checklist_checklisttick"' in query["sql"] for query in captured.captured_queries)

    grid = classroom_progress_grid(classroom=classroom)
    assert grid.classroom == classroom
    assert [row.checklist_done for row in grid.rows] == [None]
    assert (grid.shared_count, grid.checklist_items, grid.checklist_class_done) == (0, 0, None)
    assert checklist_queries() == 0  # not even read
    Membership.objects.filter(student=member).update(share_checklist=True)
    assert checklist_queries() > 0


def test_the_class_total_needs_five_sharing_students(classroom, progress):
    students = join_class(classroom, "s1", "s2", "s3", "s4", "s5", "s6")
    for count, student in enumerate(students):
        progress.tick(student, count)  # 0 + 1 + 2 + 3 + 4 + 5
    Membership.objects.filter(student__in=students[:4]).update(share_checklist=True)
    grid = classroom_progress_grid(classroom=classroom)
    assert (grid.shared_count, grid.checklist_class_done, grid.checklist_total) == (4, None, 0)
    Membership.objects.filter(student=students[4]).update(share_checklist=True)
    grid = classroom_progress_grid(classroom=classroom)
    # The sixth student's 5 ticks are not shared, so not counted.
    assert (grid.shared_count, grid.checklist_class_done, grid.checklist_total) == (5, 10, 25)
    assert selectors.MIN_SHARED_FOR_CLASS_TOTAL == 5


# --- Class list ------------------------------------------------------------------------------


def test_the_class_list_counts_students_assignments_and_cells(teacher, alpha, beta, progress):
    busy = services.classroom_create(teacher=teacher, name="B busy")
    services.assignment_set(classroom=busy, module=alpha, due_date=DUE)
    services.assignment_set(classroom=busy, module=beta, due_date=None)
    done, idle = join_class(busy, "done", "idle")
    progress.read(done, "alpha")
    progress.quiz(done, "alpha", right=6)
    services.classroom_create(teacher=teacher, name="A empty")
    ClassroomFactory(name="Not mine")
    with at_noon(DUE + datetime.timedelta(days=1)):
        classes = classroom_list_for_teacher(teacher=teacher)
    assert [c.name for c in classes] == ["A empty", "B busy"]
    empty, busy = classes
    assert (busy.student_count, busy.assignment_count, busy.cell_count) == (2, 2, 4)
    assert (busy.done_count, busy.overdue_count) == (1, 1)  # idle is overdue on alpha
    assert (empty.student_count, empty.assignment_count, empty.cell_count) == (0, 0, 0)
    assert (empty.done_count, empty.overdue_count) == (0, 0)


def test_the_class_list_of_a_teacher_without_classes_is_empty(teacher):
    assert classroom_list_for_teacher(teacher=teacher) == []


# --- Dashboard -------------------------------------------------------------------------------


def test_the_dashboard_lists_the_students_classes_in_join_order(student, alpha, beta, progress):
    first, second, other = (
        ClassroomFactory(name="Z first"),
        ClassroomFactory(name="A second"),
        ClassroomFactory(),
    )
    services.assignment_set(classroom=first, module=alpha, due_date=datetime.date(2026, 5, 2))
    services.assignment_set(classroom=first, module=beta, due_date=datetime.date(2026, 5, 1))
    services.assignment_set(classroom=second, module=alpha, due_date=None)
    services.assignment_set(classroom=other, module=beta, due_date=None)
    with at_noon(datetime.date(2026, 4, 1)):
        Membership.objects.create(classroom=first, student=student)
    with at_noon(datetime.date(2026, 4, 2)):
        Membership.objects.create(classroom=second, student=student)
    progress.read(student, "beta")
    with at_noon(datetime.date(2026, 4, 3)):
        entries = student_dashboard(student=student)
    assert [entry.membership.classroom for entry in entries] == [first, second]
    first_items = [(a.module.slug, cell.lessons_read, cell.status) for a, cell in entries[0].items]
    assert first_items == [("beta", 2, Status.IN_PROGRESS), ("alpha", 0, Status.NOT_STARTED)]  # by due date
    assert [(a.module.slug, cell.lessons_read) for a, cell in entries[1].items] == [("alpha", 0)]


def test_assignments_due_the_same_day_come_in_module_order(student, alpha, beta):
    classroom = ClassroomFactory()
    services.assignment_set(classroom=classroom, module=beta, due_date=DUE)
    services.assignment_set(classroom=classroom, module=alpha, due_date=DUE)
    Membership.objects.create(classroom=classroom, student=student)
    (entry,) = student_dashboard(student=student)
    assert [assignment.module.slug for assignment, _cell in entry.items] == ["alpha", "beta"]


def test_the_dashboard_of_a_student_without_classes_is_empty(student):
    assert student_dashboard(student=student) == []


# --- Most missed -----------------------------------------------------------------------------


def answer(student, module: str, key: str, *, right: bool, attempt=None):
    """Answer one question of a fresh (or the given) attempt, rightly or wrongly."""
    attempt = attempt or attempt_start(quiz=quiz_for(module), reader=reader_of(student))
    question = Question.objects.prefetch_related("choices").get(quiz__module__slug=module, key=key)
    if right:
        keys = [c.key for c in question.choices.all() if c.is_correct]
    else:
        keys = [next(c.key for c in question.choices.all() if not c.is_correct)]
    quiz_answer_submit(attempt=attempt, question_key=key, choice_keys=keys)
    return attempt


def test_most_missed_worst_first_then_most_answered(classroom, alpha, beta):
    # Assignment ids that differ from module ids, so mixing them up shows.
    classroom.assignments.all().delete()
    services.assignment_set(classroom=ClassroomFactory(), module=beta, due_date=None)
    assert services.assignment_set(classroom=classroom, module=alpha, due_date=None).pk != alpha.pk
    ann, bob = join_class(classroom, "ann", "bob")
    attempt = answer(ann, "alpha", "q01", right=False)
    answer(ann, "alpha", "q02", right=True, attempt=attempt)
    attempt = answer(bob, "alpha", "q03", right=False)
    answer(bob, "alpha", "q01", right=False, attempt=attempt)
    answer(bob, "beta", "q04", right=False)  # beta is not assigned
    answer(StudentFactory(), "alpha", "q02", right=False)  # not in the class
    missed = classroom_most_missed(classroom=classroom)
    assert [(s.question.key, s.answered, s.right) for s in missed] == [
        ("q01", 2, 0),
        ("q03", 1, 0),
        ("q02", 1, 1),
    ]
    assert [s.question.key for s in classroom_most_missed(classroom=classroom, limit=2)] == ["q01", "q03"]


def test_most_missed_shows_at_most_eight_by_default(classroom, beta, member, progress):
    services.assignment_set(classroom=classroom, module=beta, due_date=None)
    progress.quiz(member, "alpha", right=0)
    progress.quiz(member, "beta", right=8)
    missed = classroom_most_missed(classroom=classroom)
    assert len(missed) == 8
    assert {s.question.quiz.module.slug for s in missed} == {"alpha"}


def test_most_missed_without_answers_is_empty(classroom, member):
    assert classroom_most_missed(classroom=classroom) == []


# --- Permission-scoped fetches and export ----------------------------------------------------


def test_a_class_is_found_only_for_its_teacher(classroom, teacher):
    assert selectors.classroom_get_for_teacher(teacher=teacher, classroom_id=classroom.pk) == classroom
    with pytest.raises(Http404):
        selectors.classroom_get_for_teacher(teacher=TeacherFactory(), classroom_id=classroom.pk)
    with pytest.raises(Http404):
        selectors.classroom_get_for_teacher(teacher=teacher, classroom_id=classroom.pk + 1000)


def test_the_owner_gets_the_class_in_one_query_and_a_co_teacher_in_three(
    classroom, teacher, django_assert_num_queries
):
    co_teacher = TeacherFactory()
    classroom.co_teachers.add(co_teacher)
    with django_assert_num_queries(1):
        found = selectors.classroom_get_for_teacher(teacher=teacher, classroom_id=classroom.pk)
        assert found.teacher is teacher and found.name == classroom.name
    with django_assert_num_queries(3):
        found = selectors.classroom_get_for_teacher(teacher=co_teacher, classroom_id=classroom.pk)
        assert found == classroom and found.teacher == teacher
    for huge in (2**63, -1, 0):
        with pytest.raises(Http404):
            selectors.classroom_get_for_teacher(teacher=teacher, classroom_id=huge)


def test_a_membership_is_found_only_for_its_student(
    classroom, member, other_student, django_assert_num_queries
):
    with django_assert_num_queries(1):
        membership = selectors.membership_get_for_student(student=member, classroom_id=classroom.pk)
        assert membership.classroom.name == "Year 9 B"
    assert (membership.student, membership.classroom) == (member, classroom)
    with pytest.raises(Http404):
        selectors.membership_get_for_student(student=other_student, classroom_id=classroom.pk)


def test_a_class_is_found_by_its_exact_code(classroom, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = selectors.classroom_by_code(code=classroom.join_code)
        assert found.teacher.username == "ms-haddad"  # shown on the join page
    assert found == classroom
    assert selectors.classroom_by_code(code=classroom.join_code.lower()) is None
    assert selectors.classroom_by_code(code="") is None


def test_the_export_lists_classes_joined_and_taught(classroom, member, teacher, django_assert_num_queries):
    Membership.objects.filter(student=member).update(share_checklist=True)
    join_class(ClassroomFactory(), "someone-else")
    with django_assert_num_queries(2):
        exported = selectors.classrooms_export(user=member)
    membership = Membership.objects.get(student=member)
    assert exported == {
        "classes_joined": [
            {
                "class": "Year 9 B",
                "joined_at": membership.joined_at.isoformat(),
                "shares_checklist_counts": True,
            }
        ],
        "classes_taught": [],
    }
    assert selectors.classrooms_export(user=teacher) == {
        "classes_joined": [],
        "classes_taught": [{"class": "Year 9 B", "created_at": classroom.created_at.isoformat()}],
    }


# --- The grid as a table (CSV) ---------------------------------------------------------------


def test_the_progress_table_has_a_header_and_a_line_per_student(classroom, beta, progress):
    services.assignment_set(classroom=classroom, module=beta, due_date=None)
    done, idle = join_class(classroom, "done", "idle")
    progress.read(done)
    progress.quiz(done, right=6)
    header, rows = selectors.progress_table(
        grid=classroom_progress_grid(classroom=classroom, sort="progress")
    )
    assert header == [
        "Student",
        "Username",
        "Overall (%)",
        "Alpha: how traces add up: lessons read",
        "Alpha: how traces add up: best quiz score (%)",
        "Alpha: how traces add up: status",
        "Beta: what you can change: lessons read",
        "Beta: what you can change: best quiz score (%)",
        "Beta: what you can change: status",
    ]
    assert rows == [
        ["idle", "idle", 0, "0/3", "", "Not started", "0/2", "", "Not started"],
        ["done", "done", 50, "3/3", 75, "Done", "0/2", "", "Not started"],
    ]
    with translation.override("ar"):
        header, rows = selectors.progress_table(grid=classroom_progress_grid(classroom=classroom))
        assert header[0] == "طالب" and [str(cell) for cell in rows[0][3:6]] == ["3/3", "75", "تم"]


def test_the_progress_table_of_a_class_without_students(teacher):
    classroom = services.classroom_create(teacher=teacher, name="Empty")
    assert selectors.progress_table(grid=classroom_progress_grid(classroom=classroom)) == (
        ["Student", "Username", "Overall (%)"],
        [],
    )
