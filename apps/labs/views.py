from dataclasses import asdict

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from apps.accounts.readers import reader_for_write
from apps.core.http import refuse
from apps.core.page_cache import cached_for_anonymous

from . import content, services
from .forms import LetterForm
from .letters import Choices
from .selectors import letter_in_session, policy_get, policy_marks, scam_get, scam_score

TEMPLATE = "labs/scam_message.html"


@require_safe
@cached_for_anonymous
def scams(request: HttpRequest) -> HttpResponse:
    score = scam_score(messages=content.scams(), answers=services.scam_answers(request.session))
    return render(request, "labs/scams.html", {"score": score})


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def scam(request: HttpRequest, message_key: str) -> HttpResponse:
    messages = content.scams()
    found = scam_get(messages=messages, key=message_key)
    if found is None:
        raise Http404("No such message")
    number, message = found
    if request.method == "POST":
        verdict, part = request.POST.get("verdict", ""), request.POST.get("part", "")
        try:
            services.scam_answer(session=request.session, message=message, verdict=verdict, part=part)
        except services.AnswerRefused as refusal:
            return refuse(request, str(refusal))
        if scam_score(messages=messages, answers=services.scam_answers(request.session)).is_complete:
            with transaction.atomic():
                services.lab_finish(reader=reader_for_write(request), lab=content.SCAMS)
        if not request.htmx:
            return redirect(f"{reverse('labs:scam', kwargs={'message_key': message.key})}#message")
    score = scam_score(messages=messages, answers=services.scam_answers(request.session))
    context = {"item": score.marked[number - 1], "number": number, "total": len(messages), "score": score}
    template = f"{TEMPLATE}#message-card" if request.htmx and request.method == "POST" else TEMPLATE
    return render(request, template, context)


@require_POST
def scams_reset(request: HttpRequest) -> HttpResponse:
    services.scam_answers_clear(session=request.session)
    return redirect("labs:scams")


@require_safe
@cached_for_anonymous
def policies(request: HttpRequest) -> HttpResponse:
    marks = policy_marks(policies=content.policies(), answers=services.policy_answers(request.session))
    return render(request, "labs/policies.html", {"marks": marks})


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def policy(request: HttpRequest, policy_key: str) -> HttpResponse:
    found = policy_get(policies=content.policies(), key=policy_key)
    if found is None:
        raise Http404("No such policy")
    number, policy = found
    if request.method == "POST":
        topics = {clause.key: request.POST.get(f"clause-{clause.key}", "") for clause in policy.clauses}
        try:
            services.policy_answer(session=request.session, policy=policy, topics=topics)
        except services.AnswerRefused as refusal:
            return refuse(request, str(refusal))
        marks = policy_marks(policies=content.policies(), answers=services.policy_answers(request.session))
        if all(mark.answered for mark in marks):
            with transaction.atomic():
                services.lab_finish(reader=reader_for_write(request), lab=content.POLICIES)
        if not request.htmx:
            return redirect(f"{reverse('labs:policy', kwargs={'policy_key': policy.key})}#policy")
    marks = policy_marks(policies=content.policies(), answers=services.policy_answers(request.session))
    following = next((mark.policy for mark in marks if not mark.answered), None)
    context = {
        "mark": marks[number - 1],
        "number": number,
        "total": len(marks),
        "following": following,
        "topics": content.TOPICS,
    }
    template = (
        "labs/policy.html#policy-card" if request.htmx and request.method == "POST" else "labs/policy.html"
    )
    return render(request, template, context)


@require_safe
def policy_guide(request: HttpRequest) -> HttpResponse:
    return render(request, "labs/policy_guide.html")


@require_POST
def policies_reset(request: HttpRequest) -> HttpResponse:
    services.policy_answers_clear(session=request.session)
    return redirect("labs:policies")


def _letter_page(request: HttpRequest, form: LetterForm, status: int = 200) -> HttpResponse:
    letter = letter_in_session(session=request.session, today=timezone.localdate())
    template = "labs/requests.html"
    if request.htmx and request.method == "POST":
        template += "#request-lab"
    return render(
        request, template, {"form": form, "letter": letter, "lab": content.requests()}, status=status
    )


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def requests(request: HttpRequest) -> HttpResponse:
    lab = content.requests()
    if request.method == "GET":
        choices = services.letter_choices(request.session)
        return _letter_page(request, LetterForm(initial=asdict(choices) if choices else {}, lab=lab))
    form = LetterForm(request.POST, lab=lab)
    if not form.is_valid():
        return _letter_page(request, form, status=422)
    services.letter_choices_keep(session=request.session, choices=Choices(**form.cleaned_data))
    with transaction.atomic():
        services.lab_finish(reader=reader_for_write(request), lab=content.REQUESTS)
    if not request.htmx:
        return redirect(f"{reverse('labs:requests')}#letter")
    return _letter_page(request, LetterForm(initial=form.cleaned_data, lab=lab))


@require_safe
def letter_download(request: HttpRequest) -> HttpResponse:
    letter = letter_in_session(session=request.session, today=timezone.localdate())
    if letter is None:
        raise Http404("No letter written yet")
    response = HttpResponse(letter.text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{letter.filename}"'
    add_never_cache_headers(response)
    return response


@require_POST
def requests_reset(request: HttpRequest) -> HttpResponse:
    services.letter_choices_clear(session=request.session)
    return redirect("labs:requests")
