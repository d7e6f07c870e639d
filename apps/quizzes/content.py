"""Quizzes from the content files: validate every file, then store (load_content calls this)."""

from pathlib import Path

from django.db import transaction

from apps.core.content import ContentError, SyncReport, bilingual_texts, ordered_entries, read_toml
from apps.core.i18n import LANGUAGE_CODES
from apps.lessons.models import Lesson, Module

from .models import Choice, Question, Quiz

CONTENT_DIR = Path(__file__).resolve().parent / "content"
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
    seen_quizzes, seen_questions, seen_choices = set(), set(), set()
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

        quiz = report.upsert(Quiz, {"module": module}, {"pass_mark": pass_mark})
        seen_quizzes.add(quiz.pk)
        for position, item in enumerate(questions, start=1):
            fields = {
                "position": position,
                "kind": item["kind"],
                "lesson": item["lesson"],
                **{f"prompt_{lang}": item[f"prompt_{lang}"] for lang in LANGUAGE_CODES},
            }
            question = report.upsert(Question, {"quiz": quiz, "key": item["key"]}, fields)
            seen_questions.add(question.pk)
            for choice_position, choice_item in enumerate(item["choices"], start=1):
                fields = {"position": choice_position, **{k: v for k, v in choice_item.items() if k != "key"}}
                choice = report.upsert(Choice, {"question": question, "key": choice_item["key"]}, fields)
                seen_choices.add(choice.pk)
    stale_quizzes = Quiz.objects.exclude(pk__in=seen_quizzes).select_related("module")
    stale_questions = (
        Question.objects.exclude(pk__in=seen_questions)
        .exclude(quiz__in=stale_quizzes)
        .select_related("quiz__module")
    )
    report.stale_rows(
        Choice.objects.exclude(pk__in=seen_choices)
        .exclude(question__in=Question.objects.exclude(pk__in=seen_questions))
        .select_related("question__quiz__module"),
        stale_questions,
        stale_quizzes,
        prune=prune,
    )
    return report
