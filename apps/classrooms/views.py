from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from apps.accounts.decorators import student_required, teacher_required
from apps.accounts.readers import reader_of_request
from apps.checklist import selectors as checklist_selectors
from apps.core.http import refuse
from apps.core.i18n import current_language
from apps.core.page_cache import cached_fragment, cached_page
from apps.core.spreadsheet import csv_response

from . import selectors, services
from .forms import (
    AssignmentForm,
    ClassroomDeleteForm,
    ClassroomForm,
    CoTeacherForm,
    JoinForm,
    ShareForm,
    StudentNamesForm,
)
from .grid_html import grid_rows_html


@teacher_required
@require_http_methods(["GET", "POST"])
def class_list(request: HttpRequest) -> HttpResponse:
    form = ClassroomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        classroom = services.classroom_create(
            teacher=request.user, name=form.cleaned_data["name"], language=current_language()
        )
        messages.success(request, _("Class created. Share its code with your students."))
        return redirect(classroom.get_absolute_url())
    classes = selectors.classroom_list_for_teacher(teacher=request.user)
    status = 422 if form.errors else 200
    return render(
        request, "classrooms/classroom_list.html", {"classes": classes, "form": form}, status=status
    )


def _blank_assignment_fields() -> str:
    """The empty "assign work" form: its choices are the content, the same for every class."""
    template = "classrooms/classroom_detail.html#assignment-fields"
    return cached_fragment(
        "assignment-fields", lambda: render_to_string(template, {"assignment_form": AssignmentForm()})
    )


def _class_page(request, classroom, *, status=200, **forms):
    sort = "progress" if request.GET.get("sort") == "progress" else "name"
    grid = selectors.classroom_progress_grid(classroom=classroom, sort=sort)
    context = {
        "classroom": classroom,
        "grid": grid,
        "grid_rows": grid_rows_html(grid=grid, classroom=classroom),
        "sort": sort,
        "assignment_form": None,
        "assignment_fields": None if "assignment_form" in forms else _blank_assignment_fields(),
        "rename_form": ClassroomForm(initial={"name": classroom.name}, auto_id="rename_%s"),
        "co_teacher_form": CoTeacherForm(),
        "teachers": selectors.classroom_teachers(classroom=classroom),
        "events": selectors.classroom_events(classroom=classroom),
        "join_link": request.build_absolute_uri(classroom.get_join_url()),
        **forms,
    }
    return render(request, "classrooms/classroom_detail.html", context, status=status)


def _login_cards(request, classroom, accounts) -> HttpResponse:
    """The one page that shows temporary passwords: never cached, never shown again."""
    context = {
        "classroom": classroom,
        "cards": selectors.login_cards(classroom=classroom, accounts=accounts, request=request),
    }
    response = render(request, "classrooms/login_cards.html", context)
    response["Cache-Control"] = "no-store"
    return response


def class_change(view, methods=("POST",)):
    """A POST that changes a class the user teaches: the view gets the class; an archived class is
    refused with 409 and its page, because it is read-only until restored."""

    @wraps(view)
    def wrapper(request: HttpRequest, classroom_id: int, **kwargs) -> HttpResponse:
        classroom = selectors.classroom_get_for_teacher(teacher=request.user, classroom_id=classroom_id)
        if classroom.is_archived:
            messages.error(request, _("This class is archived, so it cannot change. Restore it first."))
            return _class_page(request, classroom, status=409)
        return view(request, classroom, **kwargs)

    return teacher_required(require_http_methods(list(methods))(wrapper))


def _class_change_get_post(view):
    """The same for a change that first asks (GET shows a confirmation page that works without
    JavaScript; with it, the class page asks in a <dialog> and posts straight away)."""
    return class_change(view, methods=("GET", "POST"))


@teacher_required
@require_safe
def class_detail(request: HttpRequest, classroom_id: int) -> HttpResponse:
    classroom = selectors.classroom_get_for_teacher(teacher=request.user, classroom_id=classroom_id)
    return cached_page(
        request,
        key=f"class:{classroom.pk}:{request.user.pk}:{request.get_full_path()}",
        version=selectors.classroom_page_version(classroom=classroom),
        render=lambda: _class_page(request, classroom),
    )


@class_change
def assignment_save(request: HttpRequest, classroom) -> HttpResponse:
    form = AssignmentForm(request.POST)
    if not form.is_valid():
        return _class_page(request, classroom, assignment_form=form, status=422)
    data = form.cleaned_data
    services.assignment_set(
        classroom=classroom, **data["work"], due_date=data["due_date"], comment=data["comment"]
    )
    messages.success(request, _("Assignment saved."))
    return redirect(f"{classroom.get_absolute_url()}#assignments")


@class_change
def assignment_delete(request: HttpRequest, classroom, assignment_id: int) -> HttpResponse:
    if services.assignment_remove(classroom=classroom, assignment_id=assignment_id):
        messages.success(request, _("Assignment removed."))
    return redirect(f"{classroom.get_absolute_url()}#assignments")


@class_change
def code_regenerate(request: HttpRequest, classroom) -> HttpResponse:
    services.classroom_code_regenerate(classroom=classroom)
    messages.success(request, _("New code ready. The old code no longer works."))
    return redirect(f"{classroom.get_absolute_url()}#join")


@_class_change_get_post
def student_remove(request: HttpRequest, classroom, student_id: int) -> HttpResponse:
    if request.method == "GET":
        student = selectors.class_student_get(classroom=classroom, student_id=student_id)
        return render(request, "classrooms/student_remove.html", {"classroom": classroom, "student": student})
    if services.membership_remove(classroom=classroom, student_id=student_id):
        messages.success(request, _("Student removed from the class."))
    return redirect(classroom.get_absolute_url())


@teacher_required
@require_safe
def class_export(request: HttpRequest, classroom_id: int) -> HttpResponse:
    classroom = selectors.classroom_get_for_teacher(teacher=request.user, classroom_id=classroom_id)
    with translation.override(classroom.language):  # headers and statuses in the class's language
        grid = selectors.classroom_progress_grid(classroom=classroom, with_stats=False)
        header, rows = selectors.progress_table(grid=grid)
    return csv_response(filename=f"class-{classroom.pk}-progress.csv", header=header, rows=rows)


@teacher_required
@require_safe
def class_summary(request: HttpRequest, classroom_id: int) -> HttpResponse:
    classroom = selectors.classroom_get_for_teacher(teacher=request.user, classroom_id=classroom_id)
    context = {"classroom": classroom, "missed": selectors.classroom_most_missed(classroom=classroom)}
    return render(request, "classrooms/classroom_summary.html", context)


@teacher_required
@require_safe
def student_detail(request: HttpRequest, classroom_id: int, student_id: int) -> HttpResponse:
    """One student's work, for the teachers of a class the student is in."""
    classroom = selectors.classroom_get_for_teacher(teacher=request.user, classroom_id=classroom_id)
    membership = selectors.membership_get_for_teacher(classroom=classroom, student_id=student_id)
    context = {
        "classroom": classroom,
        "work": selectors.student_work(classroom=classroom, membership=membership),
    }
    return render(request, "classrooms/student_detail.html", context)


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    if request.user.is_teacher:
        return redirect("classrooms:class_list")
    groups = checklist_selectors.group_list_for_reader(reader=reader_of_request(request))
    classes = selectors.student_dashboard(student=request.user)
    context = {
        "classes": classes,
        "due": selectors.assignments_due(dashboard=classes, today=timezone.localdate()),
        "checklist": checklist_selectors.totals(groups),
        "join_form": JoinForm(),
    }
    return render(request, "classrooms/dashboard.html", context)


@student_required
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership, created = services.classroom_join(
                student=request.user, code=form.cleaned_data["code"]
            )
        except services.JoinRefused as refusal:
            form.add_error("code", str(refusal))
            status = 429 if isinstance(refusal, services.JoinThrottled) else 422
            return render(request, "classrooms/join.html", {"form": form}, status=status)
        notify = messages.success if created else messages.info
        text = _("You joined “%(name)s”.") if created else _("You are already in “%(name)s”.")
        notify(request, text % {"name": membership.classroom.name})
        return redirect("classrooms:dashboard")
    status = 422 if form.errors else 200
    return render(request, "classrooms/join.html", {"form": form}, status=status)


@require_safe
def join_link(request: HttpRequest, code: str) -> HttpResponse:
    """A link a teacher shares: shows the class and a button; anonymous readers log in first."""
    classroom = selectors.classroom_by_code(code=services.join_code_normalise(code))
    form = JoinForm(initial={"code": code})
    return render(request, "classrooms/join.html", {"form": form, "classroom": classroom, "from_link": True})


@student_required
@require_http_methods(["GET", "POST"])
def leave(request: HttpRequest, classroom_id: int) -> HttpResponse:
    membership = selectors.membership_get_for_student(student=request.user, classroom_id=classroom_id)
    if request.method == "GET":
        return render(request, "classrooms/leave.html", {"membership": membership})
    services.classroom_leave(membership=membership)
    messages.success(request, _("You left “%(name)s”.") % {"name": membership.classroom.name})
    return redirect("classrooms:dashboard")


@student_required
@require_POST
def share(request: HttpRequest, classroom_id: int) -> HttpResponse:
    membership = selectors.membership_get_for_student(student=request.user, classroom_id=classroom_id)
    form = ShareForm(request.POST)
    if not form.is_valid():
        return refuse(request, _("Choose whether to share or not."))
    services.membership_share_set(membership=membership, share=form.cleaned_data["share"])
    if form.cleaned_data["share"]:
        messages.success(request, _("Your checklist counts are now shared with this class."))
    else:
        messages.success(request, _("Your checklist counts are no longer shared."))
    return redirect("classrooms:dashboard")


@class_change
def class_rename(request: HttpRequest, classroom) -> HttpResponse:
    form = ClassroomForm(request.POST, auto_id="rename_%s")
    if not form.is_valid():
        return _class_page(request, classroom, rename_form=form, status=422)
    if services.classroom_rename(classroom=classroom, actor=request.user, name=form.cleaned_data["name"]):
        messages.success(request, _("Class renamed."))
    return redirect(f"{classroom.get_absolute_url()}#settings")


@teacher_required
@require_POST
def class_archive(request: HttpRequest, classroom_id: int) -> HttpResponse:
    classroom = selectors.classroom_get_for_teacher(teacher=request.user, classroom_id=classroom_id)
    archived = request.POST.get("archived")
    if archived not in ("yes", "no"):
        return refuse(request, _("Choose whether to archive or restore the class."))
    if archived == "no":
        services.classroom_restore(classroom=classroom, actor=request.user)
        messages.success(request, _("Class restored: students see it again and it can change."))
    else:
        services.classroom_archive(classroom=classroom, actor=request.user)
        messages.success(request, _("Class archived: it is read-only and hidden from its students."))
    return redirect(classroom.get_absolute_url())


@teacher_required
@require_http_methods(["GET", "POST"])
def class_delete(request: HttpRequest, classroom_id: int) -> HttpResponse:
    classroom = selectors.classroom_get_for_teacher(teacher=request.user, classroom_id=classroom_id)
    form = ClassroomDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.classroom_delete(classroom=classroom, confirm_name=form.cleaned_data["confirm_name"])
        except services.ClassroomChangeRefused as refusal:
            form.add_error("confirm_name", str(refusal))
        else:
            messages.success(request, _("“%(name)s” was deleted.") % {"name": classroom.name})
            return redirect("classrooms:class_list")
    status = 422 if form.errors else 200
    return render(
        request, "classrooms/classroom_delete.html", {"classroom": classroom, "form": form}, status=status
    )


@class_change
def co_teacher_add(request: HttpRequest, classroom) -> HttpResponse:
    form = CoTeacherForm(request.POST)
    if form.is_valid():
        try:
            teacher = services.co_teacher_add(
                classroom=classroom, actor=request.user, username=form.cleaned_data["username"]
            )
        except services.ClassroomChangeRefused as refusal:
            form.add_error("username", str(refusal))
        else:
            messages.success(
                request, _("%(name)s now teaches this class with you.") % {"name": teacher.username}
            )
            return redirect(f"{classroom.get_absolute_url()}#settings")
    return _class_page(request, classroom, co_teacher_form=form, status=422)


@class_change
def co_teacher_remove(request: HttpRequest, classroom, teacher_id: int) -> HttpResponse:
    if services.co_teacher_remove(classroom=classroom, actor=request.user, teacher_id=teacher_id):
        messages.success(request, _("Co-teacher removed."))
    return redirect(f"{classroom.get_absolute_url()}#settings")


@_class_change_get_post
def student_password(request: HttpRequest, classroom, student_id: int) -> HttpResponse:
    student = selectors.class_student_get(classroom=classroom, student_id=student_id)
    if request.method == "GET":
        return render(
            request, "classrooms/student_password.html", {"classroom": classroom, "student": student}
        )
    try:
        student, password = services.student_password_reset(
            classroom=classroom, actor=request.user, student_id=student.pk
        )
    except services.ClassroomChangeRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(classroom.get_absolute_url())
    return _login_cards(request, classroom, [services.NewAccount(student, password)])


@_class_change_get_post
def students_new(request: HttpRequest, classroom) -> HttpResponse:
    form = StudentNamesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            accounts = services.students_create(
                classroom=classroom, actor=request.user, names=form.cleaned_data["names"]
            )
        except services.ClassroomChangeRefused as refusal:
            form.add_error("names", str(refusal))
        else:
            return _login_cards(request, classroom, accounts)
    status = 422 if form.errors else 200
    return render(
        request, "classrooms/students_new.html", {"classroom": classroom, "form": form}, status=status
    )
