"""apps/quizzes/services.py on the fixture quizzes: alpha and beta, eight questions each (q01..q08,
kinds single, multiple, truefalse repeating; single: `b` right; multiple: `a` and `b` right;
truefalse: `true` right for even numbers, `false` for odd)."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.models import Reader
from apps.accounts.services import readers_prune
from apps.quizzes.models import Answer, Attempt, Choice, Question
from apps.quizzes.services import AnswerRefused, attempt_start, quiz_answer_submit
from tests.factories import StudentFactory
from tests.helpers import answer_all, quiz_for, reader_of

pytestmark = pytest.mark.django_db


def _attempt(reader: Reader | None = None, module_slug: str = "alpha") -> Attempt:
    return attempt_start(quiz=quiz_for(module_slug), reader=reader or Reader.objects.create())


def _submit(attempt: Attempt, key: str, choices: list[str]) -> Answer:
    return quiz_answer_submit(attempt=attempt, question_key=key, choice_keys=choices)


def test_an_attempt_starts_unfinished_with_every_question_and_choice_once():
    reader = Reader.objects.create()
    quiz = quiz_for()
    attempt = attempt_start(quiz=quiz, reader=reader)
    attempt.refresh_from_db()
    assert attempt.reader == reader and attempt.quiz == quiz
    assert attempt.question_count == 8 and not attempt.is_finished
    assert attempt.correct_count is None and attempt.score_percent is None and attempt.passed is None
    questions = {q.pk: q for q in quiz.questions.prefetch_related("choices")}
    assert sorted(attempt.question_order) == sorted(questions)
    assert set(attempt.choice_order) == {str(pk) for pk in questions}
    for question_id, choice_ids in attempt.choice_order.items():
        assert sorted(choice_ids) == sorted(c.pk for c in questions[int(question_id)].choices.all())


def test_questions_and_choices_are_shuffled_per_attempt():
    reader = Reader.objects.create()
    attempts = [_attempt(reader) for _ in range(8)]
    q01 = str(quiz_for().questions.get(key="q01").pk)
    assert len({tuple(a.question_order) for a in attempts}) > 1
    assert len({tuple(a.choice_order[q01]) for a in attempts}) > 1


def test_starting_takes_as_many_queries_for_a_long_quiz(django_assert_max_num_queries):
    reader = Reader.objects.create()
    with CaptureQueriesContext(connection) as short:
        _attempt(reader)
    quiz = quiz_for()
    for n in range(20):
        extra = Question.objects.create(
            quiz=quiz, key=f"x{n}", position=20 + n, kind="single", prompt_en="?", prompt_ar="؟"
        )
        texts = {"text_en": "b", "text_ar": "b", "explanation_en": "e", "explanation_ar": "e"}
        Choice.objects.create(question=extra, key="b", position=1, is_correct=True, **texts)
    with CaptureQueriesContext(connection) as long:
        assert _attempt(reader).question_count == 28
    assert len(long) == len(short)


def test_true_false_choices_are_never_shuffled():
    reader = Reader.objects.create()
    true_false = list(quiz_for().questions.filter(kind=Question.Kind.TRUE_FALSE).prefetch_related("choices"))
    assert len(true_false) == 2
    for _ in range(6):
        attempt = _attempt(reader)
        for question in true_false:
            keys = {c.pk: c.key for c in question.choices.all()}
            assert [keys[pk] for pk in attempt.choice_order[str(question.pk)]] == ["true", "false"]


@pytest.mark.parametrize(
    "key,choices,expected",
    [
        ("q01", ["b"], True),
        ("q01", ["a"], False),
        ("q03", ["false"], True),  # odd: false is right
        ("q03", ["true"], False),
        ("q06", ["true"], True),
        ("q06", ["false"], False),
        ("q02", ["a", "b"], True),
        ("q02", ["b", "a"], True),
        ("q02", ["a"], False),  # a subset
        ("q02", ["a", "b", "c"], False),  # a superset
        ("q02", ["c", "d"], False),
    ],
)
def test_an_answer_is_right_only_when_the_chosen_set_equals_the_right_set(key, choices, expected):
    attempt = _attempt()
    answer = _submit(attempt, key, choices)
    answer.refresh_from_db()
    assert answer.is_correct is expected
    assert sorted(answer.selected.values_list("key", flat=True)) == sorted(choices)
    assert answer.question.key == key and answer.attempt == attempt


def test_the_attempt_finishes_on_its_last_answer_only():
    attempt = _attempt()
    keys = list(Question.objects.filter(pk__in=attempt.question_order).values_list("key", flat=True))
    for key in keys[:-1]:
        _submit(attempt, key, _right(key))
    attempt.refresh_from_db()
    assert not attempt.is_finished and attempt.correct_count is None
    before = timezone.now()
    _submit(attempt, keys[-1], _right(keys[-1]))
    attempt.refresh_from_db()
    assert attempt.is_finished and before <= attempt.finished_at <= timezone.now()
    assert attempt.correct_count == 8 and attempt.score_percent == 100 and attempt.passed is True


def _right(key: str) -> list[str]:
    question = quiz_for().questions.prefetch_related("choices").get(key=key)
    return [c.key for c in question.choices.all() if c.is_correct]


@pytest.mark.parametrize(
    "right,percent,passed",
    [(8, 100, True), (7, 88, True), (6, 75, True), (5, 62, False), (0, 0, False)],
)
def test_finishing_scores_and_applies_the_pass_mark(right, percent, passed):
    quiz = quiz_for()
    quiz.pass_mark = 75  # 6 of 8 is exactly the pass mark
    quiz.save()
    attempt = _attempt()
    answer_all(attempt, right=right)
    attempt.refresh_from_db()
    assert attempt.correct_count == right
    assert attempt.score_percent == percent
    assert attempt.passed is passed


def _refusal(attempt: Attempt, key: str, choices: list[str]) -> str:
    before = Answer.objects.filter(attempt=attempt).count()
    with pytest.raises(AnswerRefused) as refusal:
        _submit(attempt, key, choices)
    assert Answer.objects.filter(attempt=attempt).count() == before
    attempt.refresh_from_db()
    return str(refusal.value)


@pytest.mark.parametrize(
    "key,choices,message",
    [
        ("q99", ["b"], "That question is not part of this attempt."),
        ("q01", [], "Choose an answer first."),
        ("q01", ["zzz"], "That answer is not one of this question's choices."),
        ("q01", ["d"], "That answer is not one of this question's choices."),  # q02's choice
        ("q01", ["true"], "That answer is not one of this question's choices."),  # q03's choice
        ("q01", ["b", "b"], "That answer is not one of this question's choices."),
        ("q02", ["a", "b", "b"], "That answer is not one of this question's choices."),
        ("q01", ["a", "b"], "This question takes exactly one answer."),
        ("q03", ["true", "false"], "This question takes exactly one answer."),
    ],
)
def test_refused_answers_store_nothing(key, choices, message):
    attempt = _attempt()
    assert _refusal(attempt, key, choices) == message
    assert not attempt.is_finished


def test_a_question_of_another_quiz_is_not_part_of_the_attempt():
    beta = quiz_for("beta")
    extra = Question.objects.create(
        quiz=beta, key="q09", position=9, kind="single", prompt_en="?", prompt_ar="؟"
    )
    Choice.objects.create(
        question=extra, key="b", position=1, is_correct=True, text_en="b", text_ar="b", explanation_en="e",
        explanation_ar="e",
    )  # fmt: skip
    assert (
        _refusal(_attempt(module_slug="alpha"), "q09", ["b"]) == "That question is not part of this attempt."
    )


def test_the_same_answer_again_returns_the_stored_one_and_a_different_one_is_refused():
    attempt = _attempt()
    first = _submit(attempt, "q02", ["a", "b"])
    assert _submit(attempt, "q02", ["b", "a"]).pk == first.pk
    assert _refusal(attempt, "q02", ["a"]) == "You have already answered this question in this attempt."
    assert Answer.objects.filter(attempt=attempt).count() == 1


def test_a_finished_attempt_takes_no_new_answer_but_repeats_the_last_one():
    attempt = _attempt()
    answer_all(attempt, right=8)
    last = Question.objects.get(pk=attempt.question_order[-1])
    stored = Answer.objects.get(attempt=attempt, question=last)
    assert _submit(attempt, last.key, _right(last.key)).pk == stored.pk
    wrong = last.choices.filter(is_correct=False).values_list("key", flat=True).first()
    assert _refusal(attempt, last.key, [wrong]) == "You have already answered this question in this attempt."


def test_a_finished_attempt_with_unanswered_questions_refuses_a_new_answer():
    """As when content was pruned mid-attempt: finished, yet some questions have no answer."""
    attempt = _attempt()
    _submit(attempt, "q01", ["b"])
    finished_at = timezone.now()
    Attempt.objects.filter(pk=attempt.pk).update(finished_at=finished_at)
    assert _refusal(attempt, "q02", ["a", "b"]) == "This attempt is finished. Start a new one to try again."
    assert attempt.finished_at == finished_at and attempt.correct_count is None


def test_answers_are_per_attempt():
    reader = Reader.objects.create()
    first, second = _attempt(reader), _attempt(reader)
    _submit(first, "q01", ["a"])
    assert _submit(second, "q01", ["b"]).is_correct
    assert Answer.objects.filter(attempt=first).count() == Answer.objects.filter(attempt=second).count() == 1


def test_an_idle_anonymous_readers_attempts_are_pruned_with_it_and_an_accounts_never():
    with time_machine.travel(datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC), tick=False):
        old = _attempt(Reader.objects.create())
        claimed = _attempt(reader_of(StudentFactory()))
        answer_all(old, right=3)
    recent = _attempt(Reader.objects.create())
    readers_prune(idle_for=datetime.timedelta(days=30))
    assert not Attempt.objects.filter(pk=old.pk).exists()
    assert not Answer.objects.filter(attempt_id=old.pk).exists()
    assert Attempt.objects.filter(pk__in=[claimed.pk, recent.pk]).count() == 2
