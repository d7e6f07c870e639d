"""The shipped quizzes (apps/quizzes/content/), loaded by the `real_content` fixture. Behaviour
tests never use them: they run on the fixture quizzes in tests/content/."""

import pytest

from apps.lessons.models import Module
from apps.quizzes.content import CONTENT_DIR, MIN_QUESTIONS, quizzes_content_sync
from apps.quizzes.models import Choice, Question, Quiz

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_content")]


def test_every_shipped_module_has_a_quiz():
    modules = set(Module.objects.values_list("slug", flat=True))
    assert len(modules) == 6
    assert set(Quiz.objects.values_list("module__slug", flat=True)) == modules


def test_every_quiz_has_enough_questions_of_every_kind():
    for quiz in Quiz.objects.prefetch_related("questions"):
        questions = list(quiz.questions.all())
        assert len(questions) >= MIN_QUESTIONS >= 8, quiz
        assert {q.kind for q in questions} == set(Question.Kind.values), quiz


def test_every_question_and_choice_is_written_in_both_languages():
    for question in Question.objects.select_related("quiz__module", "lesson").prefetch_related("choices"):
        assert question.prompt_en.strip() and question.prompt_ar.strip(), question
        assert question.prompt_en != question.prompt_ar, question
        assert question.lesson is not None and question.lesson.module_id == question.quiz.module_id, question
        for choice in question.choices.all():
            for field in ("text_en", "text_ar", "explanation_en", "explanation_ar"):
                assert getattr(choice, field).strip(), (choice, field)


def test_every_question_has_a_right_answer_and_a_wrong_one():
    for question in Question.objects.prefetch_related("choices"):
        right = [c for c in question.choices.all() if c.is_correct]
        assert right and len(right) < question.choices.count(), question
        if question.kind != Question.Kind.MULTIPLE:
            assert len(right) == 1, question


def test_reloading_the_shipped_quizzes_changes_nothing():
    report = quizzes_content_sync(source_dir=CONTENT_DIR)
    assert (report.created, report.updated, report.stale) == (0, 0, [])
    assert report.unchanged == Quiz.objects.count() + Question.objects.count() + sum(
        q.choices.count() for q in Question.objects.all()
    )


def test_every_wrong_choice_says_it_is_wrong_before_it_explains():
    """Feedback on a wrong choice opens the same way in every quiz: "Wrong:" / «خطأ:», or, for a
    true-or-false statement, which it is."""
    openings_en = ("Wrong", "It is true", "It is false", "True.", "False.")
    openings_ar = ("خطأ", "العبارة صحيحة", "العبارة خاطئة", "صح", "صحيح")
    for choice in Choice.objects.filter(is_correct=False).select_related("question"):
        assert choice.explanation_en.startswith(openings_en), (choice.question, choice.explanation_en[:40])
        assert choice.explanation_ar.startswith(openings_ar), (choice.question, choice.explanation_ar[:40])
