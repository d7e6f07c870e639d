from django.contrib import messages
from django.db import connection
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from apps.accounts.readers import reader_of_request, reader_session_forget
from apps.accounts.services import reader_forget
from apps.classrooms import selectors as classroom_selectors
from apps.core.page_cache import cached_for_anonymous
from apps.lessons import selectors as lesson_selectors

from . import selectors
from .forms import SearchForm


@require_safe
@cached_for_anonymous
def home(request: HttpRequest) -> HttpResponse:
    reader = reader_of_request(request)
    modules = lesson_selectors.module_list_with_progress(reader=reader)
    resume = lesson_selectors.lesson_continue_for_reader(reader=reader)
    due = []
    if request.user.is_authenticated and request.user.is_student:
        classes = classroom_selectors.student_dashboard(student=request.user)
        due = classroom_selectors.assignments_due(dashboard=classes, today=timezone.localdate())
    return render(request, "pages/home.html", {"modules": modules, "resume": resume, "due": due})


@require_safe
@cached_for_anonymous
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/privacy.html", {"reader": reader_of_request(request)})


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """Lessons and checklist items in the current language; an empty query shows the form only."""
    form = SearchForm(request.GET)
    if not form.is_valid():
        return render(request, "pages/search.html", {"form": form, "query": ""}, status=400)
    query = form.cleaned_data["q"]
    results = selectors.search_results(query=query) if query else []
    return render(request, "pages/search.html", {"form": form, "query": query, "results": results})


@never_cache
@require_safe
def data_export(request: HttpRequest) -> HttpResponse:
    """ "Download my data": everything stored about this reader, signed in or not, as JSON."""
    data = selectors.personal_data_export(user=request.user, reader=reader_of_request(request))
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    name = request.user.get_username() if request.user.is_authenticated else "anonymous"
    response["Content-Disposition"] = f'attachment; filename="data-trail-{name}.json"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def forget(request: HttpRequest) -> HttpResponse:
    """ "Forget this browser": an anonymous reader deletes what it did here (accounts use delete)."""
    if request.user.is_authenticated:
        return redirect("accounts:account")
    reader = reader_of_request(request)
    if reader is not None:
        reader_forget(reader=reader)
    reader_session_forget(request)
    messages.success(request, _("Done: nothing you did in this browser is stored any more."))
    return redirect("pages:privacy")


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@never_cache
@require_safe
def livez(request: HttpRequest) -> HttpResponse:
    """Alive: the process answers, without the database (healthz asks it too). Also `make bench`'s
    ceiling: the least a request through our middleware can cost."""
    return HttpResponse("ok", content_type="text/plain")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Without the request context: a Host header we do not serve (DisallowedHost) lands here, and the
    # page's links would ask the request for that host again.
    return HttpResponseBadRequest(loader.get_template("400.html").render())


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Render without the request context: whatever broke may be in a context processor.
    return HttpResponseServerError(loader.get_template("500.html").render())


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *"]
    lines += [f"Disallow: /{lang}/{area}/" for lang in ("en", "ar") for area in ("accounts", "admin")]
    lines.append(f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
