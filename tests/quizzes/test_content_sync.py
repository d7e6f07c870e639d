"""apps/quizzes/content.py on temporary copies of the fixture quizzes (tests/content/quizzes/).

Each validation rule has a test that fails when the rule goes; the sync runs inside the test's
transaction, so nothing here outlives the test.
"""

import json
import shutil
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from apps.core.content import ContentError
from apps.quizzes.content import quizzes_content_sync
from apps.quizzes.models import Answer, Attempt, Choice, Question, Quiz
from apps.quizzes.services import attempt_start, quiz_answer_submit
from tests.helpers import FIXTURE_CONTENT_DIRS, answer_all, quiz_for, reader_of, toml_edit

pytestmark = pytest.mark.django_db

FIXTURE_QUIZZES = FIXTURE_CONTENT_DIRS["quizzes_dir"]


@pytest.fixture
def tree(tmp_path) -> Path:
    for path in FIXTURE_QUIZZES.glob("*.toml"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def change(tree: Path, edit: Callable[[dict], object], name: str = "01-alpha.toml") -> Path:
    return toml_edit(tree / name, edit)


def q(data: dict, key: str) -> dict:
    return next(question for question in data["questions"] if question["id"] == key)


def choice(data: dict, question_key: str, choice_key: str) -> dict:
    return next(c for c in q(data, question_key)["choices"] if c["id"] == choice_key)


def refused(tree: Path, message: str) -> None:
    before = list(Question.objects.order_by("pk").values_list("pk", "position", "prompt_en"))
    with pytest.raises(ContentError, match=message):
        quizzes_content_sync(source_dir=tree)
    assert list(Question.objects.order_by("pk").values_list("pk", "position", "prompt_en")) == before


# Loading


def test_the_rewritten_fixture_files_are_what_is_loaded(tree):
    """The TOML writer these tests use round-trips: a rewritten file changes nothing."""
    change(tree, lambda data: None)
    report = quizzes_content_sync(source_dir=tree)
    assert (report.created, report.updated, report.stale) == (0, 0, [])


def test_a_second_sync_changes_nothing():
    report = quizzes_content_sync(source_dir=FIXTURE_QUIZZES)
    assert (report.created, report.updated, report.stale) == (0, 0, [])
    rows = Quiz.objects.count() + Question.objects.count() + Choice.objects.count()
    assert (
        report.unchanged == rows == 2 + 16 + sum(len(q(data, k)["choices"]) for data, k in _all_questions())
    )


def _all_questions():
    for path in sorted(FIXTURE_QUIZZES.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for question in data["questions"]:
            yield data, question["id"]


def test_the_stored_rows_follow_the_files(tree):
    quiz = quiz_for()
    assert quiz.pass_mark == 70
    questions = list(quiz.questions.prefetch_related("choices").select_related("lesson"))
    assert [x.key for x in questions] == [f"q{n:02d}" for n in range(1, 9)]
    assert [x.position for x in questions] == list(range(1, 9))
    q01 = questions[0]
    assert q01.kind == "single" and q01.lesson.slug == "first-steps"
    assert q01.prompt_en == "alpha question 1?" and q01.prompt_ar == "سؤال 1 من alpha؟"
    assert [(c.key, c.position, c.is_correct) for c in q01.choices.all()] == [
        ("a", 1, False),
        ("b", 2, True),
        ("c", 3, False),
    ]
    b = q01.choices.get(key="b")
    assert (b.text_en, b.explanation_ar) == ("alpha q1 choice b", "لماذا الخيار b صحيح في السؤال 1.")


@pytest.mark.parametrize(
    "edit,model",
    [
        (lambda data: q(data, "q03").update(prompt={"en": "Changed?", "ar": "سؤال 3 من alpha؟"}), Question),
        (lambda data: choice(data, "q02", "c").update(explanation={"en": "New.", "ar": "جديد."}), Choice),
        (lambda data: choice(data, "q02", "c").update(text={"en": "alpha q2 choice c", "ar": "نص"}), Choice),
        (lambda data: q(data, "q04").update(lesson="third-way"), Question),
        (lambda data: q(data, "q02")["choices"][3].update(correct=True), Choice),
        (lambda data: data.update(pass_mark=80), Quiz),
    ],
)
def test_one_changed_value_updates_exactly_one_row(tree, edit, model):
    change(tree, edit)
    report = quizzes_content_sync(source_dir=tree)
    assert (report.created, report.updated, report.stale) == (0, 1, [])
    assert quizzes_content_sync(source_dir=tree).updated == 0


def test_changed_values_are_stored(tree):
    def edit(data):
        data["pass_mark"] = 80
        q(data, "q03")["prompt"]["en"] = "  Is this changed?  "
        q(data, "q04")["lesson"] = "third-way"
        choice(data, "q02", "d")["correct"] = True

    change(tree, edit)
    quizzes_content_sync(source_dir=tree)
    quiz = quiz_for()
    assert quiz.pass_mark == 80
    assert quiz.questions.get(key="q03").prompt_en == "Is this changed?"
    assert quiz.questions.get(key="q04").lesson.slug == "third-way"
    assert Choice.objects.get(question__quiz=quiz, question__key="q02", key="d").is_correct


def test_a_missing_pass_mark_means_seventy(tree):
    Quiz.objects.filter(pk=quiz_for().pk).update(pass_mark=50)
    change(tree, lambda data: data.pop("pass_mark"))
    assert quizzes_content_sync(source_dir=tree).updated == 1
    assert quiz_for().pass_mark == 70


def test_reordered_questions_update_their_positions(tree):
    change(tree, lambda data: data["questions"].insert(0, data["questions"].pop(2)))
    report = quizzes_content_sync(source_dir=tree)
    assert report.updated == 3 and report.created == 0
    assert list(quiz_for().questions.values_list("key", flat=True)[:3]) == ["q03", "q01", "q02"]


def test_a_new_question_is_created_with_its_choices(tree):
    def edit(data):
        new = json.loads(json.dumps(q(data, "q01")))
        new["id"] = "q09"
        data["questions"].append(new)

    change(tree, edit)
    report = quizzes_content_sync(source_dir=tree)
    assert (report.created, report.updated) == (4, 0)
    q09 = quiz_for().questions.get(key="q09")
    assert q09.position == 9 and q09.choices.count() == 3


# Stale rows


def _stale_tree(tree: Path) -> None:
    def edit(data):
        q(data, "q02")["choices"].pop()  # choice d
        replacement = json.loads(json.dumps(q(data, "q01")))
        replacement["id"] = "q09"
        data["questions"][-1] = replacement  # q08 goes

    change(tree, edit)


def test_stale_questions_and_choices_are_reported_and_kept_without_prune(tree):
    _stale_tree(tree)
    report = quizzes_content_sync(source_dir=tree)
    assert sorted(report.stale) == ["alpha/q02/d", "alpha/q08"]
    assert Question.objects.filter(quiz=quiz_for(), key="q08").exists()
    assert Choice.objects.filter(question__quiz=quiz_for(), question__key="q02", key="d").exists()
    assert sorted(quizzes_content_sync(source_dir=tree).stale) == ["alpha/q02/d", "alpha/q08"]


def test_prune_deletes_stale_rows_and_their_answers_but_keeps_attempts(tree, student):
    attempt = attempt_start(quiz=quiz_for(), reader=reader_of(student))
    quiz_answer_submit(attempt=attempt, question_key="q08", choice_keys=["a", "b"])
    quiz_answer_submit(attempt=attempt, question_key="q02", choice_keys=["a", "b", "d"])
    quiz_answer_submit(attempt=attempt, question_key="q01", choice_keys=["b"])
    _stale_tree(tree)
    report = quizzes_content_sync(source_dir=tree, prune=True)
    assert sorted(report.stale) == ["alpha/q02/d", "alpha/q08"]
    assert not Question.objects.filter(quiz=quiz_for(), key="q08").exists()
    assert not Choice.objects.filter(question__quiz=quiz_for(), question__key="q02", key="d").exists()
    assert Choice.objects.filter(question__quiz=quiz_for(), question__key="q02").count() == 3
    assert Attempt.objects.filter(pk=attempt.pk).exists()
    assert sorted(Answer.objects.filter(attempt=attempt).values_list("question__key", flat=True)) == [
        "q01",
        "q02",
    ]
    assert quizzes_content_sync(source_dir=tree).stale == []


def test_a_removed_quiz_file_leaves_a_stale_quiz_pruned_only_with_prune(tree):
    (tree / "02-beta.toml").unlink()
    report = quizzes_content_sync(source_dir=tree)
    assert report.stale == ["Quiz: beta"]
    assert quiz_for("beta").questions.count() == 8
    assert quizzes_content_sync(source_dir=tree, prune=True).stale == ["Quiz: beta"]
    assert not Quiz.objects.filter(module__slug="beta").exists()
    assert not Question.objects.filter(quiz__module__slug="beta").exists()
    assert quiz_for("alpha").questions.count() == 8


def test_a_resync_keeps_attempts_and_answers(student):
    attempt = attempt_start(quiz=quiz_for(), reader=reader_of(student))
    answer_all(attempt, right=5)
    quizzes_content_sync(source_dir=FIXTURE_QUIZZES, prune=True)
    attempt.refresh_from_db()
    assert attempt.score_percent == 62 and Answer.objects.filter(attempt=attempt).count() == 8


# Rules


def test_module_must_match_the_file_name(tree):
    change(tree, lambda data: data.update(module="beta"))
    refused(tree, r"01-alpha.toml: 'module' must be \"alpha\", as in the file name")


def test_module_must_exist(tree):
    shutil.copy(tree / "01-alpha.toml", tree / "03-gamma.toml")
    change(tree, lambda data: data.update(module="gamma"), name="03-gamma.toml")
    refused(tree, r"03-gamma.toml: no module 'gamma' \(load lessons first\)")


@pytest.mark.parametrize("pass_mark", [0, 101, -5, "70", 70.5])
def test_pass_mark_must_be_a_whole_percentage(tree, pass_mark):
    change(tree, lambda data: data.update(pass_mark=pass_mark))
    refused(tree, "'pass_mark' must be a whole percentage from 1 to 100")


@pytest.mark.parametrize("pass_mark", [1, 100])
def test_pass_mark_bounds_are_accepted(tree, pass_mark):
    change(tree, lambda data: data.update(pass_mark=pass_mark))
    quizzes_content_sync(source_dir=tree)
    assert quiz_for().pass_mark == pass_mark


@pytest.mark.parametrize(
    "edit",
    [
        lambda data: data["questions"].pop(),
        lambda data: data.pop("questions"),
        lambda data: data.update(questions="q"),
    ],
)
def test_a_quiz_needs_at_least_eight_questions(tree, edit):
    change(tree, edit)
    refused(tree, "01-alpha.toml: a quiz needs at least 8 questions")


@pytest.mark.parametrize(
    "edit",
    [
        lambda data: q(data, "q02").update(id="q01"),
        lambda data: q(data, "q02").update(id=""),
        lambda data: q(data, "q02").update(id=2),
    ],
)
def test_every_question_needs_a_unique_id(tree, edit):
    change(tree, edit)
    refused(tree, "needs a unique 'id'")


def test_a_question_without_an_id_is_named_by_its_number(tree):
    change(tree, lambda data: q(data, "q02").pop("id"))
    refused(tree, "01-alpha.toml: question 2: needs a unique 'id'")


@pytest.mark.parametrize("kind", ["essay", "Single", ""])
def test_kind_must_be_known(tree, kind):
    change(tree, lambda data: q(data, "q04").update(kind=kind))
    refused(tree, r"01-alpha.toml: question q04: 'kind' must be one of single, multiple, truefalse")


@pytest.mark.parametrize("lesson", ["settings", "no-such-lesson", None])
def test_lesson_must_be_a_lesson_of_this_module(tree, lesson):
    change(
        tree, lambda data: q(data, "q01").update(lesson=lesson) if lesson else q(data, "q01").pop("lesson")
    )
    refused(tree, "question q01: 'lesson' must name a lesson of this module")


@pytest.mark.parametrize(
    "edit",
    [
        lambda data: q(data, "q02").update(choices=[choice(data, "q02", "a")]),
        lambda data: q(data, "q02").pop("choices"),
        lambda data: q(data, "q02").update(choices="a"),
    ],
)
def test_a_question_needs_two_choices(tree, edit):
    change(tree, edit)
    refused(tree, "question q02: needs at least two choices")


def test_two_choices_are_enough(tree):
    change(tree, lambda data: q(data, "q01")["choices"].pop())
    quizzes_content_sync(source_dir=tree)
    assert quiz_for().questions.get(key="q01").choices.count() == 3  # c is stale, not pruned


@pytest.mark.parametrize(
    "edit",
    [
        lambda data: choice(data, "q02", "c").update(id="a"),
        lambda data: choice(data, "q02", "c").pop("id"),
        lambda data: choice(data, "q02", "c").update(id=""),
    ],
)
def test_every_choice_needs_a_unique_id(tree, edit):
    change(tree, edit)
    refused(tree, "question q02: every choice needs a unique 'id'")


@pytest.mark.parametrize("correct", ["yes", 1, None])
def test_correct_must_be_true_or_false(tree, correct):
    change(
        tree,
        lambda data: (
            choice(data, "q02", "c").update(correct=correct)
            if correct
            else choice(data, "q02", "c").pop("correct")
        ),
    )
    refused(tree, "question q02, choice c: 'correct' must be true or false")


@pytest.mark.parametrize(
    "edit,message",
    [
        (lambda data: q(data, "q05")["prompt"].pop("ar"), "question q05: 'prompt.ar' is missing or empty"),
        (
            lambda data: q(data, "q05")["prompt"].update(en="   "),
            "question q05: 'prompt.en' is missing or empty",
        ),
        (lambda data: q(data, "q05").pop("prompt"), "question q05: 'prompt' needs an 'en' and an 'ar' text"),
        (lambda data: choice(data, "q05", "b")["text"].pop("en"), "choice b: 'text.en' is missing or empty"),
        (
            lambda data: choice(data, "q05", "b")["explanation"].update(ar=""),
            "choice b: 'explanation.ar' is missing",
        ),
    ],
)
def test_every_text_is_needed_in_both_languages(tree, edit, message):
    change(tree, edit)
    refused(tree, message)


@pytest.mark.parametrize("right", [[], ["a", "b"]])
def test_a_single_choice_question_has_exactly_one_right_choice(tree, right):
    change(tree, lambda data: [c.update(correct=c["id"] in right) for c in q(data, "q04")["choices"]])
    refused(tree, "question q04: a single-choice question needs exactly one right choice")


def test_a_multiple_choice_question_has_a_right_choice(tree):
    change(tree, lambda data: [c.update(correct=False) for c in q(data, "q05")["choices"]])
    refused(tree, "question q05: a multiple-choice question needs at least one right choice")


def test_a_multiple_choice_question_may_have_one_right_choice(tree):
    change(tree, lambda data: choice(data, "q05", "b").update(correct=False))
    assert quizzes_content_sync(source_dir=tree).updated == 1


@pytest.mark.parametrize(
    "edit",
    [
        lambda data: [c.update(correct=True) for c in q(data, "q06")["choices"]],
        lambda data: [c.update(correct=False) for c in q(data, "q06")["choices"]],
        lambda data: choice(data, "q06", "true").update(id="yes"),
        lambda data: q(data, "q06")["choices"].append(
            {**choice(data, "q06", "true"), "id": "maybe", "correct": False}
        ),
    ],
)
def test_a_true_false_question_has_true_and_false_one_right(tree, edit):
    change(tree, edit)
    refused(tree, "question q06: a true/false question has choices 'true' and 'false', one right")


def test_nothing_is_stored_when_a_later_file_is_broken(tree):
    change(tree, lambda data: q(data, "q01")["prompt"].update(en="Changed?"))
    change(tree, lambda data: data.update(pass_mark=0), name="02-beta.toml")
    refused(tree, "02-beta.toml")
    assert quiz_for().questions.get(key="q01").prompt_en == "alpha question 1?"


def test_files_need_ordered_names_and_valid_toml(tree):
    (tree / "alpha.toml").write_text("", encoding="utf-8")
    refused(tree, "alpha.toml: name must look like '01-some-slug.toml'")
    (tree / "alpha.toml").unlink()
    (tree / "02-beta.toml").write_text('module = "beta"\npass_mark = ', encoding="utf-8")
    refused(tree, "02-beta.toml: not valid TOML")
