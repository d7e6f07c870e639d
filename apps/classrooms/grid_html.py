"""The rows of the class grid as HTML, built in Python.

A class of 200 with 6 assignments has 1,200 cells; written as template tags (an include and four
translations per cell) they took most of the page's time. Here every phrase is translated once per page,
every link reversed once, and each cell is a few string formats. The markup is the template's: the same
classes, hidden labels and links, checked by tests/classrooms.
"""

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from apps.core.templatetags.datatrail import fraction, percent

from .models import Classroom, Status
from .selectors import Cell, GridRow, ProgressGrid

BADGES = {
    Status.DONE: ("badge badge-ok status-badge", "✓ "),
    Status.OVERDUE: ("badge badge-bad status-badge", "! "),
    Status.IN_PROGRESS: ("badge status-badge", "… "),
}


# Each link is reversed once with student id 0 (never a real id), then given each student's id.
STAND_IN = "/students/0/"


class _Phrases:
    """What every cell says, translated once for the page; numbers, percentages and each column's
    title and anchor worked out once per page too (a class of 200 repeats them 1,200 times)."""

    def __init__(self):
        self._numbers: dict[int, str] = {}
        self._percents: dict[int, str] = {}
        self._columns: dict[int, tuple[str, str]] = {}
        self.cell_label = gettext("%(name)s, %(title)s:")
        self.lessons = gettext("%(read)s/%(total)s lessons")
        self.quiz = gettext("quiz %(score)s")
        self.no_quiz = conditional_escape(gettext("no quiz yet"))
        self.items = gettext("%(done)s/%(total)s items")
        self.not_shared = conditional_escape(gettext("not shared"))
        self.new_password = conditional_escape(gettext("New password"))
        self.remove = conditional_escape(gettext("Remove"))
        self.remove_button = conditional_escape(gettext("Remove from the class"))
        self.remove_question = gettext("Remove %(name)s from the class? Their own progress stays theirs.")
        self.badges = {status: self._badge(status) for status in Status}

    def number(self, value: int) -> str:
        if value not in self._numbers:
            self._numbers[value] = number_format(value, use_l10n=True)
        return self._numbers[value]

    def percent(self, value: int) -> str:
        if value not in self._percents:
            self._percents[value] = percent(value)
        return self._percents[value]

    def column(self, assignment) -> tuple[str, str]:
        """The assignment's escaped title and its anchor on a student's page."""
        if assignment.pk not in self._columns:
            self._columns[assignment.pk] = (conditional_escape(assignment.title), assignment.anchor)
        return self._columns[assignment.pk]

    @staticmethod
    def _badge(status: Status) -> SafeString:
        css, glyph = BADGES.get(status, ("badge badge-muted status-badge", ""))
        hidden_glyph = format_html('<span aria-hidden="true">{}</span>', glyph) if glyph else ""
        return format_html('<span class="{}">{}{}</span>', css, hidden_glyph, status.label)


def _cell(cell: Cell, *, name: str, url: str, phrases: _Phrases) -> str:
    title, anchor = phrases.column(cell.assignment)
    label = phrases.cell_label % {"name": name, "title": title}
    lines = ""
    if cell.kind == "module":
        number = phrases.number
        read = phrases.lessons % {"read": number(cell.lessons_read), "total": number(cell.lesson_count)}
        score = phrases.no_quiz
        if cell.best_percent is not None:
            score = phrases.quiz % {"score": phrases.percent(cell.best_percent)}
        lines = f'<span class="cell-line">{read}</span>\n          <span class="cell-line">{score}</span>'
    elif cell.kind == "checklist" and cell.is_shared:
        number = phrases.number
        items = phrases.items % {"done": number(cell.items_done), "total": number(cell.item_count)}
        lines = f'<span class="cell-line">{items}</span>'
    overdue = " is-overdue" if cell.is_overdue else ""
    return (
        f'<td class="cell heat-{cell.heat}{overdue}"><a class="cell-link" href="{url}#{anchor}">\n'
        f'          <span class="visually-hidden">{label}</span>\n'
        f"          {lines}\n"
        f"          {phrases.badges[cell.status]}\n"
        "        </a></td>"
    )


def _row(row: GridRow, grid: ProgressGrid, *, urls: dict[str, str], phrases: _Phrases) -> str:
    student = row.membership.student
    student_id = str(row.membership.student_id)
    detail, password, remove = (
        urls[kind].replace(STAND_IN, f"/students/{student_id}/") for kind in ("detail", "password", "remove")
    )
    name = conditional_escape(student.name_for_teachers)
    username = conditional_escape(student.get_username())
    username_note = f' <span class="meta"><bdi>{username}</bdi></span>' if student.display_name else ""
    cells = "\n        ".join(_cell(cell, name=name, url=detail, phrases=phrases) for cell in row.cells)
    checklist = ""
    if grid.shared_count:
        if row.checklist_done is None:
            checklist = f'<td><span class="meta">{phrases.not_shared}</span></td>'
        else:
            checklist = f"<td>{fraction(row.checklist_done, grid.checklist_items)}</td>"
    actions = ""
    if not grid.classroom.is_archived:
        question = conditional_escape(phrases.remove_question % {"name": student.name_for_teachers})
        hidden = f'<span class="visually-hidden"> {username}</span>'
        actions = (
            f'<a href="{password}">{phrases.new_password}{hidden}</a> · '
            f'<a href="{remove}" data-confirm="{question}" data-confirm-action="{remove}" '
            f'data-confirm-button="{phrases.remove_button}">{phrases.remove}{hidden}</a>'
        )
    return (
        "<tr>\n"
        f'        <th scope="row"><a href="{detail}">{name}</a>{username_note}</th>\n'
        f"        <td>{phrases.percent(row.progress_percent)}</td>\n"
        f"        {cells}\n"
        f"        {checklist}\n"
        f"        <td>{actions}</td>\n"
        "      </tr>"
    )


def grid_rows_html(*, grid: ProgressGrid, classroom: Classroom) -> SafeString:
    """The grid's <tr> elements, in the order of `grid.rows`."""
    phrases = _Phrases()
    ids = {"classroom_id": classroom.pk, "student_id": 0}
    urls = {
        "detail": reverse("classrooms:student_detail", kwargs=ids),
        "password": reverse("classrooms:student_password", kwargs=ids),
        "remove": reverse("classrooms:student_remove", kwargs=ids),
    }
    # Not content HTML, so not sanitize_html(): our own markup, with every name, title and phrase put in
    # through conditional_escape() or format_html(), as the template's autoescaping did.
    return mark_safe("\n    ".join(_row(row, grid, urls=urls, phrases=phrases) for row in grid.rows))  # noqa: S308
