import random

from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Reader

from .models import Answer, Attempt, Choice, Question, Quiz


class AnswerRefused(Exception):
    """An answer that cannot be accepted; the message is shown to the reader as it is."""


def attempt_start(*, quiz: Quiz, reader: Reader) -> Attempt:
    """Start an attempt with its own shuffled order of questions and choices."""
    questions = list(quiz.questions.prefetch_related("choices"))
    rng = random.SystemRandom()
    rng.shuffle(questions)
    choice_order = {}
    for question in questions:
        choices = [choice.pk for choice in question.choices.all()]
        if question.kind != Question.Kind.TRUE_FALSE:  # "True" stays before "False"
            rng.shuffle(choices)
        choice_order[str(question.pk)] = choices
    return Attempt.objects.create(
        quiz=quiz,
        reader=reader,
        question_order=[question.pk for question in questions],
        choice_order=choice_order,
        question_count=len(questions),
    )


def attempt_start_or_resume(*, quiz: Quiz, reader: Reader, start_over_from: int | None = None) -> Attempt:
    """The reader's open attempt on this quiz (their latest, when it is not finished), or a new one
    when there is none; a new one also when the reader asks to start over from the attempt that is
    still their open one (`start_over_from`).

    Safe to resend: a repeated "start" finds the attempt the first one made, and a repeated "start
    over" names an attempt that is no longer the open one, so it finds the new one too. The caller
    holds the reader's row lock (readers.reader_for_write), so concurrent requests take turns."""
    latest = Attempt.objects.filter(reader=reader, quiz=quiz).order_by("-started_at", "-pk").first()
    if latest is not None and not latest.is_finished and latest.pk != start_over_from:
        return latest
    return attempt_start(quiz=quiz, reader=reader)


def answer_is_correct(*, question: Question, chosen: set[int]) -> bool:
    """Right only when the chosen set equals the set of right choices exactly."""
    right = {choice.pk for choice in question.choices.all() if choice.is_correct}
    return chosen == right


def quiz_answer_submit(*, attempt: Attempt, question_key: str, choice_keys: list[str]) -> Answer:
    """Store the reader's answer, computed on the server, and finish the attempt on the last one.

    Refuses (AnswerRefused, nothing stored) a question outside the attempt, a choice outside the
    question, several choices for a one-answer question, no choice, a finished attempt, and a
    different second answer. Sending the very same answer again returns the stored one.
    """
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().select_related("quiz").get(pk=attempt.pk)
        question = (
            Question.objects.filter(pk__in=attempt.question_order, key=question_key)
            .only("pk", "key", "kind")
            .prefetch_related(
                Prefetch("choices", queryset=Choice.objects.only("pk", "question_id", "key", "is_correct"))
            )
            .first()
        )
        if question is None:
            raise AnswerRefused(_("That question is not part of this attempt."))
        choices_by_key = {choice.key: choice for choice in question.choices.all()}
        if not choice_keys:
            raise AnswerRefused(_("Choose an answer first."))
        if len(set(choice_keys)) != len(choice_keys) or any(key not in choices_by_key for key in choice_keys):
            raise AnswerRefused(_("That answer is not one of this question's choices."))
        if not question.allows_many and len(choice_keys) > 1:
            raise AnswerRefused(_("This question takes exactly one answer."))
        chosen = {choices_by_key[key].pk for key in choice_keys}

        existing = Answer.objects.filter(attempt=attempt, question=question).first()
        if existing is not None:
            if set(existing.selected.values_list("pk", flat=True)) == chosen:
                return existing  # the same answer sent twice (double click, two tabs)
            raise AnswerRefused(_("You have already answered this question in this attempt."))
        if attempt.is_finished:
            raise AnswerRefused(_("This attempt is finished. Start a new one to try again."))

        try:
            with transaction.atomic():
                answer = Answer.objects.create(
                    attempt=attempt,
                    question=question,
                    is_correct=answer_is_correct(question=question, chosen=chosen),
                )
        except IntegrityError as error:
            raise AnswerRefused(_("You have already answered this question in this attempt.")) from error
        answer.selected.set(chosen)
        attempt_finish_if_complete(attempt=attempt)
        Reader(pk=attempt.reader_id).progress_changed()
        return answer


def attempt_finish_if_complete(*, attempt: Attempt) -> Attempt:
    """Finish the attempt once every one of its questions still in the quiz has an answer: a question
    removed from the content mid-attempt neither blocks the end nor counts in the score."""
    if attempt.is_finished:
        return attempt
    questions = Question.objects.filter(pk__in=attempt.question_order)
    if questions.exclude(answers__attempt=attempt).exists():
        return attempt
    total = questions.count()
    correct = Answer.objects.filter(attempt=attempt, question__in=questions, is_correct=True).count()
    attempt.question_count = total
    attempt.correct_count = correct
    attempt.score_percent = round(100 * correct / total) if total else 0
    attempt.passed = attempt.score_percent >= attempt.quiz.pass_mark
    attempt.finished_at = timezone.now()
    attempt.save(update_fields=["question_count", "correct_count", "score_percent", "passed", "finished_at"])
    return attempt
