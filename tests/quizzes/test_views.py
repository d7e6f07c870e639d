import re

import pytest
from django.test import Client
from django.utils.html import escape

from apps.quizzes.models import Answer, Attempt, Question
from apps.quizzes.services import attempt_start
from tests.conftest import logged_in_clients, run_concurrently
from tests.core.test_views import assert_csp_clean
from tests.factories import StudentFactory, answer_all, quiz_for

pytestmark = pytest.mark.django_db

QUIZ_URL = "/en/modules/profiling/quiz/"


def start(client: Client) -> Attempt:
    response = client.post(QUIZ_URL)
    assert response.status_code == 302
    return Attempt.objects.order_by("-pk").first()


def current_question(attempt: Attempt) -> Question:
    answered = set(Answer.objects.filter(attempt=attempt).values_list("question_id", flat=True))
    question_id = next(q for q in attempt.question_order if q not in answered)
    return Question.objects.prefetch_related("choices").get(pk=question_id)


def right_keys(question: Question) -> list[str]:
    return [c.key for c in question.choices.all() if c.is_correct]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_intro_page(client, lang):
    body = client.get(f"/{lang}/modules/profiling/quiz/").content.decode()
    assert f'<html lang="{lang}"' in body
    assert_csp_clean(body)


def test_unknown_module_quiz_is_404(client):
    assert client.get("/en/modules/nope/quiz/").status_code == 404
    assert client.post("/en/modules/nope/quiz/").status_code == 404


def test_question_page_shows_question_k_of_n_and_never_reveals_the_answer(student_client):
    attempt = start(student_client)
    response = student_client.get(attempt.get_absolute_url())
    body = response.content.decode()
    question = current_question(attempt)
    assert escape(question.prompt_en) in body
    assert "Question 1 of 10" in body and '<progress max="10" value="0"' in body
    for choice in question.choices.all():
        assert escape(choice.explanation_en) not in body
    assert "is-correct" not in body and "correct" not in body.lower().replace("incorrect", "")
    assert_csp_clean(body)


def test_order_is_stable_across_reloads(student_client):
    attempt = start(student_client)

    def shown_order(body: str) -> list[str]:
        return re.findall(r'name="choice" value="([^"]+)"', body)

    first = student_client.get(attempt.get_absolute_url()).content.decode()
    second = student_client.get(attempt.get_absolute_url()).content.decode()
    order = [c.pk for c in current_question(attempt).choices.all()]
    assert shown_order(first) == shown_order(second)
    assert len(shown_order(first)) == len(order)
    keys = {c.pk: c.key for c in current_question(attempt).choices.all()}
    assert shown_order(first) == [keys[pk] for pk in attempt.choice_order[str(current_question(attempt).pk)]]


def test_answer_with_htmx_returns_feedback_fragment(student_client):
    attempt = start(student_client)
    question = current_question(attempt)
    response = student_client.post(
        attempt.get_absolute_url(),
        {"question": question.key, "choice": right_keys(question)},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert "Right!" in body and 'hx-swap-oob="true"' in body and 'aria-live="polite"' in body
    for choice in question.choices.all():
        assert escape(choice.explanation_en) in body
    assert "Next question" in body


def test_answer_without_javascript_redirects_to_feedback(student_client):
    attempt = start(student_client)
    question = current_question(attempt)
    wrong = next(c.key for c in question.choices.all() if not c.is_correct)
    response = student_client.post(attempt.get_absolute_url(), {"question": question.key, "choice": wrong})
    assert response.status_code == 302
    assert response.url == f"{attempt.get_absolute_url()}?show={question.key}#question-card"
    body = student_client.get(response.url).content.decode()
    assert "Not quite." in body and "The right answer" in body
    # Without ?show the next unanswered question comes.
    assert (
        escape(current_question(attempt).prompt_en)
        in student_client.get(attempt.get_absolute_url()).content.decode()
    )


def test_whole_quiz_then_results_with_review_and_lessons(student_client):
    attempt = start(student_client)
    answer_all(attempt, right=6)
    response = student_client.get(attempt.get_absolute_url())
    assert response.status_code == 302 and response.url == attempt.get_results_url()
    body = student_client.get(attempt.get_results_url()).content.decode()
    assert 'Score: <bdi class="num">60%</bdi>' in body
    assert "Not passed yet" in body
    assert "Worth reading again" in body
    assert body.count('class="question-review') == 10
    assert "Try again" in body
    assert_csp_clean(body)


def test_results_of_an_unfinished_attempt_redirect_to_it(student_client):
    attempt = start(student_client)
    response = student_client.get(attempt.get_results_url())
    assert response.status_code == 302 and response.url == attempt.get_absolute_url()


def test_module_page_shows_best_score_and_attempts(student_client, student):
    for right in (5, 8):
        attempt = attempt_start(quiz=quiz_for(), user=student)
        answer_all(attempt, right=right)
    body = student_client.get("/en/modules/profiling/").content.decode()
    assert 'Your best score: <bdi class="num">80%</bdi>' in body
    assert "2 attempts" in body


@pytest.mark.parametrize(
    "data_for",
    [
        lambda q: {"question": "no-such-question", "choice": [c.key for c in q.choices.all()][:1]},
        lambda q: {"question": q.key, "choice": ["not-a-choice"]},
        lambda q: {"question": q.key},
        lambda q: {},
        lambda q: {"question": q.key * 50, "choice": ["a"] * 100},
    ],
)
def test_tampered_answers_are_refused_with_422_and_store_nothing(student_client, data_for):
    attempt = start(student_client)
    question = current_question(attempt)
    response = student_client.post(attempt.get_absolute_url(), data_for(question), HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()
    assert not Answer.objects.filter(attempt=attempt).exists()
    # Without htmx: the page again, with the message.
    response = student_client.post(attempt.get_absolute_url(), data_for(question))
    assert response.status_code == 422 and "<html" in response.content.decode()


def test_several_choices_on_a_single_choice_question_are_refused(student_client):
    attempt = start(student_client)
    question = next(
        q
        for q in Question.objects.filter(pk__in=attempt.question_order).prefetch_related("choices")
        if q.kind == "single"
    )
    keys = [c.key for c in question.choices.all()][:2]
    response = student_client.post(attempt.get_absolute_url(), {"question": question.key, "choice": keys})
    assert response.status_code == 422
    assert "exactly one answer" in response.content.decode()


def test_refusals_are_translated(student_client):
    attempt = start(student_client)
    url = attempt.get_absolute_url().replace("/en/", "/ar/")
    response = student_client.post(url, {"question": current_question(attempt).key}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "اختر إجابة أولًا" in response.content.decode()


def test_another_persons_attempt_is_not_found(student_client):
    other = attempt_start(quiz=quiz_for(), user=StudentFactory())
    question = current_question(other)
    assert student_client.get(other.get_absolute_url()).status_code == 404
    response = student_client.post(
        other.get_absolute_url(), {"question": question.key, "choice": right_keys(question)}
    )
    assert response.status_code == 404
    assert not Answer.objects.filter(attempt=other).exists()
    assert Client().get(other.get_absolute_url()).status_code == 404


def test_anonymous_attempt_belongs_to_its_browser_only(client):
    attempt = start(client)
    assert attempt.user is None
    assert client.get(attempt.get_absolute_url()).status_code == 200
    assert Client().get(attempt.get_absolute_url()).status_code == 404


def test_anonymous_attempt_merges_at_sign_up(client):
    attempt = start(client)
    client.post(
        "/en/accounts/signup/",
        {
            "username": "quizzer",
            "role": "student",
            "password1": "a-strong-pass-42",
            "password2": "a-strong-pass-42",
        },
    )
    attempt.refresh_from_db()
    assert attempt.user.username == "quizzer"
    assert client.get(attempt.get_absolute_url()).status_code == 200


def test_oversized_post_is_refused_cleanly(student_client):
    attempt = start(student_client)
    response = student_client.post(attempt.get_absolute_url(), {"question": "x", "choice": ["a"] * 500})
    assert response.status_code == 400
    assert not Answer.objects.filter(attempt=attempt).exists()


def test_missing_csrf_token_is_refused():
    student = StudentFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)
    attempt = attempt_start(quiz=quiz_for(), user=student)
    question = current_question(attempt)
    response = client.post(
        attempt.get_absolute_url(), {"question": question.key, "choice": right_keys(question)}
    )
    assert response.status_code == 403
    assert not Answer.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_identical_answers_at_the_same_moment_store_one(content):
    student = StudentFactory()
    attempt = attempt_start(quiz=quiz_for(), user=student)
    question = current_question(attempt)
    data = {"question": question.key, "choice": right_keys(question)}
    clients = logged_in_clients(student, 6)
    statuses = run_concurrently(
        [lambda c=c: c.post(attempt.get_absolute_url(), data).status_code for c in clients]
    )
    assert set(statuses) == {302}
    assert Answer.objects.filter(attempt=attempt, question=question).count() == 1


@pytest.mark.django_db(transaction=True)
def test_different_answers_at_the_same_moment_keep_exactly_one(content):
    student = StudentFactory()
    attempt = attempt_start(quiz=quiz_for(), user=student)
    question = current_question(attempt)
    keys = [c.key for c in question.choices.all()]
    clients = []
    for key in keys:
        client = Client()
        client.force_login(student)
        clients.append((client, key))
    statuses = run_concurrently(
        [
            lambda c=c, k=k: (
                c.post(attempt.get_absolute_url(), {"question": question.key, "choice": [k]}).status_code
            )
            for c, k in clients
        ]
    )
    assert sorted(statuses).count(302) == 1 and statuses.count(422) == len(keys) - 1
    assert Answer.objects.filter(attempt=attempt, question=question).count() == 1


@pytest.mark.django_db(transaction=True)
def test_last_two_questions_answered_at_once_still_finish_the_attempt(content):
    student = StudentFactory()
    attempt = attempt_start(quiz=quiz_for(), user=student)
    questions = list(Question.objects.filter(pk__in=attempt.question_order).prefetch_related("choices"))
    by_id = {q.pk: q for q in questions}
    for question_id in attempt.question_order[:-2]:
        from apps.quizzes.services import quiz_answer_submit

        quiz_answer_submit(
            attempt=attempt, question_key=by_id[question_id].key, choice_keys=right_keys(by_id[question_id])
        )
    last_two = [by_id[q] for q in attempt.question_order[-2:]]
    clients = logged_in_clients(student, 2)
    statuses = run_concurrently(
        [
            lambda c=c, q=q: (
                c.post(attempt.get_absolute_url(), {"question": q.key, "choice": right_keys(q)}).status_code
            )
            for c, q in zip(clients, last_two, strict=True)
        ]
    )
    assert statuses == [302, 302]
    attempt.refresh_from_db()
    assert attempt.is_finished and attempt.correct_count == 10 and attempt.score_percent == 100
