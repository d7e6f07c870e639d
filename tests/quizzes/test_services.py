import pytest

from apps.core.content import ContentError
from apps.quizzes import services
from apps.quizzes.models import Answer, Attempt, Question, Quiz
from apps.quizzes.services import AnswerRefused, attempt_start, quiz_answer_submit
from tests.factories import StudentFactory, answer_all, quiz_for

pytestmark = pytest.mark.django_db


def _question(attempt: Attempt, kind: str) -> Question:
    return (
        Question.objects.filter(pk__in=attempt.question_order, kind=kind).prefetch_related("choices").first()
    )


def test_every_module_has_a_quiz_of_at_least_eight_questions_in_both_languages():
    assert Quiz.objects.count() == 6
    for quiz in Quiz.objects.all():
        questions = list(quiz.questions.prefetch_related("choices"))
        assert len(questions) >= 8
        assert {q.kind for q in questions} == {"single", "multiple", "truefalse"}
        for question in questions:
            assert question.prompt_en and question.prompt_ar and question.lesson_id
            assert question.lesson.module_id == quiz.module_id
            for choice in question.choices.all():
                assert choice.text_ar and choice.explanation_en and choice.explanation_ar


def _attempt(user=None):
    return attempt_start(quiz=quiz_for(), user=user or StudentFactory())


@pytest.mark.parametrize("kind", ["single", "truefalse"])
def test_scoring_one_answer_questions(kind):
    attempt = _attempt()
    question = _question(attempt, kind)
    right = next(c for c in question.choices.all() if c.is_correct)
    wrong = next(c for c in question.choices.all() if not c.is_correct)
    assert quiz_answer_submit(attempt=attempt, question_key=question.key, choice_keys=[right.key]).is_correct
    other = _attempt(attempt.user)
    assert not quiz_answer_submit(
        attempt=other, question_key=question.key, choice_keys=[wrong.key]
    ).is_correct


def test_multiple_choice_counts_only_the_exact_set():
    question = _question(_attempt(), "multiple")
    choices = list(question.choices.all())
    right = [c.key for c in choices if c.is_correct]
    wrong = [c.key for c in choices if not c.is_correct]
    cases = [
        (right, True),
        (right[:-1], False),  # a subset
        (right + wrong[:1], False),  # a superset
        (wrong[:1], False),
    ]
    student = StudentFactory()
    for keys, expected in cases:
        attempt = _attempt(student)
        answer = quiz_answer_submit(attempt=attempt, question_key=question.key, choice_keys=keys)
        assert answer.is_correct is expected, keys


def test_finishing_scores_and_applies_the_pass_mark():
    attempt = _attempt()
    answer_all(attempt, right=7)
    attempt.refresh_from_db()
    assert attempt.is_finished
    assert attempt.correct_count == 7 and attempt.score_percent == 70 and attempt.passed
    failing = _attempt(attempt.user)
    answer_all(failing, right=6)
    failing.refresh_from_db()
    assert failing.score_percent == 60 and failing.passed is False


def test_shuffle_is_stored_and_differs_between_attempts():
    student = StudentFactory()
    orders = {tuple(_attempt(student).question_order) for _ in range(8)}
    assert len(orders) > 1
    attempt = _attempt(student)
    assert sorted(attempt.question_order) == sorted(quiz_for().questions.values_list("pk", flat=True))
    for question_id, choice_ids in attempt.choice_order.items():
        assert sorted(choice_ids) == sorted(
            Question.objects.get(pk=question_id).choices.values_list("pk", flat=True)
        )


def _refusal(attempt, question_key, choice_keys) -> str:
    before = Answer.objects.count()
    with pytest.raises(AnswerRefused) as refusal:
        quiz_answer_submit(attempt=attempt, question_key=question_key, choice_keys=choice_keys)
    assert Answer.objects.count() == before
    return str(refusal.value)


def test_refusals_store_nothing():
    attempt = _attempt()
    single = _question(attempt, "single")
    keys = [c.key for c in single.choices.all()]
    other_quiz_question = quiz_for("fraud-checks").questions.first()
    assert "not part of this attempt" in _refusal(attempt, other_quiz_question.key + "x", keys[:1])
    assert "not one of this question's choices" in _refusal(attempt, single.key, ["zzz"])
    assert "exactly one answer" in _refusal(attempt, single.key, keys[:2])
    assert "Choose an answer" in _refusal(attempt, single.key, [])
    assert "not one of this question's choices" in _refusal(attempt, single.key, [keys[0], keys[0]])


def test_a_different_second_answer_is_refused_and_the_same_one_is_idempotent():
    attempt = _attempt()
    single = _question(attempt, "single")
    keys = [c.key for c in single.choices.all()]
    first = quiz_answer_submit(attempt=attempt, question_key=single.key, choice_keys=[keys[0]])
    again = quiz_answer_submit(attempt=attempt, question_key=single.key, choice_keys=[keys[0]])
    assert again.pk == first.pk
    assert "already answered" in _refusal(attempt, single.key, [keys[1]])


def test_a_finished_attempt_takes_no_more_answers():
    attempt = _attempt()
    answer_all(attempt, right=10)
    last = Question.objects.get(pk=attempt.question_order[-1])
    wrong = last.choices.filter(is_correct=False).first()
    assert "already answered" in _refusal(attempt, last.key, [wrong.key])


def test_content_validation_names_the_file_and_question(tmp_path):
    from apps.lessons.models import Module

    module = Module.objects.get(slug="profiling")
    good = (services.CONTENT_DIR / "01-profiling.toml").read_text()
    broken = good.replace("correct = true", "correct = false", 1)
    path = tmp_path / "01-profiling.toml"
    path.write_text(broken)
    with pytest.raises(ContentError, match=r"01-profiling.toml: question q\w+: a \w+-choice question"):
        services.quizzes_content_sync(source_dir=tmp_path)
    path.write_text(good.replace('prompt.ar = "', 'prompt.xx = "', 1))
    with pytest.raises(ContentError, match=r"'prompt.ar' is missing"):
        services.quizzes_content_sync(source_dir=tmp_path)
    assert Quiz.objects.filter(module=module).count() == 1


def test_resync_keeps_attempts():
    attempt = _attempt()
    answer_all(attempt, right=5)
    services.quizzes_content_sync()
    assert Answer.objects.filter(attempt=attempt).count() == attempt.question_count


def test_anonymous_attempts_merge_into_the_account():
    session: dict = {}
    attempt = attempt_start(quiz=quiz_for(), user=None, session=session)
    student = StudentFactory()
    services.quiz_attempts_merge_from_session(session=session, user=student)
    attempt.refresh_from_db()
    assert attempt.user == student


def test_unclaimed_anonymous_attempts_are_pruned_after_sessions_expire():
    import datetime

    import time_machine

    from apps.quizzes.services import anonymous_attempts_prune

    with time_machine.travel(datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC), tick=False):
        old = attempt_start(quiz=quiz_for(), user=None, session={})
        claimed = attempt_start(quiz=quiz_for(), user=StudentFactory())
    recent = attempt_start(quiz=quiz_for(), user=None, session={})
    anonymous_attempts_prune(older_than=datetime.timedelta(days=30))
    assert not Attempt.objects.filter(pk=old.pk).exists()
    assert Attempt.objects.filter(pk__in=[claimed.pk, recent.pk]).count() == 2
