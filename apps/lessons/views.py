from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods, require_safe
from django.views.decorators.vary import vary_on_headers

from apps.accounts.readers import reader_for_write, reader_of_request
from apps.core.page_cache import cached_for_anonymous, cached_fragment, cached_hole, cached_page_with_holes

from . import selectors, services


@require_safe
@cached_for_anonymous
def catalogue(request: HttpRequest) -> HttpResponse:
    modules = selectors.module_list_with_progress(reader=reader_of_request(request))
    return render(request, "lessons/module_list.html", {"modules": modules})


@require_safe
@cached_for_anonymous
def module_detail(request: HttpRequest, module_slug: str) -> HttpResponse:
    module = selectors.module_get(slug=module_slug)
    lessons = selectors.module_lessons_for_reader(reader=reader_of_request(request), module=module)
    read_count = sum(1 for lesson in lessons if lesson.is_read)
    context = {"module": module, "lessons": lessons, "read_count": read_count}
    return render(request, "lessons/module_detail.html", context)


def _mark_read(request: HttpRequest, lesson, place: selectors.LessonPlace) -> selectors.LessonPlace:
    """Mark the lesson read; the reader's place after it. Already marked (a resend, a second tab):
    nothing to write, so no write lock is taken and nothing is read again."""
    if place.is_read:
        return place
    with transaction.atomic():
        services.lesson_mark_read(reader=reader_for_write(request), lesson=lesson)
    return selectors.lesson_place_for_reader(reader=reader_of_request(request), lesson=lesson)


def _read_status(request: HttpRequest, context: dict) -> str:
    """The read-status section: the same for every reader at the same point in the module."""
    state = f"{context['lesson'].pk}:{context['is_read']}:{context['read_count']}:{bool(request.htmx)}"
    template = "lessons/lesson_detail.html#read-status"
    return cached_hole(
        request,
        key=f"lesson-read-status:{state}",
        render=lambda: render_to_string(template, context, request),
    )


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
@cached_for_anonymous
def lesson_detail(request: HttpRequest, module_slug: str, lesson_slug: str) -> HttpResponse:
    lesson = selectors.lesson_get(module_slug=module_slug, lesson_slug=lesson_slug)
    place = selectors.lesson_place_for_reader(reader=reader_of_request(request), lesson=lesson)
    if request.method == "POST":
        place = _mark_read(request, lesson, place)
        if not request.htmx:
            return redirect(f"{lesson.get_absolute_url()}#read-status")
    context = {"module": lesson.module, "lesson": lesson, **vars(place)}
    if request.htmx and not request.htmx.history_restore_request:
        return HttpResponse(_read_status(request, context))
    template = "lessons/lesson_detail.html"
    context["article"] = cached_fragment(
        f"lesson-article-{lesson.pk}",
        lambda: render_to_string(f"{template}#article", {**context, "lessons": place.lessons}),
    )
    return cached_page_with_holes(
        request,
        key=f"lesson-{lesson.pk}",
        render=lambda holes: render(request, template, {**context, **holes}),
        holes={"read_status": lambda: _read_status(request, context)},
    )


@require_safe
@cached_for_anonymous
def glossary(request: HttpRequest) -> HttpResponse:
    return render(request, "lessons/glossary.html", {"terms": selectors.glossary_terms()})
