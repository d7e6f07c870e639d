import copy
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from apps.accounts.models import Reader
from apps.core.i18n import current_language
from apps.core.page_cache import content_memo
from apps.core.rows import raw_rows
from apps.core.text import fold

from .models import Lesson, LessonRead, Module, Term


def _reads(reader: Reader | None) -> QuerySet[LessonRead]:
    return LessonRead.objects.filter(reader=reader) if reader is not None else LessonRead.objects.none()


def module_list_with_progress(*, reader: Reader | None) -> QuerySet[Module]:
    """All modules with lesson count, reading minutes and this reader's read count: one query."""
    language = current_language()
    read_count = Value(0, output_field=IntegerField())
    if reader is not None:
        # A subquery, not a join: joining the reads would multiply the minutes summed beside it.
        per_module = (
            _reads(reader)
            .filter(lesson__module=OuterRef("pk"))
            .values("lesson__module")
            .annotate(count=Count("pk"))
            .values("count")
        )
        read_count = Coalesce(Subquery(per_module, output_field=IntegerField()), 0)
    return (
        Module.objects.only("slug", "position", f"title_{language}", f"summary_{language}")
        .annotate(
            lesson_count=Count("lessons"),
            total_minutes=Sum(f"lessons__minutes_{language}"),
            read_count=read_count,
        )
        .order_by("position")
    )


def _lessons_with_read_mark(*, reader: Reader | None) -> QuerySet[Lesson]:
    if reader is None:
        return Lesson.objects.annotate(is_read=Value(False, output_field=BooleanField()))
    return Lesson.objects.annotate(is_read=Exists(_reads(reader).filter(lesson=OuterRef("pk"))))


def module_titles(*, slugs: list[str]) -> dict[str, str]:
    """The titles of these modules in the current language, by slug: one query."""
    title = f"title_{current_language()}"
    return dict(Module.objects.filter(slug__in=slugs).values_list("slug", title))


def module_get(*, slug: str) -> Module:
    try:
        return Module.objects.get(slug=slug)
    except Module.DoesNotExist as error:
        raise Http404("No such module") from error


def module_lessons_for_reader(*, reader: Reader | None, module: Module) -> list[Lesson]:
    """The module's lessons in order, each with `is_read` for this reader (without their bodies).
    The lessons come from the content memo; only the reader's read marks are a query."""
    lessons = content_memo(
        ("module_lessons", module.pk, current_language()),
        lambda: list(
            Lesson.objects.filter(module=module)
            .defer(*_bodies())
            .select_related("module")
            .order_by("position")
        ),
    )
    read = set()
    if reader is not None:
        read = {lesson_id for (lesson_id,) in raw_rows("module-reads", _module_reads, reader.pk, module.pk)}
    marked = [copy.copy(lesson) for lesson in lessons]  # the memo's lessons are shared: marks go on copies
    for lesson in marked:
        lesson.is_read = lesson.pk in read
    return marked


def _module_reads(reader_id: int, module_id: int) -> QuerySet[LessonRead]:
    """The ids of the lessons of one module this reader has read (the most asked read of a lesson page,
    so compiled once: apps.core.rows)."""
    reads = LessonRead.objects.filter(reader_id=reader_id, lesson__module_id=module_id)
    return reads.values_list("lesson_id")


def _bodies() -> list[str]:
    """The long fields lists of lessons never show: the texts, in both languages, and every field in
    the other language."""
    language = current_language()
    other = [code for code in ("en", "ar") if code != language]
    long_texts = [f"{base}_{code}" for base in ("body_md", "body_html", "body_text") for code in ("en", "ar")]
    return long_texts + [
        f"{base}_{code}" for base in ("title", "summary", "minutes", "sources") for code in other
    ]


def lesson_get(*, module_slug: str, lesson_slug: str) -> Lesson:
    """The lesson as its page shows it: the current language only, the HTML without its Markdown source."""
    language = current_language()
    shown = ("title", "summary", "body_html", "minutes", "sources")
    fields = ["slug", "position", *(f"{name}_{language}" for name in shown)]
    fields += ["module__slug", "module__position", f"module__title_{language}"]

    def load() -> Lesson:
        lesson = Lesson.objects.select_related("module").only(*fields)
        lesson = lesson.filter(module__slug=module_slug, slug=lesson_slug).first()
        if lesson is None:
            raise Http404("No such lesson")
        return lesson

    # Kept per content version and language. A slug that names no lesson raises and is not kept, so
    # only real lessons become keys.
    return content_memo(("lesson", language, module_slug, lesson_slug), load)


@dataclass
class LessonPlace:
    """Where a lesson sits for this reader: its module's lessons with read marks, and its neighbours."""

    lessons: list[Lesson]
    is_read: bool
    read_count: int
    previous: Lesson | None
    next: Lesson | None


def lesson_place_for_reader(*, reader: Reader | None, lesson: Lesson) -> LessonPlace:
    siblings = module_lessons_for_reader(reader=reader, module=lesson.module)
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == lesson.pk)
    return LessonPlace(
        lessons=siblings,
        is_read=siblings[index].is_read,
        read_count=sum(1 for sibling in siblings if sibling.is_read),
        previous=siblings[index - 1] if index > 0 else None,
        next=siblings[index + 1] if index + 1 < len(siblings) else None,
    )


def lesson_continue_for_reader(*, reader: Reader | None) -> Lesson | None:
    """The first unread lesson after the one this reader read most recently, or None."""
    last = _reads(reader).select_related("lesson__module").order_by("-read_at", "-pk").first()
    if last is None:
        return None
    last_lesson = last.lesson
    after = Q(module__position__gt=last_lesson.module.position) | Q(
        module__position=last_lesson.module.position, position__gt=last_lesson.position
    )
    unread = (
        _lessons_with_read_mark(reader=reader)
        .filter(is_read=False)
        .defer(*_bodies())
        .select_related("module")
        .order_by("module__position", "position")
    )
    return unread.filter(after).first() or unread.first()


def lessons_by_module(*, module_ids: list[int]) -> dict[int, list[Lesson]]:
    """Lessons of several modules, in order, grouped by module: one query, titles and slugs only."""

    def group() -> dict[int, list[Lesson]]:
        grouped: dict[int, list[Lesson]] = {module_id: [] for module_id in module_ids}
        lessons = (
            Lesson.objects.filter(module_id__in=module_ids)
            .select_related("module")
            .only("slug", "position", "title_en", "title_ar", "module__slug")
            .order_by("position")
        )
        for lesson in lessons:
            grouped[lesson.module_id].append(lesson)
        return grouped

    return content_memo(("lessons_by_module", tuple(sorted(module_ids))), group)


def read_lesson_ids_by_user(*, user_ids: list[int], module_ids: list[int]) -> dict[int, set[int]]:
    """For each account, the ids of the lessons (of these modules) it has read: one query."""
    read: dict[int, set[int]] = {user_id: set() for user_id in user_ids}
    rows = LessonRead.objects.filter(
        reader__user_id__in=user_ids, lesson__module_id__in=module_ids
    ).values_list("reader__user_id", "lesson_id")
    for user_id, lesson_id in rows:
        read[user_id].add(lesson_id)
    return read


def lessons_with_read_dates(*, reader: Reader | None, module_ids: list[int]) -> dict[int, list[Lesson]]:
    """The lessons of these modules in order, grouped by module, each with `read_at` (None if this
    reader has not read it): one query, slug and current-language title only."""
    grouped: dict[int, list[Lesson]] = {module_id: [] for module_id in module_ids}
    read_at = _reads(reader).filter(lesson=OuterRef("pk")).values("read_at")[:1]
    lessons = (
        Lesson.objects.filter(module_id__in=module_ids)
        .select_related("module")
        .only("module_id", "slug", "position", f"title_{current_language()}", "module__slug")
        .annotate(read_at=Subquery(read_at))
        .order_by("position")
    )
    for lesson in lessons:
        grouped[lesson.module_id].append(lesson)
    return grouped


def lesson_reads_export(*, reader: Reader | None) -> dict:
    reads = _reads(reader).select_related("lesson__module").order_by("read_at")
    return {
        "lessons_read": [
            {
                "module": read.lesson.module.slug,
                "lesson": read.lesson.slug,
                "read_at": read.read_at.isoformat(),
            }
            for read in reads
        ]
    }


def glossary_terms() -> list[Term]:
    """Every glossary entry in the current language's alphabetical order, with the lessons that use it:
    two queries, whatever the number of entries."""
    language = current_language()
    lessons = (
        Lesson.objects.select_related("module")
        .only("slug", f"title_{language}", "module__slug")
        .order_by("module__position", "position")
    )
    terms = Term.objects.only("key", "term_en", "term_ar", f"definition_{language}").prefetch_related(
        Prefetch("lessons", queryset=lessons)
    )
    return sorted(terms, key=lambda term: (fold(term.term), term.key))
