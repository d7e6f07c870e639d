from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe
from django.views.decorators.vary import vary_on_headers

from . import selectors, services


@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    modules = selectors.module_list_with_progress(request=request)
    return render(request, "lessons/module_list.html", {"modules": modules})


@require_safe
def module_detail(request: HttpRequest, module_slug: str) -> HttpResponse:
    module = selectors.module_get(slug=module_slug)
    lessons = selectors.module_lessons_for_reader(request=request, module=module)
    read_count = sum(1 for lesson in lessons if lesson.is_read)
    return render(
        request,
        "lessons/module_detail.html",
        {"module": module, "lessons": lessons, "read_count": read_count},
    )


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def lesson_detail(request: HttpRequest, module_slug: str, lesson_slug: str) -> HttpResponse:
    lesson = selectors.lesson_get(module_slug=module_slug, lesson_slug=lesson_slug)
    if request.method == "POST":
        if request.user.is_authenticated:
            services.lesson_mark_read(user=request.user, lesson=lesson)
        else:
            services.lesson_mark_read_in_session(session=request.session, lesson=lesson)
        if not request.htmx:
            return redirect(f"{lesson.get_absolute_url()}#read-status")
    siblings = selectors.module_lessons_for_reader(request=request, module=lesson.module)
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == lesson.pk)
    context = {
        "module": lesson.module,
        "lesson": lesson,
        "lessons": siblings,
        "is_read": siblings[index].is_read,
        "read_count": sum(1 for sibling in siblings if sibling.is_read),
        "previous": siblings[index - 1] if index > 0 else None,
        "next": siblings[index + 1] if index + 1 < len(siblings) else None,
        "just_marked": request.method == "POST",
    }
    template = "lessons/lesson_detail.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#read-status"
    return render(request, template, context)
