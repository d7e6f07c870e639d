"""The quiz pages over HTTP, on the fixture quizzes (alpha, beta: q01 single with `b` right, q02
multiple with `a` and `b` right, q03 true/false with `false` right, ...)."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from apps.accounts.models import Reader
from apps.accounts.readers import SESSION_KEY
from apps.core.page_cache import content_changed
from apps.quizzes.models import Answer, Attempt, Choice, Question
from apps.quizzes.services import attempt_start, quiz_answer_submit
from tests.factories import PASSWORD, StudentFactory
from tests.helpers import (
    answer_all,
    assert_csp_clean,
    logged_in_clients,
    quiz_for,
    reader_of,
    run_concurrently,
)

pytestmark = pytest.mark.django_db
# Races run on a transactional database; the fixture content comes back from the snapshot.
RACE = pytest.mark.django_db(transaction=True, serialized_rollback=True)

QUIZ_URL = "/en/modules/alpha/quiz/"
RIGHT = {"q01": ["b"], "q02": ["a", "b"], "q03": ["false"], "q04": ["b"]}
WRONG = {"q01": ["a"], "q02": ["c"], "q03": ["true"], "q04": ["c"]}


def start(client: Client, url: str = QUIZ_URL, *, over: Attempt | None = None) -> Attempt:
    """Press the quiz's start button (the "start over" one when `over`, the open attempt, is given)."""
    response = client.post(url, {"start_over": over.pk} if over else {})
    attempt = Attempt.objects.order_by("-pk").first()
    assert response.status_code == 302 and response.url == attempt.get_absolute_url()
    return attempt


def ordered(attempt: Attempt, first: list[str]) -> Attempt:
    """Put these questions first in the attempt's (otherwise shuffled) order."""
    by_key = dict(attempt.quiz.questions.values_list("key", "pk"))
    order = [by_key[key] for key in first]
    attempt.question_order = order + [pk for pk in attempt.question_order if pk not in order]
    attempt.save(update_fields=["question_order"])
    return attempt


def question(attempt: Attempt, key: str) -> Question:
    return Question.objects.prefetch_related("choices").get(quiz=attempt.quiz, key=key)


def post_answer(client: Client, attempt: Attempt, key: str, choices, **headers):
    return client.post(attempt.get_absolute_url(), {"question": key, "choice": choices}, **headers)


def anonymous_reader(client: Client) -> Reader:
    return Reader.objects.get(pk=client.session[SESSION_KEY], user__isnull=True)


# The quiz page


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_quiz_page_in_both_languages(client, lang):
    response = client.get(f"/{lang}/modules/alpha/quiz/")
    body = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}"' in body
    assert escape(getattr(quiz_for().module, f"title_{lang}")) in body
    assert_csp_clean(body)


def test_quiz_page_invites_to_start_and_creates_no_reader(client):
    body = client.get(QUIZ_URL).content.decode()
    assert "8 questions, one at a time." in body and "Start the quiz" in body
    assert "Continue your attempt" not in body and "Your best score" not in body
    assert not Reader.objects.exists() and SESSION_KEY not in client.session


def test_unknown_module_quiz_is_404(client):
    assert client.get("/en/modules/gamma/quiz/").status_code == 404
    assert client.post("/en/modules/gamma/quiz/").status_code == 404
    assert not Attempt.objects.exists() and not Reader.objects.exists()


def test_quiz_page_shows_the_readers_summary_and_current_attempt(student_client, student):
    reader = reader_of(student)
    for right in (5, 7):
        answer_all(attempt_start(quiz=quiz_for(), reader=reader), right=right)
    current = attempt_start(quiz=quiz_for(), reader=reader)
    answer_all(attempt_start(quiz=quiz_for(), reader=reader_of(StudentFactory())), right=8)
    body = student_client.get(QUIZ_URL).content.decode()
    assert 'Your best score: <bdi class="num">88%</bdi>' in body
    assert "3 attempts" in body and "Passed" in body
    assert re.search(f'href="{current.get_absolute_url()}"[^>]*>Continue your attempt', body)
    assert "Start a new attempt" in body
    latest = Attempt.objects.filter(reader=reader, finished_at__isnull=False).latest("finished_at")
    assert re.search(f'href="{latest.get_results_url()}"[^>]*>See your latest results', body)


# Starting


def test_an_anonymous_start_creates_the_reader_once_and_keeps_it_in_the_session(client):
    first = start(client)
    reader = anonymous_reader(client)
    assert first.reader == reader and first.question_count == 8
    second = start(client)
    assert second.reader == reader and Reader.objects.count() == 1


def test_a_signed_in_start_belongs_to_the_accounts_reader(student_client, student):
    attempt = start(student_client)
    assert attempt.reader == reader_of(student)
    assert SESSION_KEY not in student_client.session


# The attempt page


def test_question_page_shows_question_k_of_n_and_never_reveals_the_answer(student_client):
    attempt = ordered(start(student_client), ["q01"])
    response = student_client.get(attempt.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200 and "<html" in body
    assert escape(question(attempt, "q01").prompt_en) in body
    assert 'Question <bdi class="num">1</bdi> of <bdi class="num">8</bdi>' in body
    assert '<progress max="8" value="0"' in body
    assert 'name="question" value="q01"' in body and 'type="radio" name="choice"' in body
    for choice in question(attempt, "q01").choices.all():
        assert escape(choice.explanation_en) not in body
    assert "is-correct" not in body and "Right!" not in body
    assert_csp_clean(body)


def test_a_multiple_choice_question_shows_checkboxes(student_client):
    attempt = ordered(start(student_client), ["q02"])
    body = student_client.get(attempt.get_absolute_url()).content.decode()
    assert 'type="checkbox" name="choice"' in body and "Select all that apply." in body


def test_choices_appear_in_the_attempts_stored_order_on_every_load(student_client):
    attempt = ordered(start(student_client), ["q02"])
    keys = {c.pk: c.key for c in question(attempt, "q02").choices.all()}
    expected = [keys[pk] for pk in attempt.choice_order[str(question(attempt, "q02").pk)]]
    for _ in range(2):
        body = student_client.get(attempt.get_absolute_url()).content.decode()
        assert re.findall(r'name="choice" value="([^"]+)"', body) == expected


def test_answer_with_htmx_returns_the_feedback_fragment(student_client):
    attempt = ordered(start(student_client), ["q01"])
    response = post_answer(student_client, attempt, "q01", RIGHT["q01"], HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert 'id="question-card"' in body and "Right!" in body and "Next question" in body
    assert '<progress max="8" value="1"' in body
    for choice in question(attempt, "q01").choices.all():
        assert escape(choice.explanation_en) in body
    assert Answer.objects.get(attempt=attempt).is_correct


def test_a_wrong_answer_shows_the_right_one(student_client):
    attempt = ordered(start(student_client), ["q02"])
    body = post_answer(student_client, attempt, "q02", WRONG["q02"], HTTP_HX_REQUEST="true").content.decode()
    assert "Not quite." in body and "The right answers:" in body
    assert "<strong>alpha q2 choice a</strong>" in body and "Learn more:" in body


def test_answer_without_javascript_redirects_to_its_feedback(student_client):
    attempt = ordered(start(student_client), ["q03", "q01"])
    response = post_answer(student_client, attempt, "q03", WRONG["q03"])
    assert response.status_code == 302
    assert response.url == f"{attempt.get_absolute_url()}?show=q03#question-card"
    body = student_client.get(response.url).content.decode()
    assert "<html" in body and "Not quite." in body and "The right answer:" in body
    # Without ?show the next unanswered question comes.
    body = student_client.get(attempt.get_absolute_url()).content.decode()
    assert escape(question(attempt, "q01").prompt_en) in body and "Not quite." not in body


def test_show_names_only_an_answered_question(student_client):
    attempt = ordered(start(student_client), ["q01"])
    body = student_client.get(f"{attempt.get_absolute_url()}?show=q05").content.decode()
    assert escape(question(attempt, "q01").prompt_en) in body


def test_history_restore_gets_the_full_page(student_client):
    attempt = start(student_client)
    response = student_client.get(
        attempt.get_absolute_url(), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in response.content.decode()
    assert "HX-Request" in response["Vary"]


def test_the_last_answer_links_to_the_results(student_client):
    attempt = start(student_client)
    answer_all(attempt, right=7)
    Answer.objects.filter(attempt=attempt, question_id=attempt.question_order[-1]).delete()
    Attempt.objects.filter(pk=attempt.pk).update(finished_at=None)
    last = Question.objects.prefetch_related("choices").get(pk=attempt.question_order[-1])
    right = [c.key for c in last.choices.all() if c.is_correct]
    body = post_answer(student_client, attempt, last.key, right, HTTP_HX_REQUEST="true").content.decode()
    assert re.search(f'href="{attempt.get_results_url()}"[^>]*>See your results', body)
    assert "Next question" not in body
    attempt.refresh_from_db()
    assert attempt.is_finished


def test_a_finished_attempt_redirects_to_its_results(student_client):
    attempt = start(student_client)
    answer_all(attempt, right=6)
    response = student_client.get(attempt.get_absolute_url())
    assert response.status_code == 302 and response.url == attempt.get_results_url()


# Refusals


TAMPERED = {
    "unknown question": ({"question": "q99", "choice": ["b"]}, "That question is not part of this attempt."),
    "choice of another question": (
        {"question": "q01", "choice": ["d"]},
        "That answer is not one of this question&#x27;s choices.",
    ),
    "two choices for a single question": (
        {"question": "q01", "choice": ["a", "b"]},
        "This question takes exactly one answer.",
    ),
    "no choice": ({"question": "q01"}, "Choose an answer first."),
    "empty choice": ({"question": "q01", "choice": [""]}, "not one of this question"),
    "no question": ({"choice": ["b"]}, "This field is required."),
    "nothing": ({}, "This field is required."),
    "over-long question": (
        {"question": "q" * 41, "choice": ["b"]},
        "at most 40 characters",
    ),
    "over-long choice": ({"question": "q01", "choice": ["b" * 41]}, "not one of this question"),
    "non-slug question": (
        {"question": "../q01", "choice": ["b"]},
        "That question is not part of this attempt.",
    ),
    "non-slug choice": ({"question": "q01", "choice": ["<b>"]}, "not one of this question"),
    "21 choices": ({"question": "q02", "choice": [f"c{n}" for n in range(21)]}, "not one of this question"),
}


@pytest.mark.parametrize("data,message", TAMPERED.values(), ids=TAMPERED.keys())
@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "no-js"])
def test_tampered_answers_are_refused_with_422_and_store_nothing(client, data, message, htmx):
    attempt = ordered(start(client), ["q01"])
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(attempt.get_absolute_url(), data, **headers)
    body = response.content.decode()
    assert response.status_code == 422
    assert message in body
    assert ("<html" in body) is not htmx
    assert not Answer.objects.exists()
    attempt.refresh_from_db()
    assert not attempt.is_finished


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
@pytest.mark.parametrize(
    "data",
    [{"question": "q01\x00", "choice": ["b"]}, {"question": "q01", "choice": ["b\x00"]}],
    ids=["question", "choice"],
)
def test_a_nul_byte_in_an_answer_is_refused_at_the_edge_with_400(client, data, htmx):
    attempt = ordered(start(client), ["q01"])
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(attempt.get_absolute_url(), data, **headers)
    assert response.status_code == 400
    assert "The form contains a character that is not allowed." in response.content.decode()
    assert not Answer.objects.exists()


def test_a_refused_answer_shows_the_question_it_was_for(student_client):
    attempt = ordered(start(student_client), ["q01", "q02"])
    response = post_answer(student_client, attempt, "q02", ["a", "zz"], HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 422
    assert escape(question(attempt, "q02").prompt_en) in body
    assert escape(question(attempt, "q01").prompt_en) not in body


def test_refusals_are_translated(student_client):
    attempt = start(student_client)
    url = attempt.get_absolute_url().replace("/en/", "/ar/")
    response = student_client.post(url, {"question": "q01"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "اختر إجابة أولًا" in response.content.decode()


def test_a_different_second_answer_is_refused_and_the_same_one_accepted(student_client):
    attempt = start(student_client)
    assert post_answer(student_client, attempt, "q02", ["a", "b"]).status_code == 302
    assert post_answer(student_client, attempt, "q02", ["b", "a"]).status_code == 302
    response = post_answer(student_client, attempt, "q02", ["a"], HTTP_HX_REQUEST="true")
    assert response.status_code == 422 and "already answered" in response.content.decode()
    assert list(Answer.objects.filter(attempt=attempt).values_list("is_correct", flat=True)) == [True]


def test_the_same_answer_again_takes_no_write_lock_and_writes_nothing(student_client):
    attempt = start(student_client)
    post_answer(student_client, attempt, "q02", ["a", "b"])
    stored = Answer.objects.get()
    with CaptureQueriesContext(connection) as captured:
        response = post_answer(student_client, attempt, "q02", ["b", "a"], HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'id="question-card"' in response.content.decode()
    statements = [query["sql"].split()[0].upper() for query in captured.captured_queries]
    assert not {"BEGIN", "INSERT", "UPDATE", "DELETE", "SAVEPOINT"} & set(statements), statements
    assert not any("FOR UPDATE" in query["sql"] for query in captured.captured_queries)
    assert Answer.objects.get() == stored and Answer.objects.get().answered_at == stored.answered_at


def test_a_different_second_answer_without_javascript_says_why_it_was_refused(student_client):
    attempt = start(student_client)
    post_answer(student_client, attempt, "q01", ["b"])
    response = post_answer(student_client, attempt, "q01", ["a"])
    assert response.status_code == 422
    assert "You have already answered this question in this attempt." in response.content.decode()


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "no-js"])
def test_a_finished_attempt_with_unanswered_questions_refuses_an_answer(student_client, htmx):
    """As when content was pruned mid-attempt: finished, yet questions are left unanswered."""
    attempt = ordered(start(student_client), ["q01", "q02"])
    assert post_answer(student_client, attempt, "q01", ["b"]).status_code == 302
    Attempt.objects.filter(pk=attempt.pk).update(finished_at=timezone.now())
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = post_answer(student_client, attempt, "q02", ["a", "b"], **headers)
    assert response.status_code == 422
    assert "This attempt is finished. Start a new one to try again." in response.content.decode()
    assert list(Answer.objects.filter(attempt=attempt).values_list("question__key", flat=True)) == ["q01"]


def test_an_attempt_whose_question_was_pruned_still_reaches_its_results(student_client):
    attempt = ordered(start(student_client), ["q08"])
    Question.objects.filter(quiz=attempt.quiz, key="q08").delete()
    for item in Question.objects.filter(pk__in=attempt.question_order).prefetch_related("choices"):
        right = [c.key for c in item.choices.all() if c.is_correct]
        quiz_answer_submit(attempt=attempt, question_key=item.key, choice_keys=right)
    response = student_client.get(attempt.get_absolute_url(), follow=True)
    assert response.status_code == 200 and "Your results" in response.content.decode()


def test_an_oversized_post_is_refused(student_client):
    attempt = start(student_client)
    response = student_client.post(attempt.get_absolute_url(), {"question": "q01", "choice": ["a"] * 500})
    assert response.status_code == 400
    assert not Answer.objects.exists()


def test_a_missing_csrf_token_is_refused(student):
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)
    attempt = attempt_start(quiz=quiz_for(), reader=reader_of(student))
    assert post_answer(client, attempt, "q01", ["b"]).status_code == 403
    assert client.post(QUIZ_URL).status_code == 403
    assert not Answer.objects.exists() and Attempt.objects.count() == 1


# Whose attempt


def _someone_elses_attempt_is_404(client: Client, attempt: Attempt) -> None:
    assert client.get(attempt.get_absolute_url()).status_code == 404
    assert post_answer(client, attempt, "q01", ["b"]).status_code == 404
    assert post_answer(client, attempt, "q01", ["b"], HTTP_HX_REQUEST="true").status_code == 404
    assert client.get(attempt.get_results_url()).status_code == 404
    assert not Answer.objects.filter(attempt=attempt).exists()


def test_another_accounts_attempt_is_404(student_client, other_student):
    _someone_elses_attempt_is_404(
        student_client, attempt_start(quiz=quiz_for(), reader=reader_of(other_student))
    )


def test_an_anonymous_readers_attempt_is_404_for_another_browser_and_for_an_account(client, student_client):
    attempt = start(client)
    _someone_elses_attempt_is_404(Client(), attempt)
    _someone_elses_attempt_is_404(student_client, attempt)
    other_browser = Client()
    start(other_browser)
    _someone_elses_attempt_is_404(other_browser, attempt)


def test_an_accounts_attempt_is_404_for_an_anonymous_browser(client, student):
    attempt = attempt_start(quiz=quiz_for(), reader=reader_of(student))
    _someone_elses_attempt_is_404(client, attempt)
    start(client)
    _someone_elses_attempt_is_404(client, attempt)


def test_an_attempt_through_another_modules_url_is_404(student_client):
    attempt = start(student_client)
    url = attempt.get_absolute_url().replace("/alpha/", "/beta/")
    assert student_client.get(url).status_code == 404
    assert student_client.post(url, {"question": "q01", "choice": ["b"]}).status_code == 404
    assert not Answer.objects.exists()


@pytest.mark.parametrize("attempt_id", ["9223372036854775808", "99999999999999999999999"])
def test_huge_attempt_ids_are_404(student_client, attempt_id):
    start(student_client)
    for url in [f"{QUIZ_URL}{attempt_id}/", f"{QUIZ_URL}{attempt_id}/results/"]:
        assert student_client.get(url).status_code == 404
    assert (
        student_client.post(f"{QUIZ_URL}{attempt_id}/", {"question": "q01", "choice": "b"}).status_code == 404
    )


def test_an_anonymous_reader_starts_answers_and_sees_results(client):
    attempt = ordered(start(client), ["q01", "q02", "q03", "q04"])
    reader = anonymous_reader(client)
    for item in attempt.quiz.questions.prefetch_related("choices"):
        right = [c.key for c in item.choices.all() if c.is_correct]
        choices = WRONG[item.key] if item.key in ("q01", "q03") else right
        assert post_answer(client, attempt, item.key, choices).status_code == 302
    attempt.refresh_from_db()
    assert attempt.reader == reader and attempt.is_finished and attempt.correct_count == 6
    assert Answer.objects.filter(attempt__reader=reader).count() == 8
    response = client.get(attempt.get_results_url())
    assert response.status_code == 200 and 'Score: <bdi class="num">75%</bdi>' in response.content.decode()
    assert Reader.objects.count() == 1


# Results


def test_results_show_the_score_the_review_and_the_lessons_to_reread(student_client, student):
    attempt = ordered(start(student_client), ["q03", "q01", "q02", "q04"])
    for item in attempt.quiz.questions.prefetch_related("choices"):
        right = [c.key for c in item.choices.all() if c.is_correct]
        choices = WRONG[item.key] if item.key in ("q01", "q03", "q04") else right
        quiz_answer_submit(attempt=attempt, question_key=item.key, choice_keys=choices)
    response = student_client.get(attempt.get_results_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert 'Score: <bdi class="num">62%</bdi>' in body and "Not passed yet" in body
    revisit = body[body.index("Worth reading again") : body.index('id="review-title"')]
    assert re.findall(r'href="/en/modules/alpha/([a-z-]+)/"', revisit) == ["third-way", "first-steps"]
    assert body.count('class="question-review') == 8
    assert "Try again" in body
    assert_csp_clean(body)


def test_results_of_a_perfect_attempt_list_no_lessons(student_client):
    attempt = start(student_client)
    answer_all(attempt, right=8)
    body = student_client.get(attempt.get_results_url()).content.decode()
    assert 'Score: <bdi class="num">100%</bdi>' in body and "Passed (pass mark" in body
    assert "Worth reading again" not in body


def test_results_of_an_unfinished_attempt_redirect_to_it(student_client):
    attempt = start(student_client)
    response = student_client.get(attempt.get_results_url())
    assert response.status_code == 302 and response.url == attempt.get_absolute_url()


def test_results_accept_only_safe_methods(student_client):
    attempt = start(student_client)
    answer_all(attempt, right=8)
    assert student_client.post(attempt.get_results_url()).status_code == 405


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_results_in_both_languages(student_client, lang):
    attempt = start(student_client)
    answer_all(attempt, right=4)
    response = student_client.get(attempt.get_results_url().replace("/en/", f"/{lang}/"))
    assert response.status_code == 200 and f'<html lang="{lang}"' in response.content.decode()


# The reader's own history of attempts

HISTORY_URL = "/en/modules/attempts/"


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def history_links(body: str) -> list[str]:
    listing = body[body.index('<ol class="attempt-history">') :]
    return re.findall(r'<a href="(/en/modules/[\w-]+/quiz/\d+/(?:results/)?)">', listing)


def test_the_history_of_a_reader_who_never_took_a_quiz_is_empty_and_creates_no_reader(client):
    response = client.get(HISTORY_URL)
    body = response.content.decode()
    assert response.status_code == 200
    assert "You have not taken a quiz yet." in body and 'class="attempt-history"' not in body
    assert Reader.objects.count() == 0
    assert_csp_clean(body)


def test_an_anonymous_reader_sees_every_attempt_newest_first_each_linking_to_its_review(client):
    first = start(client)
    answer_all(first, right=8)
    second = start(client, "/en/modules/beta/quiz/")
    answer_all(second, right=2)
    third = start(client)
    body = client.get(HISTORY_URL).content.decode()
    assert history_links(body) == [
        third.get_absolute_url(),  # not finished: the link continues it
        second.get_results_url(),
        first.get_results_url(),
    ]
    assert "✓ Passed" in text_of(body) and "✗ Not passed" in text_of(body) and "not finished" in body
    assert client.get(first.get_results_url()).status_code == 200


def test_a_signed_in_reader_sees_only_their_own_attempts(student_client, student, other_student, client):
    mine = attempt_start(quiz=quiz_for(), reader=reader_of(student))
    answer_all(mine, right=6)
    theirs = attempt_start(quiz=quiz_for(), reader=reader_of(other_student))
    body = student_client.get(HISTORY_URL).content.decode()
    assert history_links(body) == [mine.get_results_url()]
    assert f"/quiz/{theirs.pk}/" not in body
    assert "You have not taken a quiz yet." in client.get(HISTORY_URL).content.decode()


def test_the_history_shows_the_score_and_the_time_taken(student_client, student):
    attempt = attempt_start(quiz=quiz_for(), reader=reader_of(student))
    answer_all(attempt, right=6)
    Attempt.objects.filter(pk=attempt.pk).update(
        finished_at=attempt.started_at + datetime.timedelta(minutes=4, seconds=9)
    )
    body = text_of(student_client.get(HISTORY_URL).content.decode())
    assert "score 75% ✓ Passed · time taken 4 min 09 s" in body


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_history_in_both_languages(student_client, student, lang):
    answer_all(attempt_start(quiz=quiz_for(), reader=reader_of(student)), right=1)
    body = student_client.get(f"/{lang}/modules/attempts/").content.decode()
    assert f'<html lang="{lang}"' in body
    assert ("ألفا" in body) == (lang == "ar") and ("Alpha: how traces add up" in body) == (lang == "en")


def test_the_history_takes_as_many_queries_for_any_number_of_attempts(student_client, student):
    answer_all(attempt_start(quiz=quiz_for(), reader=reader_of(student)), right=1)
    few = _page_queries(student_client, HISTORY_URL)
    for _ in range(6):
        answer_all(attempt_start(quiz=quiz_for("beta"), reader=reader_of(student)), right=3)
    assert _page_queries(student_client, HISTORY_URL) == few


def test_the_results_page_and_the_dashboard_link_to_the_history(student_client):
    attempt = start(student_client)
    answer_all(attempt, right=8)
    assert f'href="{HISTORY_URL}"' in student_client.get(attempt.get_results_url()).content.decode()
    assert f'href="{HISTORY_URL}"' in student_client.get("/en/dashboard/").content.decode()


def test_the_history_accepts_only_safe_methods(student_client):
    assert student_client.post(HISTORY_URL).status_code == 405


# Merging into an account


def test_an_anonymous_attempt_moves_to_the_account_at_sign_up(client):
    attempt = start(client)
    response = client.post(
        "/en/accounts/signup/",
        {"username": "quizzer", "role": "student", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.reader.user.username == "quizzer"
    assert client.get(attempt.get_absolute_url()).status_code == 200


def test_an_anonymous_attempt_moves_to_the_account_at_log_in(client, student):
    own = attempt_start(quiz=quiz_for(), reader=reader_of(student))
    attempt = start(client)
    client.post("/en/accounts/login/", {"username": student.username, "password": PASSWORD})
    assert set(Attempt.objects.filter(reader=reader_of(student))) == {own, attempt}
    assert client.get(attempt.get_absolute_url()).status_code == 200


# Query counts


def _grow_quiz(count: int) -> None:
    """Add questions to the alpha quiz (rolled back with the test)."""
    quiz = quiz_for()
    lesson = quiz.questions.first().lesson
    for n in range(count):
        extra = Question.objects.create(
            quiz=quiz,
            key=f"x{n}",
            position=100 + n,
            kind="single",
            lesson=lesson,
            prompt_en="x?",
            prompt_ar="؟",
        )
        Choice.objects.bulk_create(
            Choice(
                question=extra,
                key=key,
                position=i,
                is_correct=key == "b",
                text_en=key,
                text_ar=key,
                explanation_en=key,
                explanation_ar=key,
            )  # fmt: skip
            for i, key in enumerate("abc")
        )


def _page_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_attempt_and_results_pages_take_as_many_queries_for_a_long_quiz(
    student_client, django_capture_on_commit_callbacks
):
    counts = []
    attempt = None
    for grow in (0, 20):
        _grow_quiz(grow)
        with django_capture_on_commit_callbacks(execute=True):
            content_changed()  # as loading content does
        attempt = start(student_client, over=attempt)
        first = Question.objects.prefetch_related("choices").get(pk=attempt.question_order[0])
        quiz_answer_submit(attempt=attempt, question_key=first.key, choice_keys=[first.choices.first().key])
        student_client.get(attempt.get_absolute_url())  # the questions, read once per content version
        asking = _page_queries(student_client, attempt.get_absolute_url())
        feedback = _page_queries(student_client, f"{attempt.get_absolute_url()}?show={first.key}")
        finished = start(student_client, over=attempt)
        answer_all(finished, right=len(finished.question_order) // 2)
        results = _page_queries(student_client, finished.get_results_url())
        counts.append((asking, feedback, results))
    assert counts[0] == counts[1]


# Races


@RACE
def test_identical_answers_at_the_same_moment_store_one():
    student = StudentFactory()
    attempt = attempt_start(quiz=quiz_for(), reader=reader_of(student))
    clients = logged_in_clients(student, 6)
    statuses = run_concurrently(
        [lambda c=c: post_answer(c, attempt, "q02", ["a", "b"]).status_code for c in clients]
    )
    assert statuses == [302] * 6
    assert Answer.objects.filter(attempt=attempt).count() == 1


@RACE
def test_different_answers_at_the_same_moment_keep_exactly_one():
    student = StudentFactory()
    attempt = attempt_start(quiz=quiz_for(), reader=reader_of(student))
    keys = ["a", "b", "c"]
    clients = logged_in_clients(student, len(keys))
    responses = run_concurrently(
        [
            lambda c=c, k=k: post_answer(c, attempt, "q01", [k], HTTP_HX_REQUEST="true")
            for c, k in zip(clients, keys, strict=True)
        ]
    )
    statuses = [response.status_code for response in responses]
    assert statuses.count(200) == 1 and statuses.count(422) == len(keys) - 1
    for response in responses:
        if response.status_code == 422:
            assert "You have already answered this question in this attempt." in response.content.decode()
    answer = Answer.objects.get(attempt=attempt)
    assert [c.key for c in answer.selected.all()] == [keys[statuses.index(200)]]


@RACE
def test_last_two_questions_answered_at_once_still_finish_the_attempt():
    student = StudentFactory()
    attempt = attempt_start(quiz=quiz_for(), reader=reader_of(student))
    by_id = {
        q.pk: q for q in Question.objects.filter(pk__in=attempt.question_order).prefetch_related("choices")
    }

    def right(item: Question) -> list[str]:
        return [c.key for c in item.choices.all() if c.is_correct]

    for question_id in attempt.question_order[:-2]:
        item = by_id[question_id]
        quiz_answer_submit(attempt=attempt, question_key=item.key, choice_keys=right(item))
    last_two = [by_id[pk] for pk in attempt.question_order[-2:]]
    clients = logged_in_clients(student, 2)
    statuses = run_concurrently(
        [
            lambda c=c, q=q: post_answer(c, attempt, q.key, right(q)).status_code
            for c, q in zip(clients, last_two, strict=True)
        ]
    )
    assert statuses == [302, 302]
    attempt.refresh_from_db()
    assert attempt.is_finished and attempt.correct_count == 8 and attempt.score_percent == 100


# Starting is safe to resend


def test_pressing_start_again_resumes_the_open_attempt(student_client):
    first = start(student_client)
    again = student_client.post(QUIZ_URL)
    assert again.url == first.get_absolute_url()
    assert Attempt.objects.count() == 1


def test_starting_over_makes_one_new_attempt_even_when_resent(student_client):
    first = start(student_client)
    second = start(student_client, over=first)
    assert second.pk != first.pk
    resent = student_client.post(QUIZ_URL, {"start_over": first.pk})
    assert resent.url == second.get_absolute_url()
    assert Attempt.objects.count() == 2
    # Once finished, "try again" starts a new one, and only one.
    answer_all(second, right=8)
    third = start(student_client)
    assert student_client.post(QUIZ_URL).url == third.get_absolute_url()
    assert Attempt.objects.count() == 3


def test_the_start_page_offers_starting_over_from_the_open_attempt(student_client):
    first = start(student_client)
    body = student_client.get(QUIZ_URL).content.decode()
    assert f'<input type="hidden" name="start_over" value="{first.pk}">' in body
    assert f'href="{first.get_absolute_url()}">Continue your attempt</a>' in body


@pytest.mark.parametrize("value", ["abc", "0", "-3", str(2**63), "1.5", "9" * 400])
def test_a_tampered_start_over_is_refused_and_starts_nothing(student_client, value):
    response = student_client.post(QUIZ_URL, {"start_over": value})
    assert response.status_code == 400
    assert "That start button was not one of ours." in response.content.decode()
    assert not Attempt.objects.exists()


@RACE
def test_concurrent_starts_make_one_attempt():
    student = StudentFactory()
    reader_of(student)  # the reader exists, as it does once a student has done anything
    statuses = run_concurrently(
        [lambda c=c: c.post(QUIZ_URL).status_code for c in logged_in_clients(student, 6)]
    )
    assert statuses == [302] * 6
    assert Attempt.objects.filter(reader__user=student).count() == 1
