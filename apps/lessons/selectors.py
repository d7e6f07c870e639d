from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.http import Http404, HttpRequest

from apps.core.i18n import current_language

from .models import Lesson, LessonRead, Module
from .services import SESSION_KEY


def session_read_ids(*, request: HttpRequest) -> list[int]:
    return [i for i in request.session.get(SESSION_KEY, []) if isinstance(i, int)]


def _read_filter(*, request: HttpRequest, prefix: str) -> Q:
    """Q matching lessons this reader has read; `prefix` leads from the queried model to Lesson."""
    if request.user.is_authenticated:
        return Q(**{f"{prefix}reads__user": request.user})
    return Q(**{f"{prefix}pk__in": session_read_ids(request=request)})


def module_list_with_progress(*, request: HttpRequest) -> QuerySet[Module]:
    """All modules with lesson count, reading minutes and this reader's read count: one query."""
    language = current_language()
    return Module.objects.annotate(
        lesson_count=Count("lessons", distinct=True),
        total_minutes=Sum(f"lessons__minutes_{language}"),
        read_count=Count("lessons", filter=_read_filter(request=request, prefix="lessons__"), distinct=True),
    ).order_by("position")


def _lessons_with_read_mark(*, request: HttpRequest) -> QuerySet[Lesson]:
    if request.user.is_authenticated:
        is_read = Exists(LessonRead.objects.filter(lesson=OuterRef("pk"), user=request.user))
        return Lesson.objects.annotate(is_read=is_read)
    read_ids = session_read_ids(request=request)
    return Lesson.objects.annotate(
        is_read=Case(
            When(pk__in=read_ids, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def module_get(*, slug: str) -> Module:
    try:
        return Module.objects.get(slug=slug)
    except Module.DoesNotExist as error:
        raise Http404("No such module") from error


def module_lessons_for_reader(*, request: HttpRequest, module: Module) -> list[Lesson]:
    """The module's lessons in order, each with `is_read` for this reader."""
    return list(
        _lessons_with_read_mark(request=request)
        .filter(module=module)
        .select_related("module")
        .order_by("position")
    )


def lesson_get(*, module_slug: str, lesson_slug: str) -> Lesson:
    try:
        return Lesson.objects.select_related("module").get(module__slug=module_slug, slug=lesson_slug)
    except Lesson.DoesNotExist as error:
        raise Http404("No such lesson") from error


def lesson_continue_for_reader(*, request: HttpRequest) -> Lesson | None:
    """The first unread lesson after the one this reader read most recently, or None."""
    if request.user.is_authenticated:
        last = (
            LessonRead.objects.filter(user=request.user)
            .select_related("lesson__module")
            .order_by("-read_at", "-pk")
            .first()
        )
        last_lesson = last.lesson if last else None
    else:
        read_ids = session_read_ids(request=request)
        last_lesson = (
            Lesson.objects.select_related("module").filter(pk=read_ids[-1]).first() if read_ids else None
        )
    if last_lesson is None:
        return None
    after = Q(module__position__gt=last_lesson.module.position) | Q(
        module__position=last_lesson.module.position, position__gt=last_lesson.position
    )
    unread = _lessons_with_read_mark(request=request).filter(is_read=False)
    return (
        unread.filter(after).select_related("module").order_by("module__position", "position").first()
        or unread.select_related("module").order_by("module__position", "position").first()
    )


def lessons_by_module(*, module_ids: list[int]) -> dict[int, list[Lesson]]:
    """Lessons of several modules, in order, grouped by module: one query."""
    grouped: dict[int, list[Lesson]] = {module_id: [] for module_id in module_ids}
    for lesson in (
        Lesson.objects.filter(module_id__in=module_ids).select_related("module").order_by("position")
    ):
        grouped[lesson.module_id].append(lesson)
    return grouped


def read_lesson_ids_by_user(*, user_ids: list[int], module_ids: list[int]) -> dict[int, set[int]]:
    """For each user, the ids of the lessons (of these modules) they have read: one query."""
    read: dict[int, set[int]] = {user_id: set() for user_id in user_ids}
    rows = LessonRead.objects.filter(user_id__in=user_ids, lesson__module_id__in=module_ids).values_list(
        "user_id", "lesson_id"
    )
    for user_id, lesson_id in rows:
        read[user_id].add(lesson_id)
    return read
