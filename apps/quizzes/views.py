from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe
from django.views.decorators.vary import vary_on_headers

from . import selectors, services


@require_http_methods(["GET", "POST"])
def take(request: HttpRequest, module_slug: str) -> HttpResponse:
    quiz = selectors.quiz_get_for_module(module_slug=module_slug)
    if request.method == "POST":
        user = request.user if request.user.is_authenticated else None
        attempt = services.attempt_start(quiz=quiz, user=user, session=request.session)
        return redirect(attempt.get_absolute_url())
    context = {
        "quiz": quiz,
        "module": quiz.module,
        "current": selectors.attempt_current_for_reader(request=request, quiz=quiz),
        "summary": selectors.quiz_summary_for_reader(request=request, quiz=quiz),
        "question_count": quiz.questions.count(),
        "quiz_page": True,
    }
    return render(request, "quizzes/quiz_take.html", context)


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def attempt(request: HttpRequest, module_slug: str, attempt_id: int) -> HttpResponse:
    quiz = selectors.quiz_get_for_module(module_slug=module_slug)
    attempt = selectors.attempt_get_for_reader(request=request, quiz=quiz, attempt_id=attempt_id)
    error, status, shown_key = None, 200, request.GET.get("show", "")
    if request.method == "POST":
        question_key = request.POST.get("question", "")[:40]
        try:
            services.quiz_answer_submit(
                attempt=attempt,
                question_key=question_key,
                choice_keys=request.POST.getlist("choice")[:20],
            )
        except services.AnswerRefused as refusal:
            error, status = str(refusal), 422
        else:
            if not request.htmx:
                return redirect(f"{attempt.get_absolute_url()}?show={question_key}#question-card")
        shown_key = question_key

    questions = selectors.attempt_questions(attempt=attempt)
    shown = next((q for q in questions if q.question.key == shown_key and (q.answer or error)), None)
    if shown is None:
        shown = next((q for q in questions if q.answer is None), None)
    if shown is None:
        return redirect(attempt.get_results_url())
    context = {
        "quiz": quiz,
        "module": quiz.module,
        "attempt": attempt,
        "item": shown,
        "total": len(questions),
        "answered": sum(1 for q in questions if q.answer),
        "is_last": all(q.answer for q in questions),
        "error": error,
        "quiz_page": True,
    }
    template = "quizzes/attempt_detail.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#question-card"
    return render(request, template, context, status=status)


@require_safe
def results(request: HttpRequest, module_slug: str, attempt_id: int) -> HttpResponse:
    quiz = selectors.quiz_get_for_module(module_slug=module_slug)
    attempt = selectors.attempt_get_for_reader(request=request, quiz=quiz, attempt_id=attempt_id)
    if not attempt.is_finished:
        return redirect(attempt.get_absolute_url())
    questions = selectors.attempt_questions(attempt=attempt)
    missed_lessons = []
    for item in questions:
        lesson = item.question.lesson
        if item.answer and not item.answer.is_correct and lesson and lesson not in missed_lessons:
            missed_lessons.append(lesson)
    context = {
        "quiz": quiz,
        "module": quiz.module,
        "attempt": attempt,
        "questions": questions,
        "missed_lessons": missed_lessons,
        "quiz_page": True,
    }
    return render(request, "quizzes/attempt_results.html", context)
