import datetime
import random
from pathlib import Path

from django.contrib.sessions.backends.base import SessionBase
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core.content import ContentError, SyncReport, bilingual_texts, ordered_entries, read_toml
from apps.core.i18n import LANGUAGE_CODES
from apps.lessons.models import Lesson, Module

from .models import Answer, Attempt, Choice, Question, Quiz

CONTENT_DIR = Path(__file__).resolve().parent / "content"
SESSION_KEY = "quiz_attempts"
MIN_QUESTIONS = 8


def quiz_file_validate(*, path: Path, data: dict, lessons: dict[str, Lesson]) -> list[dict]:
    """Check a parsed quiz file against the rules in docs/content-format.md; return its questions."""
    questions = data.get("questions")
    if not isinstance(questions, list) or len(questions) < MIN_QUESTIONS:
        raise ContentError(f"{path}: a quiz needs at least {MIN_QUESTIONS} questions")
    seen_questions = set()
    parsed = []
    for number, question in enumerate(questions, start=1):
        key = question.get("id")
        where = f"{path}: question {key or number}"
        if not isinstance(key, str) or not key or key in seen_questions:
            raise ContentError(f"{where}: needs a unique 'id'")
        seen_questions.add(key)
        kind = question.get("kind")
        if kind not in Question.Kind.values:
            raise ContentError(f"{where}: 'kind' must be one of {', '.join(Question.Kind.values)}")
        lesson_slug = question.get("lesson")
        if lesson_slug not in lessons:
            raise ContentError(f"{where}: 'lesson' must name a lesson of this module")
        choices = question.get("choices")
        if not isinstance(choices, list) or len(choices) < 2:
            raise ContentError(f"{where}: needs at least two choices")
        seen_choices, parsed_choices = set(), []
        for choice in choices:
            choice_key = choice.get("id")
            if not isinstance(choice_key, str) or not choice_key or choice_key in seen_choices:
                raise ContentError(f"{where}: every choice needs a unique 'id'")
            seen_choices.add(choice_key)
            if not isinstance(choice.get("correct"), bool):
                raise ContentError(f"{where}, choice {choice_key}: 'correct' must be true or false")
            parsed_choices.append(
                {
                    "key": choice_key,
                    "is_correct": choice["correct"],
                    **bilingual_texts(f"{where}, choice {choice_key}", choice, "text"),
                    **bilingual_texts(f"{where}, choice {choice_key}", choice, "explanation"),
                }
            )
        right = sum(choice["is_correct"] for choice in parsed_choices)
        if kind == Question.Kind.SINGLE and right != 1:
            raise ContentError(f"{where}: a single-choice question needs exactly one right choice")
        if kind == Question.Kind.MULTIPLE and right < 1:
            raise ContentError(f"{where}: a multiple-choice question needs at least one right choice")
        if kind == Question.Kind.TRUE_FALSE and (seen_choices != {"true", "false"} or right != 1):
            raise ContentError(f"{where}: a true/false question has choices 'true' and 'false', one right")
        parsed.append(
            {
                "key": key,
                "kind": kind,
                "lesson": lessons[lesson_slug],
                "choices": parsed_choices,
                **bilingual_texts(where, question, "prompt"),
            }
        )
    return parsed


@transaction.atomic
def quizzes_content_sync(*, source_dir: Path = CONTENT_DIR, prune: bool = False) -> SyncReport:
    """Create or update quizzes from `source_dir`, validating every file first; idempotent.

    Attempts and answers are never touched; questions or choices no longer in the files are
    reported, and deleted (with the answers that point at them) only when `prune` is true.
    """
    report = SyncReport()
    seen_questions, seen_choices = set(), set()
    for _position, slug, path in ordered_entries(source_dir, dirs=False, suffix=".toml"):
        data = read_toml(path)
        if data.get("module") != slug:
            raise ContentError(f"{path}: 'module' must be \"{slug}\", as in the file name")
        module = Module.objects.filter(slug=slug).first()
        if module is None:
            raise ContentError(f"{path}: no module '{slug}' (load lessons first)")
        pass_mark = data.get("pass_mark", 70)
        if not isinstance(pass_mark, int) or not 1 <= pass_mark <= 100:
            raise ContentError(f"{path}: 'pass_mark' must be a whole percentage from 1 to 100")
        lessons = {lesson.slug: lesson for lesson in module.lessons.all()}
        questions = quiz_file_validate(path=path, data=data, lessons=lessons)

        quiz, created = Quiz.objects.update_or_create(module=module, defaults={"pass_mark": pass_mark})
        report.count(created)
        for position, item in enumerate(questions, start=1):
            question, _ = Question.objects.update_or_create(
                quiz=quiz,
                key=item["key"],
                defaults={
                    "position": position,
                    "kind": item["kind"],
                    "lesson": item["lesson"],
                    **{f"prompt_{lang}": item[f"prompt_{lang}"] for lang in LANGUAGE_CODES},
                },
            )
            seen_questions.add(question.pk)
            for choice_position, choice_item in enumerate(item["choices"], start=1):
                fields = {k: v for k, v in choice_item.items() if k != "key"}
                choice, _ = Choice.objects.update_or_create(
                    question=question,
                    key=choice_item["key"],
                    defaults={"position": choice_position, **fields},
                )
                seen_choices.add(choice.pk)
    stale_questions = Question.objects.exclude(pk__in=seen_questions).select_related("quiz__module")
    report.stale_rows(
        Choice.objects.exclude(pk__in=seen_choices)
        .exclude(question__in=stale_questions)
        .select_related("question__quiz__module"),
        stale_questions,
        prune=prune,
    )
    return report


class AnswerRefused(Exception):
    """An answer that cannot be accepted; the message is shown to the reader as it is."""


def attempt_start(*, quiz: Quiz, user: User | None, session: SessionBase | None = None) -> Attempt:
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
    attempt = Attempt.objects.create(
        quiz=quiz,
        user=user,
        question_order=[question.pk for question in questions],
        choice_order=choice_order,
        question_count=len(questions),
    )
    if user is None and session is not None:
        session[SESSION_KEY] = [*session.get(SESSION_KEY, []), attempt.pk][-50:]
    return attempt


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
            .prefetch_related("choices")
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

        answered = Answer.objects.filter(attempt=attempt).count()
        if answered >= attempt.question_count:
            _attempt_finish(attempt=attempt)
        return answer


def _attempt_finish(*, attempt: Attempt) -> None:
    correct = Answer.objects.filter(attempt=attempt, is_correct=True).count()
    attempt.correct_count = correct
    attempt.score_percent = round(100 * correct / attempt.question_count)
    attempt.passed = attempt.score_percent >= attempt.quiz.pass_mark
    attempt.finished_at = timezone.now()
    attempt.save(update_fields=["correct_count", "score_percent", "passed", "finished_at"])


def quiz_attempts_merge_from_session(*, session: SessionBase, user: User) -> None:
    """Give the anonymous attempts of this browser to the account that just logged in."""
    attempt_ids = [i for i in session.pop(SESSION_KEY, []) if isinstance(i, int)]
    if attempt_ids:
        Attempt.objects.filter(pk__in=attempt_ids, user__isnull=True).update(user=user)


def quiz_attempts_export(*, user: User) -> dict:
    attempts = (
        Attempt.objects.filter(user=user)
        .select_related("quiz__module")
        .prefetch_related("answers__question", "answers__selected")
        .order_by("started_at")
    )
    return {
        "quiz_attempts": [
            {
                "module": attempt.quiz.module.slug,
                "started_at": attempt.started_at.isoformat(),
                "finished_at": attempt.finished_at.isoformat() if attempt.finished_at else None,
                "score_percent": attempt.score_percent,
                "passed": attempt.passed,
                "answers": [
                    {
                        "question": answer.question.key,
                        "choices": sorted(choice.key for choice in answer.selected.all()),
                        "correct": answer.is_correct,
                        "answered_at": answer.answered_at.isoformat(),
                    }
                    for answer in attempt.answers.all()
                ],
            }
            for attempt in attempts
        ]
    }


def anonymous_attempts_prune(*, older_than: datetime.timedelta) -> int:
    """Delete attempts nobody claimed (no account) that started before `older_than` ago.

    Their sessions have expired by then (SESSION_COOKIE_AGE), so no browser can reach them.
    """
    cutoff = timezone.now() - older_than
    deleted, _rows = Attempt.objects.filter(user__isnull=True, started_at__lt=cutoff).delete()
    return deleted
