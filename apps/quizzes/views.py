from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from django.views.decorators.vary import vary_on_headers

from apps.accounts.readers import reader_for_write, reader_of_request
from apps.core.http import refuse
from apps.core.page_cache import cached_for_anonymous

from . import selectors, services
from .forms import AnswerForm, StartForm


@require_http_methods(["GET", "POST"])
@cached_for_anonymous
def take(request: HttpRequest, module_slug: str) -> HttpResponse:
    quiz = selectors.quiz_get_for_module(module_slug=module_slug)
    if request.method == "POST":
        form = StartForm(request.POST)
        if not form.is_valid():
            return refuse(request, _("That start button was not one of ours."))
        with transaction.atomic():
            attempt = services.attempt_start_or_resume(
                quiz=quiz, reader=reader_for_write(request), start_over_from=form.cleaned_data["start_over"]
            )
        return redirect(attempt.get_absolute_url())
    reader = reader_of_request(request)
    context = {
        "quiz": quiz,
        "module": quiz.module,
        "current": selectors.attempt_current_for_reader(reader=reader, quiz=quiz),
        "summary": selectors.quiz_summary_for_reader(reader=reader, quiz=quiz),
        "question_count": quiz.questions.count(),
        "quiz_page": True,
    }
    return render(request, "quizzes/quiz_take.html", context)


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def attempt(request: HttpRequest, module_slug: str, attempt_id: int) -> HttpResponse:
    quiz = selectors.quiz_get_for_module(module_slug=module_slug)
    attempt = selectors.attempt_get_for_reader(
        reader=reader_of_request(request), quiz=quiz, attempt_id=attempt_id
    )
    # Bound on every POST, even an empty one: an empty body is a refused answer, not a page view.
    form = AnswerForm(request.POST if request.method == "POST" else None)
    error = _answer(attempt, form) if request.method == "POST" else None
    if request.method == "POST" and not error and not request.htmx:
        return redirect(f"{attempt.get_absolute_url()}?show={form.cleaned_data['question']}#question-card")
    key = form.data.get("question", "") if request.method == "POST" else request.GET.get("show", "")
    page = selectors.attempt_page(attempt=attempt, key=key, refused=bool(error))
    if page.item is None:
        return redirect(attempt.get_results_url())
    context = {"quiz": quiz, "module": quiz.module, "attempt": attempt, "error": error, "quiz_page": True}
    context.update(item=page.item, total=page.total, answered=page.answered, is_last=page.is_last)
    template = "quizzes/attempt_detail.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#question-card"
    return render(request, template, context, status=422 if error else 200)


def _answer(attempt, form: AnswerForm) -> str | None:
    """Store the answer in `form`; the message to show when it is refused, else None."""
    if not form.is_valid():
        return form.first_error()
    question_key, choice_keys = form.cleaned_data["question"], form.cleaned_data["choice"]
    if selectors.answer_is_resent(attempt=attempt, question_key=question_key, choice_keys=choice_keys):
        return None
    try:
        services.quiz_answer_submit(attempt=attempt, question_key=question_key, choice_keys=choice_keys)
    except services.AnswerRefused as refusal:
        return str(refusal)
    return None


@require_safe
def attempt_history(request: HttpRequest) -> HttpResponse:
    """Every past attempt of this reader (signed in or not), newest first, each linking to its review."""
    attempts = selectors.attempt_list_for_reader(reader=reader_of_request(request))
    return render(request, "quizzes/attempt_list.html", {"attempts": attempts})


@require_safe
def results(request: HttpRequest, module_slug: str, attempt_id: int) -> HttpResponse:
    quiz = selectors.quiz_get_for_module(module_slug=module_slug)
    attempt = selectors.attempt_get_for_reader(
        reader=reader_of_request(request), quiz=quiz, attempt_id=attempt_id
    )
    if not services.attempt_finish_if_complete(attempt=attempt).is_finished:
        return redirect(attempt.get_absolute_url())
    questions = selectors.attempt_questions(attempt=attempt)
    context = {
        "quiz": quiz,
        "module": quiz.module,
        "attempt": attempt,
        "questions": questions,
        "missed_lessons": selectors.lessons_to_reread(questions=questions),
        "quiz_page": True,
    }
    return render(request, "quizzes/attempt_results.html", context)
