from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.http import Http404

from apps.accounts.models import Reader
from apps.core.i18n import current_language
from apps.core.page_cache import content_memo
from apps.lessons.models import Lesson

from .models import Answer, Attempt, Choice, Question, Quiz


def quiz_get_for_module(*, module_slug: str) -> Quiz:
    """The module's quiz with its module, kept per content version: callers must not change it."""

    def load() -> Quiz:
        quiz = Quiz.objects.select_related("module").filter(module__slug=module_slug).first()
        if quiz is None:
            raise Http404("No quiz for this module")
        return quiz

    # A slug that names no quiz raises and is not kept, so only real quizzes become keys.
    return content_memo(("quiz", module_slug), load)


def _reader_attempts(reader: Reader | None) -> QuerySet[Attempt]:
    return Attempt.objects.filter(reader=reader) if reader is not None else Attempt.objects.none()


def attempt_get_for_reader(*, reader: Reader | None, quiz: Quiz, attempt_id: int) -> Attempt:
    """The reader's own attempt on this quiz, or 404 (someone else's attempt is not found)."""
    attempt = _reader_attempts(reader).filter(pk=attempt_id, quiz=quiz).first()
    if attempt is None:
        raise Http404("No such attempt")
    attempt.quiz = quiz  # with its module, from the content memo: not read again
    return attempt


def attempt_current_for_reader(*, reader: Reader | None, quiz: Quiz) -> Attempt | None:
    """The reader's open attempt: their latest on this quiz, when it is not finished (one left
    unfinished for a newer one is history, not something to continue)."""
    latest = _reader_attempts(reader).filter(quiz=quiz).order_by("-started_at", "-pk").first()
    return latest if latest is not None and not latest.is_finished else None


@dataclass
class QuizSummary:
    attempts: int
    finished: int
    best_percent: int | None
    passed: bool
    last_finished: Attempt | None


def quiz_summary_for_reader(*, reader: Reader | None, quiz: Quiz) -> QuizSummary:
    attempts = _reader_attempts(reader).filter(quiz=quiz)
    stats = attempts.aggregate(
        total=Count("pk"),
        finished=Count("pk", filter=Q(finished_at__isnull=False)),
        best=Max("score_percent"),
        passed=Count("pk", filter=Q(passed=True)),
    )
    last = attempts.filter(finished_at__isnull=False).order_by("-finished_at").first()
    return QuizSummary(
        attempts=stats["total"],
        finished=stats["finished"],
        best_percent=stats["best"],
        passed=bool(stats["passed"]),
        last_finished=last,
    )


@dataclass
class QuestionView:
    question: Question
    choices: list[Choice]
    answer: Answer | None
    selected: set[int]
    number: int

    @property
    def right_choices(self) -> list[Choice]:
        return [choice for choice in self.choices if choice.is_correct]


def _quiz_questions(quiz_id: int) -> dict[int, Question]:
    """The quiz's questions by id with their choices, kept per content version and language. Only what
    the quiz pages show: the texts in the reader's language, and of each question's lesson its title
    and address (not its body, which is most of a lesson row). Shared: callers must not change them."""
    language = current_language()

    def load() -> dict[int, Question]:
        choices = Choice.objects.only(
            "pk",
            "question_id",
            "key",
            "position",
            "is_correct",
            f"text_{language}",
            f"explanation_{language}",
        )
        questions = (
            Question.objects.filter(quiz_id=quiz_id)
            .select_related("lesson__module")
            .only(
                "pk",
                "key",
                "kind",
                f"prompt_{language}",
                "lesson__slug",
                f"lesson__title_{language}",
                "lesson__module__slug",
            )
            .prefetch_related(Prefetch("choices", queryset=choices))
        )
        return {question.pk: question for question in questions}

    return content_memo(("quiz_questions", quiz_id, language), load)


def attempt_questions(*, attempt: Attempt) -> list[QuestionView]:
    """The attempt's questions and choices in its own shuffled order, with the reader's answers. The
    questions come from the content memo; the answers are two queries."""
    questions = _quiz_questions(attempt.quiz_id)
    answers = {
        answer.question_id: answer
        for answer in Answer.objects.filter(attempt=attempt).prefetch_related(
            Prefetch("selected", queryset=Choice.objects.only("pk"))
        )
    }
    views = []
    for number, question_id in enumerate(attempt.question_order, start=1):
        question = questions.get(question_id)
        if question is None:  # removed from the content since the attempt started
            continue
        by_pk = {choice.pk: choice for choice in question.choices.all()}
        order = attempt.choice_order.get(str(question_id), list(by_pk))
        choices = [by_pk[pk] for pk in order if pk in by_pk]
        choices += [c for pk, c in by_pk.items() if pk not in order]
        answer = answers.get(question_id)
        selected = {choice.pk for choice in answer.selected.all()} if answer else set()
        views.append(QuestionView(question, choices, answer, selected, number))
    return views


def answer_is_resent(*, attempt: Attempt, question_key: str, choice_keys: list[str]) -> bool:
    """True when exactly this answer is already stored (a double click, a second tab): nothing to write,
    so the caller need not take a write lock."""
    stored = Answer.objects.filter(
        attempt=attempt, question__key=question_key, question_id__in=attempt.question_order
    ).values_list("selected__key", flat=True)
    stored = list(stored)
    return bool(stored) and sorted(stored) == sorted(choice_keys)


def question_to_show(
    *, questions: list[QuestionView], key: str = "", refused: bool = False
) -> QuestionView | None:
    """The question the attempt page shows: the one named by `key` if it was just answered (or
    its answer refused), otherwise the first unanswered one; None when every one is answered."""
    named = next((q for q in questions if q.question.key == key and (q.answer or refused)), None)
    return named or next((q for q in questions if q.answer is None), None)


@dataclass
class AttemptPage:
    """What the attempt page shows: one question, and how far the reader has come."""

    item: QuestionView | None
    total: int
    answered: int

    @property
    def is_last(self) -> bool:
        return self.answered == self.total


def attempt_page(*, attempt: Attempt, key: str = "", refused: bool = False) -> AttemptPage:
    questions = attempt_questions(attempt=attempt)
    return AttemptPage(
        item=question_to_show(questions=questions, key=key, refused=refused),
        total=len(questions),
        answered=sum(1 for q in questions if q.answer),
    )


def lessons_to_reread(*, questions: list[QuestionView]) -> list[Lesson]:
    """The lessons behind the questions answered wrongly, once each, in question order."""
    lessons: list[Lesson] = []
    for item in questions:
        lesson = item.question.lesson
        if item.answer and not item.answer.is_correct and lesson and lesson not in lessons:
            lessons.append(lesson)
    return lessons


@dataclass
class QuizResult:
    best_percent: int | None
    attempts: int
    passed: bool


def quiz_results_by_user(*, user_ids: list[int], module_ids: list[int]) -> dict[tuple[int, int], QuizResult]:
    """(user id, module id) -> best finished score, finished attempts, passed: one query."""
    rows = (
        Attempt.objects.filter(
            reader__user_id__in=user_ids, quiz__module_id__in=module_ids, finished_at__isnull=False
        )
        .values("reader__user_id", "quiz__module_id")
        .annotate(best=Max("score_percent"), attempts=Count("pk"), passes=Count("pk", filter=Q(passed=True)))
    )
    return {
        (row["reader__user_id"], row["quiz__module_id"]): QuizResult(
            row["best"], row["attempts"], row["passes"] > 0
        )
        for row in rows
    }


@dataclass
class QuestionStat:
    question: Question
    answered: int
    right: int
    top_wrong: Choice | None
    top_wrong_count: int

    @property
    def percent_right(self) -> int | None:
        return round(100 * self.right / self.answered) if self.answered else None

    @property
    def right_choices(self) -> list[Choice]:
        return [choice for choice in self.question.choices.all() if choice.is_correct]


def question_stats(
    *, user_ids: list[int], module_ids: list[int], with_explanations: bool = True
) -> dict[int, list[QuestionStat]]:
    """Per module, each quiz question's share of right answers among these users and the wrong
    choice they picked most, most-missed first. Counts every answer in every attempt. 4 queries.

    Without explanations (the class page), only the prompts and choice texts of the current language
    are fetched; with them (the printable summary), the explanations and the lessons too."""
    questions = Question.objects.filter(quiz__module_id__in=module_ids)
    if with_explanations:
        questions = questions.select_related("quiz", "lesson__module").prefetch_related("choices")
    else:
        language = current_language()
        choices = Choice.objects.only("question", "position", "is_correct", f"text_{language}")
        questions = (
            questions.select_related("quiz")
            .only("quiz__module", "key", "position", "kind", f"prompt_{language}")
            .prefetch_related(Prefetch("choices", queryset=choices))
        )
    key = ("question_stats", tuple(sorted(module_ids)), with_explanations, current_language())
    questions = content_memo(key, lambda: list(questions))
    answers = Answer.objects.filter(
        attempt__reader__user_id__in=user_ids, question__quiz__module_id__in=module_ids
    )
    totals = {
        row["question_id"]: row
        for row in answers.values("question_id").annotate(
            answered=Count("pk"), right=Count("pk", filter=Q(is_correct=True))
        )
    }
    wrong_picks: dict[int, tuple[int, int]] = {}
    rows = (
        Answer.selected.through.objects.filter(
            answer__in=answers.filter(is_correct=False), choice__is_correct=False
        )
        .values("answer__question_id", "choice_id")
        .annotate(picks=Count("pk"))
        .order_by("answer__question_id", "-picks", "choice_id")
    )
    for row in rows:
        wrong_picks.setdefault(row["answer__question_id"], (row["choice_id"], row["picks"]))
    stats: dict[int, list[QuestionStat]] = {module_id: [] for module_id in module_ids}
    for question in questions:
        total = totals.get(question.pk, {"answered": 0, "right": 0})
        choice_id, picks = wrong_picks.get(question.pk, (None, 0))
        top_wrong = next((c for c in question.choices.all() if c.pk == choice_id), None)
        stats[question.quiz.module_id].append(
            QuestionStat(question, total["answered"], total["right"], top_wrong, picks)
        )
    for module_stats in stats.values():  # unanswered questions last
        module_stats.sort(key=lambda s: (s.percent_right is None, s.percent_right or 0, s.question.position))
    return stats


def quiz_attempts_export(*, reader: Reader | None) -> dict:
    attempts = (
        _reader_attempts(reader)
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


_ATTEMPT_COLUMNS = (
    "quiz_id",
    "started_at",
    "finished_at",
    "correct_count",
    "question_count",
    "score_percent",
    "passed",
    "quiz__module__slug",
    "quiz__module__position",
)


def attempt_list_for_reader(*, reader: Reader | None) -> list[Attempt]:
    """Every attempt of this reader on any quiz, newest first, with its module's slug and title in the
    current language (for links and headings): one query, whatever the number of attempts."""
    return list(
        _reader_attempts(reader)
        .select_related("quiz__module")
        .only(*_ATTEMPT_COLUMNS, f"quiz__module__title_{current_language()}")
        .order_by("-started_at", "-pk")
    )


def attempt_list_with_answers(*, reader: Reader | None) -> list[Attempt]:
    """Every attempt of this reader, newest first, each with `answers.all()` in the order they were
    given: the question's prompt and the choices picked (current language only), and whether the answer
    was right. Three queries, whatever the number of attempts or answers."""
    language = current_language()
    picked = Choice.objects.only("question_id", "position", "is_correct", f"text_{language}")
    answers = (
        Answer.objects.select_related("question")
        .only("attempt_id", "is_correct", "answered_at", "question__position", f"question__prompt_{language}")
        .prefetch_related(Prefetch("selected", queryset=picked.order_by("position")))
        .order_by("answered_at", "pk")
    )
    return list(
        _reader_attempts(reader)
        .select_related("quiz__module")
        .only(*_ATTEMPT_COLUMNS, "quiz__pass_mark", f"quiz__module__title_{language}")
        .prefetch_related(Prefetch("answers", queryset=answers))
        .order_by("-started_at", "-pk")
    )
