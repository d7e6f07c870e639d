import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass

import segno
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from apps.accounts.models import User
from apps.checklist import selectors as checklist_selectors
from apps.core.i18n import current_language
from apps.core.rows import raw_rows, row_by
from apps.labs import selectors as lab_selectors
from apps.lessons import selectors as lesson_selectors
from apps.lessons.models import Lesson
from apps.quizzes import selectors as quiz_selectors
from apps.simulator import selectors as simulator_selectors

from .models import Assignment, ClassEvent, Classroom, Membership, Status

MIN_SHARED_FOR_CLASS_TOTAL = 5


def _taught_by(teacher: User) -> QuerySet[Classroom]:
    """The classes this teacher owns or co-teaches."""
    co_taught = Classroom.co_teachers.through.objects.filter(user=teacher).values("classroom_id")
    return Classroom.objects.filter(Q(teacher=teacher) | Q(pk__in=co_taught))


def classroom_get_for_teacher(*, teacher: User, classroom_id: int) -> Classroom:
    """A class this teacher owns or co-teaches, or 404: another teacher's class is not found."""
    # The owner, who asks most, is one fixed statement (apps.core.rows); a co-teacher two queries more.
    classroom = row_by(Classroom, column="id", value=classroom_id)
    if classroom is not None and classroom.teacher_id == teacher.pk:
        classroom.teacher = teacher
        return classroom
    if classroom is None or not classroom.co_teachers.filter(pk=teacher.pk).exists():
        raise Http404("No such class")
    return Classroom.objects.select_related("teacher").get(pk=classroom.pk)


def _member_facts(classroom_id: int) -> QuerySet:
    members = Membership.objects.filter(classroom_id=classroom_id).order_by("pk")
    return members.values_list(
        "pk",
        "student_id",
        "share_checklist",
        "student__username",
        "student__display_name",
        "student__reader__pk",
        "student__reader__progress_version",
    )


def classroom_page_version(*, classroom: Classroom) -> str:
    """A digest of everything the class page shows, in one query: the class's own row (`classroom`, as
    loaded for this request), its version (assignments, teachers, log), today's date (what is overdue),
    and each member's name, sharing choice and progress version. Read it before the page: a write that
    lands in between makes the page newer than its version, never older."""
    rows = raw_rows("classroom-page-version", _member_facts, classroom.pk)
    facts = (
        classroom.name,
        classroom.join_code,
        classroom.archived_at,
        classroom.version,
        timezone.localdate(),
        list(rows),
    )
    return hashlib.blake2b(repr(facts).encode(), digest_size=16).hexdigest()


def classroom_teachers(*, classroom: Classroom) -> list[User]:
    """The owner first, then the co-teachers by username."""
    co_teachers = classroom.co_teachers.only("username", "display_name").order_by("username")
    return [classroom.teacher, *co_teachers]


def classroom_events(*, classroom: Classroom, limit: int = 20) -> list[ClassEvent]:
    return list(classroom.events.select_related("actor").only(
        "kind", "subject", "created_at", "actor__username", "actor__display_name"
    )[:limit])  # fmt: skip


def membership_get_for_student(*, student: User, classroom_id: int) -> Membership:
    membership = (
        Membership.objects.select_related("classroom")
        .filter(classroom__pk=classroom_id, student=student)
        .first()
    )
    if membership is None:
        raise Http404("Not a member of this class")
    return membership


def classroom_list_for_teacher(*, teacher: User) -> list[Classroom]:
    """The classes the teacher owns or co-teaches (archived ones last), each with counts of students,
    assignments, done and overdue cells.

    One pass over every class at once, so the number of queries does not grow with classes.
    """
    # Meta.ordering does not apply to a query with GROUP BY, so the order is spelled out.
    classrooms = list(
        _taught_by(teacher)
        .annotate(
            student_count=Count("memberships", distinct=True),
            assignment_count=Count("assignments", distinct=True),
        )
        .order_by(F("archived_at").asc(nulls_first=True), "name", "pk")
    )
    students: dict[int, list[tuple[int, bool]]] = defaultdict(list)
    for classroom_id, student_id, shares in Membership.objects.filter(classroom__in=classrooms).values_list(
        "classroom_id", "student_id", "share_checklist"
    ):
        students[classroom_id].append((student_id, shares))
    assignments: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in Assignment.objects.filter(classroom__in=classrooms).only(
        "classroom_id", "kind", "module_id", "lesson_id", "checklist_group_id", "due_date"
    ):
        assignments[assignment.classroom_id].append(assignment)
    progress = _Progress(
        user_ids=sorted({s for pairs in students.values() for s, _shares in pairs}),
        assignments=[a for class_assignments in assignments.values() for a in class_assignments],
        checklist_user_ids=sorted({s for pairs in students.values() for s, shares in pairs if shares}),
    )
    for classroom in classrooms:
        statuses = [
            progress.cell(student_id, assignment, shared=shares).status
            for student_id, shares in students[classroom.pk]
            for assignment in assignments[classroom.pk]
        ]
        classroom.cell_count = len(statuses)
        classroom.done_count = statuses.count(Status.DONE)
        classroom.overdue_count = statuses.count(Status.OVERDUE)
    return classrooms


def classroom_by_code(*, code: str) -> Classroom | None:
    return Classroom.objects.select_related("teacher").filter(join_code=code).first()


# Done or not, in one step: a lesson read, or the simulator or a lab finished (counted in lessons_read).
ONE_STEP_KINDS = (Assignment.Kind.LESSON, Assignment.Kind.SIMULATOR, Assignment.Kind.LAB)


@dataclass
class Cell:
    """One student's progress on one assignment: a module (lessons and quiz), one lesson, or the
    checklist (items done, known to a teacher only when the student shares it with the class)."""

    lessons_read: int
    lesson_count: int
    best_percent: int | None
    attempts: int
    quiz_passed: bool
    status: Status
    next_lesson: Lesson | None = None
    # The assignment this cell is about, so the grid can link it to its section on the student's page.
    assignment: Assignment | None = None
    kind: str = Assignment.Kind.MODULE
    items_done: int | None = None  # checklist: None when not shared
    item_count: int = 0

    @property
    def is_shared(self) -> bool:
        return self.status != Status.NOT_SHARED

    @property
    def steps_done(self) -> int:
        """Lessons read and quiz passed, or checklist items done: what a progress bar counts."""
        if self.kind == Assignment.Kind.CHECKLIST:
            return self.items_done or 0
        if self.kind in ONE_STEP_KINDS:
            return self.lessons_read
        return self.lessons_read + (1 if self.quiz_passed else 0)

    @property
    def step_count(self) -> int:
        if self.kind == Assignment.Kind.CHECKLIST:
            return self.item_count
        if self.kind in ONE_STEP_KINDS:
            return self.lesson_count
        return self.lesson_count + 1

    @property
    def fraction(self) -> float:
        return self.steps_done / self.step_count if self.step_count else 0.0

    @property
    def heat(self) -> int:
        """0-4, for the cell colour; the text always says the same thing in words."""
        return 4 if self.status == Status.DONE else min(3, int(self.fraction * 4))

    @property
    def is_overdue(self) -> bool:
        return self.status == Status.OVERDUE


def _status(*, done: bool, started: bool, due: datetime.date | None, today: datetime.date) -> Status:
    if done:
        return Status.DONE
    if due is not None and due < today:
        return Status.OVERDUE
    if started:
        return Status.IN_PROGRESS
    return Status.NOT_STARTED


class _Progress:
    """Reads, quiz results, lessons and (when a checklist is assigned) checklist counts of some users on
    some assignments, loaded in a fixed number of queries; `cell()` then answers for any pair without
    touching the database. `checklist_user_ids`: whose checklist counts may be read at all."""

    def __init__(
        self, *, user_ids: list[int], assignments: list[Assignment], checklist_user_ids: list[int] = ()
    ):
        Kind = Assignment.Kind
        module_ids = sorted({a.module_id for a in assignments if a.module_id is not None})
        quiz_module_ids = sorted({a.module_id for a in assignments if a.kind == Kind.MODULE})
        self.lessons = lesson_selectors.lessons_by_module(module_ids=module_ids)
        self.read = lesson_selectors.read_lesson_ids_by_user(user_ids=user_ids, module_ids=module_ids)
        self.results = quiz_selectors.quiz_results_by_user(user_ids=user_ids, module_ids=quiz_module_ids)
        self.items_done: dict[tuple[int, int], int] = {}
        self.item_counts: dict[int, int] = {}
        if checklist_user_ids and any(a.kind == Kind.CHECKLIST for a in assignments):
            self.items_done = checklist_selectors.checklist_done_counts_by_user_and_group(
                user_ids=list(checklist_user_ids)
            )
            self.item_counts = checklist_selectors.checklist_item_counts_by_group()
        self.finished: dict[str, set[int]] = {}  # "simulator" or a lab: the users who finished it
        if any(a.kind == Kind.SIMULATOR for a in assignments):
            self.finished["simulator"] = simulator_selectors.simulator_finished_user_ids(user_ids=user_ids)
        for lab in sorted({a.lab for a in assignments if a.kind == Kind.LAB}):
            self.finished[lab] = lab_selectors.lab_finished_user_ids(user_ids=user_ids, lab=lab)
        self.today = timezone.localdate()

    def cell(self, user_id: int, assignment: Assignment, *, shared: bool = True) -> Cell:
        if assignment.kind == Assignment.Kind.CHECKLIST:
            return self._checklist_cell(user_id, assignment, shared=shared)
        if assignment.kind in (Assignment.Kind.SIMULATOR, Assignment.Kind.LAB):
            return self._finish_cell(user_id, assignment)
        module_lessons = self.lessons.get(assignment.module_id, [])
        if assignment.kind == Assignment.Kind.LESSON:
            module_lessons = [lesson for lesson in module_lessons if lesson.pk == assignment.lesson_id]
        read_ids = self.read.get(user_id, set())
        lessons_read = sum(1 for lesson in module_lessons if lesson.pk in read_ids)
        result = self.results.get((user_id, assignment.module_id))
        if assignment.kind == Assignment.Kind.LESSON:
            result = None
        passed = bool(result and result.passed)
        attempts = result.attempts if result else 0
        needs_quiz = assignment.kind == Assignment.Kind.MODULE
        return Cell(
            lessons_read=lessons_read,
            lesson_count=len(module_lessons),
            best_percent=result.best_percent if result else None,
            attempts=attempts,
            quiz_passed=passed,
            status=_status(
                done=lessons_read >= len(module_lessons) and (passed or not needs_quiz),
                started=bool(lessons_read or attempts),
                due=assignment.due_date,
                today=self.today,
            ),
            next_lesson=next((lesson for lesson in module_lessons if lesson.pk not in read_ids), None),
            assignment=assignment,
            kind=assignment.kind,
        )

    def _finish_cell(self, user_id: int, assignment: Assignment) -> Cell:
        """Finished or not: all a teacher learns of a student's simulation or lab."""
        finished = user_id in self.finished.get(assignment.lab or "simulator", set())
        return Cell(
            lessons_read=int(finished),
            lesson_count=1,
            best_percent=None,
            attempts=0,
            quiz_passed=False,
            status=_status(done=finished, started=finished, due=assignment.due_date, today=self.today),
            assignment=assignment,
            kind=assignment.kind,
        )

    def _checklist_cell(self, user_id: int, assignment: Assignment, *, shared: bool) -> Cell:
        group_ids = [assignment.checklist_group_id] if assignment.checklist_group_id else self.item_counts
        item_count = sum(self.item_counts.get(group_id, 0) for group_id in group_ids)
        cell = Cell(
            lessons_read=0,
            lesson_count=0,
            best_percent=None,
            attempts=0,
            quiz_passed=False,
            status=Status.NOT_SHARED,
            assignment=assignment,
            kind=assignment.kind,
            item_count=item_count,
        )
        if shared:
            done = sum(self.items_done.get((user_id, group_id), 0) for group_id in group_ids)
            cell.items_done = done
            cell.status = _status(
                done=item_count > 0 and done >= item_count,
                started=done > 0,
                due=assignment.due_date,
                today=self.today,
            )
        return cell


@dataclass
class GridRow:
    membership: Membership
    cells: list[Cell]
    checklist_done: int | None

    @property
    def progress(self) -> float:
        """The mean of the cells' progress; checklist work the student does not share is left out."""
        cells = [cell for cell in self.cells if cell.is_shared]
        return sum(c.fraction for c in cells) / len(cells) if cells else 0.0

    @property
    def progress_percent(self) -> int:
        return round(100 * self.progress)


@dataclass
class AssignmentColumn:
    """One assigned module in the grid: how many students are done, and its quiz's question statistics."""

    assignment: Assignment
    done_count: int
    question_stats: list[quiz_selectors.QuestionStat]


@dataclass
class ProgressGrid:
    classroom: Classroom
    columns: list[AssignmentColumn]
    rows: list[GridRow]
    shared_count: int = 0
    checklist_items: int = 0
    checklist_total: int = 0
    checklist_class_done: int | None = None

    @property
    def has_question_stats(self) -> bool:
        return any(column.question_stats for column in self.columns)


def _assignments_with_titles(assignments: QuerySet[Assignment]) -> list[Assignment]:
    """Assignments with what their titles and links need, in the current language only."""
    language = current_language()
    return list(
        assignments.select_related("module", "lesson__module", "checklist_group").only(
            "classroom_id",
            "kind",
            "due_date",
            "comment",
            "module__slug",
            "module__position",
            f"module__title_{language}",
            "lesson__slug",
            "lesson__position",
            f"lesson__title_{language}",
            "lesson__module__slug",
            "checklist_group__slug",
            "checklist_group__position",
            f"checklist_group__title_{language}",
        )
    )


def classroom_progress_grid(
    *, classroom: Classroom, sort: str = "name", with_stats: bool = True
) -> ProgressGrid:
    """Students x assignments for the teacher, in a fixed number of queries.

    Students are in the order of the names the teacher sees; `sort="progress"` puts the students with
    the least progress first (ties by name).
    """
    memberships = list(
        Membership.objects.filter(classroom=classroom)
        .select_related("student")
        .only("classroom", "share_checklist", "student__username", "student__display_name")
        .order_by("student__username")
    )
    assignments = _assignments_with_titles(Assignment.objects.filter(classroom=classroom))
    user_ids = [m.student_id for m in memberships]
    sharing = [m.student_id for m in memberships if m.share_checklist]
    progress = _Progress(user_ids=user_ids, assignments=assignments, checklist_user_ids=sharing)
    done_counts = checklist_selectors.checklist_done_counts_for_users(user_ids=sharing) if sharing else {}
    rows = [
        GridRow(
            membership=m,
            cells=[progress.cell(m.student_id, a, shared=m.share_checklist) for a in assignments],
            checklist_done=done_counts.get(m.student_id, 0) if m.share_checklist else None,
        )
        for m in memberships
    ]
    # By the name the teacher sees (display name, else username), in any script and case.
    rows.sort(
        key=lambda row: (row.membership.student.name_for_teachers.casefold(), row.membership.student.username)
    )
    if sort == "progress":
        rows.sort(key=lambda row: row.progress)  # stable: ties stay in name order
    stats = {}
    quiz_module_ids = [a.module_id for a in assignments if a.kind == Assignment.Kind.MODULE]
    if with_stats and quiz_module_ids:
        stats = quiz_selectors.question_stats(
            user_ids=user_ids, module_ids=quiz_module_ids, with_explanations=False
        )
    columns = [
        AssignmentColumn(
            assignment=assignment,
            done_count=sum(1 for row in rows if row.cells[index].status == Status.DONE),
            question_stats=stats.get(assignment.module_id, []) if assignment.kind == "module" else [],
        )
        for index, assignment in enumerate(assignments)
    ]
    grid = ProgressGrid(classroom=classroom, columns=columns, rows=rows, shared_count=len(sharing))
    if sharing:
        grid.checklist_items = checklist_selectors.checklist_item_total()
    if len(sharing) >= MIN_SHARED_FOR_CLASS_TOTAL:
        grid.checklist_total = grid.checklist_items * len(sharing)
        grid.checklist_class_done = sum(done_counts.values())
    return grid


def progress_table(*, grid: ProgressGrid) -> tuple[list[str], list[list[object]]]:
    """The grid as a header and rows of plain cells, in the current language (for the CSV): the same
    columns as the page, in the same order."""
    # Outside the f-strings, where makemessages can find them.
    lessons_read, items_done, finished, best_score, status = (
        gettext("lessons read"),
        gettext("items done"),
        gettext("finished"),
        gettext("best quiz score (%)"),
        gettext("status"),
    )
    header = [gettext("Student"), gettext("Username"), gettext("Overall (%)")]
    for column in grid.columns:
        title = column.assignment.title
        kind = column.assignment.kind
        done = items_done if kind == Assignment.Kind.CHECKLIST else lessons_read
        if kind in (Assignment.Kind.SIMULATOR, Assignment.Kind.LAB):
            done = finished
        header += [f"{title}: {done}", f"{title}: {best_score}", f"{title}: {status}"]
    if grid.shared_count:
        header.append(gettext("Checklist items done"))
    rows = []
    for row in grid.rows:
        student = row.membership.student
        line: list[object] = [student.name_for_teachers, student.get_username(), row.progress_percent]
        for cell in row.cells:
            best = "" if cell.best_percent is None else cell.best_percent
            if cell.kind == Assignment.Kind.CHECKLIST:
                done = f"{cell.items_done}/{cell.item_count}" if cell.is_shared else ""
            elif cell.kind in (Assignment.Kind.SIMULATOR, Assignment.Kind.LAB):
                done = gettext("yes") if cell.lessons_read else gettext("no")
            else:
                done = f"{cell.lessons_read}/{cell.lesson_count}"
            line += [done, best, str(cell.status.label)]
        if grid.shared_count:
            shared = row.checklist_done is not None
            line.append(f"{row.checklist_done}/{grid.checklist_items}" if shared else gettext("not shared"))
        rows.append(line)
    return header, rows


@dataclass
class DashboardClass:
    membership: Membership
    items: list[tuple[Assignment, Cell]]


def student_dashboard(*, student: User) -> list[DashboardClass]:
    """The student's classes with each assignment's status: constant queries for any number."""
    memberships = list(
        Membership.objects.filter(student=student, classroom__archived_at__isnull=True)
        .select_related("classroom__teacher")
        .order_by("joined_at")
    )
    assignments = _assignments_with_titles(
        Assignment.objects.filter(classroom__in=[m.classroom_id for m in memberships]).order_by(
            "due_date", F("module__position").asc(nulls_last=True), "lesson__position", "pk"
        )
    )
    # A student always sees their own checklist counts, whatever they share with the class.
    progress = _Progress(user_ids=[student.pk], assignments=assignments, checklist_user_ids=[student.pk])
    return [
        DashboardClass(
            membership=m,
            items=[
                (a, progress.cell(student.pk, a)) for a in assignments if a.classroom_id == m.classroom_id
            ],
        )
        for m in memberships
    ]


DUE_SOON = datetime.timedelta(days=7)


@dataclass(frozen=True)
class DueItem:
    classroom: Classroom
    assignment: Assignment
    cell: Cell


def assignments_due(*, dashboard: list[DashboardClass], today: datetime.date) -> list[DueItem]:
    """What a student should do first: overdue assignments, then those due within a week, each by
    date. Read from the dashboard already loaded, so it costs no query."""
    due = [
        DueItem(entry.membership.classroom, assignment, cell)
        for entry in dashboard
        for assignment, cell in entry.items
        if cell.status != Status.DONE and assignment.due_date and assignment.due_date <= today + DUE_SOON
    ]
    return sorted(due, key=lambda item: (item.cell.status != Status.OVERDUE, item.assignment.due_date))


def classroom_most_missed(*, classroom: Classroom, limit: int = 8) -> list[quiz_selectors.QuestionStat]:
    """The assigned quizzes' questions this class answered worst (answered at least once), worst first."""
    student_ids = list(Membership.objects.filter(classroom=classroom).values_list("student_id", flat=True))
    module_ids = list(
        Assignment.objects.filter(classroom=classroom, kind=Assignment.Kind.MODULE).values_list(
            "module_id", flat=True
        )
    )
    stats = quiz_selectors.question_stats(user_ids=student_ids, module_ids=module_ids)
    answered = [stat for module_stats in stats.values() for stat in module_stats if stat.answered]
    answered.sort(key=lambda stat: (stat.percent_right, -stat.answered))
    return answered[:limit]


def classrooms_export(*, user: User) -> dict:
    return {
        "classes_joined": [
            {
                "class": m.classroom.name,
                "joined_at": m.joined_at.isoformat(),
                "shares_checklist_counts": m.share_checklist,
            }
            for m in Membership.objects.filter(student=user).select_related("classroom")
        ],
        "classes_taught": [
            {"class": c.name, "created_at": c.created_at.isoformat()}
            for c in Classroom.objects.filter(teacher=user)
        ],
    }


# --- One student's work, for the class's teachers ----------------------------------------------


def membership_get_for_teacher(*, classroom: Classroom, student_id: int) -> Membership:
    """The membership of this student in a class the teacher may see (get the class with
    `classroom_get_for_teacher` first), with the student's name and last activity, or 404."""
    membership = (
        Membership.objects.filter(classroom=classroom, student__pk=student_id)
        .select_related("student__reader")
        .only(
            "classroom_id",
            "joined_at",
            "share_checklist",
            "student__username",
            "student__display_name",
            "student__reader__last_active_at",
        )
        .first()
    )
    if membership is None:
        raise Http404("Not a member of this class")
    return membership


@dataclass
class StudentModule:
    """One assignment on a student's page: a module's lessons with read dates and its quiz attempts, one
    lesson with its read date, or the checklist's platforms with counts (None when not shared)."""

    assignment: Assignment
    lessons: list[Lesson]
    attempts: list
    checklist: list | None = None
    finished_at: object = None  # a datetime, for the simulator or a lab

    @property
    def read_count(self) -> int:
        return sum(1 for lesson in self.lessons if lesson.read_at is not None)


@dataclass
class StudentWork:
    membership: Membership
    last_active_at: datetime.datetime | None
    modules: list[StudentModule]
    attempts: list
    # Done and total per platform, or None when the student does not share the checklist with this class.
    checklist: list | None


def student_work(*, classroom: Classroom, membership: Membership) -> StudentWork:
    """What a class's teacher sees of one member: per assignment the lessons read (with dates) and the
    quiz attempts, every attempt with each answer (newest first), and the checklist counts only when
    the student shares them with this class. A fixed number of queries, whatever the attempts."""
    reader = getattr(membership.student, "reader", None)  # None: the student has done nothing yet
    assignments = _assignments_with_titles(Assignment.objects.filter(classroom=classroom))
    lessons = lesson_selectors.lessons_with_read_dates(
        reader=reader, module_ids=sorted({a.module_id for a in assignments if a.module_id})
    )
    attempts = quiz_selectors.attempt_list_with_answers(reader=reader)
    checklist = None
    if membership.share_checklist:
        checklist = checklist_selectors.checklist_progress_by_group(reader=reader)
    finished_at: dict[str, object] = {}
    if any(a.kind == Assignment.Kind.SIMULATOR for a in assignments):
        finished_at["simulator"] = simulator_selectors.simulator_finished_at(reader=reader)
    if any(a.kind == Assignment.Kind.LAB for a in assignments):
        finished_at.update(lab_selectors.lab_finishes(reader=reader))
    modules = [
        _student_module(a, lessons=lessons, attempts=attempts, checklist=checklist) for a in assignments
    ]
    for module in modules:
        if module.assignment.kind in (Assignment.Kind.SIMULATOR, Assignment.Kind.LAB):
            module.finished_at = finished_at.get(module.assignment.lab or "simulator")
    return StudentWork(
        membership=membership,
        last_active_at=reader.last_active_at if reader is not None else None,
        modules=modules,
        attempts=attempts,
        checklist=checklist,
    )


def _student_module(assignment: Assignment, *, lessons: dict, attempts: list, checklist) -> StudentModule:
    Kind = Assignment.Kind
    if assignment.kind in (Kind.SIMULATOR, Kind.LAB):
        return StudentModule(assignment=assignment, lessons=[], attempts=[])
    if assignment.kind == Kind.CHECKLIST:
        groups = checklist
        if checklist is not None and assignment.checklist_group_id:
            groups = [group for group in checklist if group.pk == assignment.checklist_group_id]
        return StudentModule(assignment=assignment, lessons=[], attempts=[], checklist=groups)
    module_lessons = lessons.get(assignment.module_id, [])
    if assignment.kind == Kind.LESSON:
        module_lessons = [lesson for lesson in module_lessons if lesson.pk == assignment.lesson_id]
        return StudentModule(assignment=assignment, lessons=module_lessons, attempts=[])
    module_attempts = [attempt for attempt in attempts if attempt.quiz.module_id == assignment.module_id]
    return StudentModule(assignment=assignment, lessons=module_lessons, attempts=module_attempts)


def class_student_get(*, classroom: Classroom, student_id: int) -> User:
    """A student of this class, or 404 (an id beyond the column's range is "not found" too)."""
    student = (
        User.objects.filter(memberships__classroom=classroom, pk=student_id)
        .only("username", "display_name", "role")
        .first()
    )
    if student is None:
        raise Http404("Not a student of this class")
    return student


@dataclass(frozen=True)
class LoginCard:
    name: str
    username: str
    password: str


@dataclass(frozen=True)
class LoginCards:
    language: str
    join_url: str
    join_qr: SafeString
    cards: list[LoginCard]


def login_cards(*, classroom: Classroom, accounts, request) -> LoginCards:
    """Cut-out cards in the class's language: each student's username and temporary password, and the
    class's join link with its QR code (drawn here, as inline SVG; no image service involved)."""
    with translation.override(classroom.language):
        join_url = request.build_absolute_uri(classroom.get_join_url())
    svg = segno.make(join_url, error="m").svg_inline(scale=3, border=2, omitsize=True)
    svg = svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
    cards = [
        LoginCard(name=a.student.name_for_teachers, username=a.student.get_username(), password=a.password)
        for a in accounts
    ]
    return LoginCards(language=classroom.language, join_url=join_url, join_qr=mark_safe(svg), cards=cards)  # noqa: S308
