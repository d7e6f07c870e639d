"""Assigning one lesson or the checklist (one platform or all of it), not only whole modules: the form,
the grid, the dashboard, the due list, the student's page and the CSV, and the rules that hold them."""

import csv
import datetime
import io
import re

import pytest
from django.db import IntegrityError, transaction

from apps.checklist.models import ChecklistGroup, ChecklistItem
from apps.classrooms import services
from apps.classrooms.forms import AssignmentForm
from apps.classrooms.models import Assignment, Membership, Status
from apps.classrooms.selectors import classroom_progress_grid, student_dashboard
from apps.lessons.models import Lesson
from tests.factories import TeacherFactory
from tests.helpers import join_class, logged_in_clients, run_concurrently

RACE = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PAST = datetime.date(2020, 1, 1)


@pytest.fixture
def habits(db) -> Lesson:
    return Lesson.objects.get(module__slug="beta", slug="habits")


@pytest.fixture
def photobook(db) -> ChecklistGroup:
    return ChecklistGroup.objects.get(slug="photobook")


def assign(classroom, **work) -> Assignment:
    return services.assignment_set(classroom=classroom, due_date=work.pop("due_date", None), **work)


def lesson_work(lesson) -> dict:
    return {"kind": Assignment.Kind.LESSON, "lesson": lesson}


def checklist_work(group=None) -> dict:
    return {"kind": Assignment.Kind.CHECKLIST, "checklist_group": group}


def cells(classroom, kind: str) -> list:
    """Each student's cell of the class's only assignment of this kind."""
    grid = classroom_progress_grid(classroom=classroom)
    (index,) = [i for i, column in enumerate(grid.columns) if column.assignment.kind == kind]
    return [row.cells[index] for row in grid.rows]


# --- The form --------------------------------------------------------------------------------


def test_the_form_offers_modules_each_lesson_by_module_the_checklist_and_the_simulator(db):
    choices = AssignmentForm().fields["work"].choices
    groups = {str(label): [str(text) for _value, text in options] for label, options in choices}
    lessons = {lesson.module.title: lesson for lesson in Lesson.objects.select_related("module")}
    assert list(groups) == [
        "Modules",
        f"Lessons of “{Lesson.objects.get(slug='first-steps').module.title}”",
        f"Lessons of “{Lesson.objects.get(slug='habits').module.title}”",
        "Checklist",
        "Practice",
    ]
    assert groups["Practice"] == [
        "The data-trail simulator",
        "Lab: Read the small print",
        "Lab: Spot the scam",
        "Lab: Ask for your data",
    ]
    assert len(groups["Modules"]) == 2
    assert (
        sum(len(options) for options in list(groups.values())[1:3]) == Lesson.objects.count() > len(lessons)
    )
    assert groups["Checklist"] == [
        "The whole checklist",
        f"Checklist: {ChecklistGroup.objects.get(slug='everywhere').title}",
        f"Checklist: {ChecklistGroup.objects.get(slug='photobook').title}",
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("lesson", "lesson"), ("checklist-group", "checklist"), ("checklist", "checklist")],
)
def test_the_forms_choice_becomes_what_is_assigned(db, habits, photobook, value, expected):
    raw = {"lesson": f"lesson-{habits.pk}", "checklist-group": f"checklist-{photobook.pk}"}.get(value, value)
    form = AssignmentForm({"work": raw, "due_date": "", "comment": ""})
    assert form.is_valid(), form.errors
    work = form.cleaned_data["work"]
    assert work["kind"] == expected
    if value == "lesson":
        assert (work["lesson"], work["module"]) == (habits, habits.module)
    else:
        assert work["checklist_group"] == (photobook if value == "checklist-group" else None)


def test_a_teacher_assigns_a_lesson_and_the_checklist_over_http(classroom, teacher_client, habits, photobook):
    url = f"/en/classes/{classroom.pk}/assignments/"
    for work in [f"lesson-{habits.pk}", f"checklist-{photobook.pk}", "checklist"]:
        response = teacher_client.post(url, {"work": work, "due_date": "2026-12-01", "comment": "Soon"})
        assert response.status_code == 302
    # Sent again (a double click, a retried request): still one of each, the date changed.
    teacher_client.post(url, {"work": f"lesson-{habits.pk}", "due_date": "2026-12-08", "comment": ""})
    fields = ["kind", "lesson__slug", "checklist_group__slug", "due_date", "comment"]
    rows = sorted(classroom.assignments.values_list(*fields), key=str)
    assert rows == [
        ("checklist", None, "photobook", datetime.date(2026, 12, 1), "Soon"),
        ("checklist", None, None, datetime.date(2026, 12, 1), "Soon"),
        ("lesson", "habits", None, datetime.date(2026, 12, 8), ""),
        ("module", None, None, None, ""),
    ]
    lesson_row = classroom.assignments.get(kind="lesson")
    assert lesson_row.module_id == habits.module_id


def test_the_class_page_shows_each_assignments_own_title_and_edit_form(classroom, teacher_client, habits):
    assign(classroom, **lesson_work(habits))
    assign(classroom, **checklist_work())
    body = teacher_client.get(f"/en/classes/{classroom.pk}/").content.decode()
    assert f'<input type="hidden" name="work" value="lesson-{habits.pk}">' in body
    assert '<input type="hidden" name="work" value="checklist">' in body
    assert f"<strong>{habits.title}</strong>" in body and "<strong>The whole checklist</strong>" in body


# --- Rules held by the database --------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "module"},
        {"kind": "module", "module": "alpha", "lesson": "habits"},
        {"kind": "lesson", "module": "beta"},
        {"kind": "lesson", "lesson": "habits"},
        {"kind": "checklist", "module": "alpha"},
        {"kind": "checklist", "lesson": "habits"},
        {"kind": "module", "module": "alpha", "checklist_group": "photobook"},
    ],
)
def test_an_assignment_whose_fields_do_not_match_its_kind_cannot_be_stored(classroom, habits, fields):
    lookup = {
        "module": lambda: habits.module if fields["module"] == "beta" else classroom.assignments.get().module,
        "lesson": lambda: habits,
        "checklist_group": lambda: ChecklistGroup.objects.get(slug="photobook"),
    }
    values = {name: lookup[name]() for name in fields if name != "kind"}
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(classroom=classroom, kind=fields["kind"], **values)


@pytest.mark.parametrize("work", ["lesson", "group", "whole"])
def test_each_piece_of_work_is_assigned_at_most_once_per_class(classroom, habits, photobook, work):
    fields = {
        "lesson": {"kind": "lesson", "module": habits.module, "lesson": habits},
        "group": {"kind": "checklist", "checklist_group": photobook},
        "whole": {"kind": "checklist"},
    }[work]
    Assignment.objects.create(classroom=classroom, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(classroom=classroom, **fields)


def test_a_lesson_may_be_assigned_beside_its_whole_module(classroom, habits):
    assign(classroom, module=habits.module)
    assign(classroom, **lesson_work(habits))
    assert sorted(classroom.assignments.values_list("kind", flat=True)) == ["lesson", "module", "module"]


@RACE
@pytest.mark.parametrize("work", ["lesson", "checklist"])
def test_concurrent_identical_assignments_of_a_lesson_or_the_checklist_keep_one(work):
    teacher = TeacherFactory()
    classroom = services.classroom_create(teacher=teacher, name="Race")
    value = f"lesson-{Lesson.objects.get(slug='habits').pk}" if work == "lesson" else "checklist"
    url = f"/en/classes/{classroom.pk}/assignments/"
    results = run_concurrently(
        [
            lambda c=c: c.post(url, {"work": value, "due_date": "2026-12-24"}).status_code
            for c in logged_in_clients(teacher, 4)
        ]
    )
    assert results == [302] * 4
    assert classroom.assignments.count() == 1


# --- Progress --------------------------------------------------------------------------------


def test_a_lesson_is_done_once_read_with_no_quiz(classroom, habits, progress):
    assign(classroom, **lesson_work(habits))
    reader_of_it, other = join_class(classroom, "ann", "bob")
    progress.read(reader_of_it, module="beta")  # every lesson of beta, habits among them
    done, idle = cells(classroom, "lesson")
    assert (done.status, done.lessons_read, done.lesson_count, done.fraction) == (Status.DONE, 1, 1, 1.0)
    assert (idle.status, idle.lessons_read, idle.fraction, idle.next_lesson) == (
        Status.NOT_STARTED,
        0,
        0,
        habits,
    )


def test_reading_another_lesson_of_the_module_does_not_count(classroom, habits, progress):
    assign(classroom, **lesson_work(habits), due_date=PAST)
    (ann,) = join_class(classroom, "ann")
    other = Lesson.objects.filter(module=habits.module).exclude(pk=habits.pk).first()
    from apps.lessons.services import lesson_mark_read
    from tests.helpers import reader_of

    lesson_mark_read(reader=reader_of(ann), lesson=other)
    (cell,) = cells(classroom, "lesson")
    assert (cell.status, cell.lessons_read) == (Status.OVERDUE, 0)


def test_checklist_work_counts_only_that_platforms_items_of_students_who_share(
    classroom, photobook, progress
):
    assign(classroom, **checklist_work(photobook), due_date=PAST)
    sharing, private, finished = join_class(classroom, "ann", "bob", "cem")
    Membership.objects.filter(student__in=[sharing, finished]).update(share_checklist=True)
    progress.tick(sharing, 3)  # both "everywhere" items, then one photobook item
    progress.tick(private, 5)
    progress.tick(finished, 5)
    ann, bob, cem = cells(classroom, "checklist")
    assert (ann.items_done, ann.item_count, ann.status) == (1, 3, Status.OVERDUE)
    assert (bob.items_done, bob.status, bob.is_shared) == (None, Status.NOT_SHARED, False)
    assert (cem.items_done, cem.status, cem.fraction) == (3, Status.DONE, 1.0)


def test_the_whole_checklist_counts_every_platform(classroom, progress):
    assign(classroom, **checklist_work())
    (ann,) = join_class(classroom, "ann", share=True)
    progress.tick(ann, 3)
    (cell,) = cells(classroom, "checklist")
    assert (cell.items_done, cell.item_count, cell.status) == (
        3,
        ChecklistItem.objects.count(),
        Status.IN_PROGRESS,
    )


def test_work_a_student_does_not_share_is_left_out_of_their_overall(classroom, progress):
    assign(classroom, **checklist_work())
    (ann,) = join_class(classroom, "ann")
    progress.read(ann)  # every alpha lesson: 3 of the module's 4 steps (the quiz not passed)
    progress.tick(ann, 1)
    (row,) = classroom_progress_grid(classroom=classroom).rows
    assert row.progress_percent == 75
    Membership.objects.filter(student=ann).update(share_checklist=True)
    (row,) = classroom_progress_grid(classroom=classroom).rows
    assert row.progress_percent == round(100 * (0.75 + 1 / ChecklistItem.objects.count()) / 2)


def test_a_student_sees_their_own_checklist_work_even_when_they_share_nothing(classroom, progress, photobook):
    assign(classroom, **checklist_work(photobook))
    (ann,) = join_class(classroom, "ann")
    progress.tick(ann, 4)
    ((_checklist, cell), _module) = sorted(student_dashboard(student=ann)[0].items, key=lambda i: i[0].kind)
    assert (cell.items_done, cell.item_count, cell.status) == (2, 3, Status.IN_PROGRESS)


# --- Pages -----------------------------------------------------------------------------------


def test_the_grid_shows_lesson_and_checklist_cells_in_words(classroom, teacher_client, habits, progress):
    assign(classroom, **lesson_work(habits))
    assign(classroom, **checklist_work())
    ann, bob = join_class(classroom, "ann", "bob")
    Membership.objects.filter(student=ann).update(share_checklist=True)
    progress.tick(ann, 2)
    body = teacher_client.get(f"/en/classes/{classroom.pk}/").content.decode()
    assert f"{habits.title}</th>" in body and "The whole checklist</th>" in body
    assert '#lesson-beta-habits">' in body and '#checklist-all">' in body
    assert body.count(f"2/{ChecklistItem.objects.count()} items") == 1
    assert body.count('<span class="badge badge-muted status-badge">Not shared</span>') == 1


def test_the_dashboard_links_each_piece_of_work_to_where_it_is_done(
    classroom, habits, photobook, login, progress
):
    assign(classroom, **lesson_work(habits), due_date=PAST)
    assign(classroom, **checklist_work(photobook))
    (ann,) = join_class(classroom, "ann")
    progress.tick(ann, 3)
    body = login(ann).get("/en/dashboard/").content.decode()
    assert f'<h3><a href="{habits.get_absolute_url()}">{habits.title}</a></h3>' in body
    assert f'<h3><a href="{photobook.get_absolute_url()}">Checklist: {photobook.title}</a></h3>' in body
    assert "Lesson not read yet" in body and '<bdi class="num">1 of 3</bdi> items done' in body
    assert f'<a class="button button-small" href="{habits.get_absolute_url()}">Read the lesson</a>' in body
    assert (
        f'<a class="button button-small" href="{photobook.get_absolute_url()}">Open the checklist</a>' in body
    )
    # The overdue lesson leads the due list, linked to the lesson itself.
    due = re.search(r'<ul class="due-list">.*?</ul>', body, re.DOTALL).group(0)
    assert f'<a href="{habits.get_absolute_url()}">{habits.title}</a>' in due


def test_the_student_page_has_a_section_per_piece_of_work(
    classroom, teacher_client, habits, photobook, progress
):
    assign(classroom, **lesson_work(habits))
    assign(classroom, **checklist_work(photobook))
    (ann,) = join_class(classroom, "ann")
    url = f"/en/classes/{classroom.pk}/students/{ann.pk}/"
    body = teacher_client.get(url).content.decode()
    lesson = re.search(r'<section id="lesson-beta-habits".*?</section>', body, re.DOTALL).group(0)
    assert re.sub(r"<[^>]+>", "", lesson).count("0 of 1 lessons read") == 1
    assert "Quiz attempts" not in lesson
    checklist = re.search(r'<section id="checklist-photobook".*?</section>', body, re.DOTALL).group(0)
    assert "Not shared: the student keeps their checklist to themselves." in checklist
    Membership.objects.filter(student=ann).update(share_checklist=True)
    progress.tick(ann, 3)
    body = teacher_client.get(url).content.decode()
    checklist = re.search(r'<section id="checklist-photobook".*?</section>', body, re.DOTALL).group(0)
    assert f"{photobook.title} · " in checklist and "1 of 3" in checklist
    assert ChecklistGroup.objects.get(slug="everywhere").title not in checklist


def test_the_csv_has_the_lesson_and_checklist_columns(classroom, teacher_client, habits, progress):
    assign(classroom, **lesson_work(habits))
    assign(classroom, **checklist_work())
    ann, bob = join_class(classroom, "ann", "bob")
    Membership.objects.filter(student=ann).update(share_checklist=True)
    progress.tick(ann, 2)
    progress.read(bob, module="beta")
    content = teacher_client.get(f"/en/classes/{classroom.pk}/export.csv").content.decode()
    header, *rows = list(csv.reader(io.StringIO(content.removeprefix("\ufeff"))))
    total = ChecklistItem.objects.count()
    assert header[6:12] == [
        f"{habits.title}: lessons read",
        f"{habits.title}: best quiz score (%)",
        f"{habits.title}: status",
        "The whole checklist: items done",
        "The whole checklist: best quiz score (%)",
        "The whole checklist: status",
    ]
    assert rows[0][6:12] == ["0/1", "", "Not started", f"2/{total}", "", "In progress"]
    assert rows[1][6:12] == ["1/1", "", "Done", "", "", "Not shared"]
