"""apps/quizzes/selectors.py on the fixture quizzes (alpha: q01 single/first-steps, q02
multiple/second-look, q03 truefalse/third-way, repeating up to q08)."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.models import Reader
from apps.core.page_cache import content_version
from apps.lessons.models import Lesson
from apps.quizzes import selectors
from apps.quizzes.models import Attempt, Choice, Question
from apps.quizzes.services import attempt_start, quiz_answer_submit
from tests.factories import StudentFactory
from tests.helpers import answer_all, quiz_for, reader_of

pytestmark = pytest.mark.django_db

RIGHT = {"single": ["b"], "multiple": ["a", "b"]}


def _attempt(reader: Reader | None = None, module_slug: str = "alpha") -> Attempt:
    return attempt_start(quiz=quiz_for(module_slug), reader=reader or Reader.objects.create())


def _ordered(attempt: Attempt, keys: list[str]) -> Attempt:
    """Give the attempt a known question order (it is shuffled at the start)."""
    by_key = dict(attempt.quiz.questions.values_list("key", "pk"))
    attempt.question_order = [by_key[key] for key in keys]
    attempt.save(update_fields=["question_order"])
    return attempt


ALPHA_KEYS = [f"q{n:02d}" for n in range(1, 9)]


def _answer(attempt: Attempt, key: str, *, right: bool) -> None:
    question = Question.objects.prefetch_related("choices").get(quiz=attempt.quiz, key=key)
    choices = [c.key for c in question.choices.all() if c.is_correct == right]
    quiz_answer_submit(attempt=attempt, question_key=key, choice_keys=choices[:1] if not right else choices)


def _finish(attempt: Attempt, *, right: int, finished_at=None) -> Attempt:
    answer_all(attempt, right=right)
    if finished_at is not None:
        Attempt.objects.filter(pk=attempt.pk).update(finished_at=finished_at)
    attempt.refresh_from_db()
    return attempt


# quiz_get_for_module, attempt_get_for_reader, attempt_current_for_reader


def test_quiz_of_a_module_or_404():
    assert selectors.quiz_get_for_module(module_slug="beta") == quiz_for("beta")
    with pytest.raises(Http404):
        selectors.quiz_get_for_module(module_slug="gamma")


def test_the_quiz_and_the_attempt_come_with_their_module(django_assert_num_queries):
    reader = Reader.objects.create()
    attempt = _attempt(reader)
    quiz = quiz_for()
    selectors.quiz_get_for_module(module_slug="alpha")  # read once per content version
    with django_assert_num_queries(0):
        assert selectors.quiz_get_for_module(module_slug="alpha").module.slug == "alpha"
    with django_assert_num_queries(1):
        found = selectors.attempt_get_for_reader(reader=reader, quiz=quiz, attempt_id=attempt.pk)
        assert found.quiz.module.slug == "alpha"


def test_an_attempt_is_found_only_for_its_own_reader_and_quiz():
    reader = Reader.objects.create()
    attempt = _attempt(reader)
    found = selectors.attempt_get_for_reader(reader=reader, quiz=quiz_for(), attempt_id=attempt.pk)
    assert found == attempt and found.quiz.module.slug == "alpha"
    for other_reader, quiz, attempt_id in [
        (None, quiz_for(), attempt.pk),
        (Reader.objects.create(), quiz_for(), attempt.pk),
        (reader_of(StudentFactory()), quiz_for(), attempt.pk),
        (reader, quiz_for("beta"), attempt.pk),
        (reader, quiz_for(), attempt.pk + 1000),
    ]:
        with pytest.raises(Http404):
            selectors.attempt_get_for_reader(reader=other_reader, quiz=quiz, attempt_id=attempt_id)


def test_the_current_attempt_is_the_readers_latest_on_this_quiz_while_unfinished():
    reader = Reader.objects.create()
    assert selectors.attempt_current_for_reader(reader=None, quiz=quiz_for()) is None
    assert selectors.attempt_current_for_reader(reader=reader, quiz=quiz_for()) is None
    older = _attempt(reader)
    newer = _attempt(reader)
    _attempt(reader, module_slug="beta")
    _attempt(Reader.objects.create())
    assert selectors.attempt_current_for_reader(reader=reader, quiz=quiz_for()) == newer
    _finish(newer, right=1)
    # An attempt left unfinished for a newer one is history, not something to continue.
    assert selectors.attempt_current_for_reader(reader=reader, quiz=quiz_for()) is None
    assert not older.is_finished
    latest = _attempt(reader)
    assert selectors.attempt_current_for_reader(reader=reader, quiz=quiz_for()) == latest


def test_the_current_attempt_is_the_latest_started_then_the_latest_created():
    reader = Reader.objects.create()
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        first, second = _attempt(reader), _attempt(reader)
    assert selectors.attempt_current_for_reader(reader=reader, quiz=quiz_for()) == second
    Attempt.objects.filter(pk=second.pk).update(started_at=now - datetime.timedelta(hours=1))
    assert selectors.attempt_current_for_reader(reader=reader, quiz=quiz_for()) == first


# quiz_summary_for_reader


def test_summary_without_a_reader_or_attempts_is_empty():
    for reader in (None, Reader.objects.create()):
        summary = selectors.quiz_summary_for_reader(reader=reader, quiz=quiz_for())
        assert (summary.attempts, summary.finished, summary.best_percent) == (0, 0, None)
        assert summary.passed is False and summary.last_finished is None


def test_summary_counts_the_readers_attempts_on_this_quiz_only():
    reader = Reader.objects.create()
    now = timezone.now()
    best = _finish(_attempt(reader), right=6, finished_at=now - datetime.timedelta(days=2))
    latest = _finish(_attempt(reader), right=2, finished_at=now - datetime.timedelta(days=1))
    _attempt(reader)  # unfinished
    _finish(_attempt(reader, module_slug="beta"), right=8)
    _finish(_attempt(Reader.objects.create()), right=8)
    summary = selectors.quiz_summary_for_reader(reader=reader, quiz=quiz_for())
    assert summary.attempts == 3 and summary.finished == 2
    assert summary.best_percent == best.score_percent == 75
    assert summary.passed is True
    assert summary.last_finished == latest


def test_summary_is_not_passed_when_no_attempt_passed():
    reader = Reader.objects.create()
    _finish(_attempt(reader), right=5)
    _finish(_attempt(reader), right=1)
    _attempt(reader)  # unfinished: passed is None, not False
    summary = selectors.quiz_summary_for_reader(reader=reader, quiz=quiz_for())
    assert summary.passed is False and summary.best_percent == 62


# attempt_questions


def test_attempt_questions_follow_the_attempts_own_order_with_its_answers():
    attempt = _ordered(_attempt(), ["q03", "q01", "q02", "q04", "q05", "q06", "q07", "q08"])
    _answer(attempt, "q01", right=False)
    _answer(attempt, "q02", right=True)
    views = selectors.attempt_questions(attempt=attempt)
    assert [v.question.key for v in views] == ["q03", "q01", "q02", "q04", "q05", "q06", "q07", "q08"]
    assert [v.number for v in views] == list(range(1, 9))
    by_key = {v.question.key: v for v in views}
    assert by_key["q03"].answer is None and by_key["q03"].selected == set()
    assert by_key["q01"].answer.is_correct is False
    assert {c.key for c in by_key["q01"].choices if c.pk in by_key["q01"].selected} == {"a"}
    assert by_key["q02"].answer.is_correct is True
    assert {c.key for c in by_key["q02"].choices if c.pk in by_key["q02"].selected} == {"a", "b"}
    assert [c.key for c in by_key["q02"].right_choices] == [
        c.key for c in by_key["q02"].choices if c.key in {"a", "b"}
    ]
    for view in views:
        assert [c.pk for c in view.choices] == attempt.choice_order[str(view.question.pk)]


def test_attempt_questions_skip_removed_questions_and_show_added_choices_last():
    attempt = _ordered(_attempt(), ALPHA_KEYS)
    quiz = attempt.quiz
    quiz.questions.get(key="q02").delete()
    q01 = quiz.questions.get(key="q01")
    added = Choice.objects.create(
        question=q01, key="z", position=9, is_correct=False, text_en="z", text_ar="z", explanation_en="e",
        explanation_ar="e",
    )  # fmt: skip
    Choice.objects.filter(question=q01, key="a").delete()
    views = selectors.attempt_questions(attempt=attempt)
    assert [v.question.key for v in views] == ["q01", "q03", "q04", "q05", "q06", "q07", "q08"]
    assert [v.number for v in views][:2] == [1, 3]  # numbers are positions in the attempt
    kept = [pk for pk in attempt.choice_order[str(q01.pk)] if Choice.objects.filter(pk=pk).exists()]
    assert [c.pk for c in views[0].choices] == [*kept, added.pk]


def test_attempt_questions_without_a_stored_choice_order_use_the_content_order():
    attempt = _ordered(_attempt(), ALPHA_KEYS)
    attempt.choice_order = {}
    attempt.save(update_fields=["choice_order"])
    views = selectors.attempt_questions(attempt=attempt)
    assert [c.key for c in views[1].choices] == ["a", "b", "c", "d"]


# question_to_show


def _views(answered: dict[str, bool]) -> list[selectors.QuestionView]:
    attempt = _ordered(_attempt(), ALPHA_KEYS)
    for key, right in answered.items():
        _answer(attempt, key, right=right)
    return selectors.attempt_questions(attempt=attempt)


def _shown(views, **kwargs) -> str | None:
    shown = selectors.question_to_show(questions=views, **kwargs)
    return shown.question.key if shown else None


def test_question_to_show_is_the_named_one_when_it_was_just_answered():
    views = _views({"q01": True, "q02": False, "q05": True})
    assert _shown(views, key="q05") == "q05"
    assert _shown(views, key="q02", refused=True) == "q02"


def test_question_to_show_is_the_named_one_when_its_answer_was_refused():
    views = _views({"q01": True})
    assert _shown(views, key="q06", refused=True) == "q06"


def test_question_to_show_is_the_first_unanswered_when_the_named_one_is_unanswered_and_not_refused():
    views = _views({"q01": True, "q02": True, "q04": False})
    assert _shown(views, key="q06") == "q03"
    assert _shown(views, key="q99") == "q03"
    assert _shown(views, key="q99", refused=True) == "q03"
    assert _shown(views) == "q03"


def test_question_to_show_is_none_when_every_question_is_answered():
    views = _views(dict.fromkeys(ALPHA_KEYS, True))
    assert _shown(views) is None
    assert _shown(views, key="q08") == "q08"  # the last answer's feedback


def test_attempt_page_counts_the_answers_and_knows_the_last_one():
    attempt = _ordered(_attempt(), ALPHA_KEYS)
    page = selectors.attempt_page(attempt=attempt)
    assert (page.item.question.key, page.total, page.answered, page.is_last) == ("q01", 8, 0, False)
    for key in ALPHA_KEYS[:7]:
        _answer(attempt, key, right=True)
    page = selectors.attempt_page(attempt=attempt, key="q03")
    assert (page.item.question.key, page.answered, page.is_last) == ("q03", 7, False)
    assert selectors.attempt_page(attempt=attempt, key="q08", refused=True).item.question.key == "q08"
    _answer(attempt, "q08", right=False)
    page = selectors.attempt_page(attempt=attempt, key="q08")
    assert (page.item.question.key, page.answered, page.is_last) == ("q08", 8, True)
    assert selectors.attempt_page(attempt=attempt).item is None


# lessons_to_reread


def test_lessons_to_reread_are_the_wrong_answers_lessons_once_each_in_question_order():
    attempt = _ordered(_attempt(), ["q03", "q01", "q02", "q04", "q05", "q06", "q07", "q08"])
    _answer(attempt, "q03", right=False)  # third-way
    _answer(attempt, "q01", right=False)  # first-steps
    _answer(attempt, "q02", right=True)  # second-look, right: ignored
    _answer(attempt, "q04", right=False)  # first-steps again
    _answer(attempt, "q06", right=True)  # third-way, right
    # q05 (second-look) stays unanswered: ignored
    lessons = selectors.lessons_to_reread(questions=selectors.attempt_questions(attempt=attempt))
    assert [lesson.slug for lesson in lessons] == ["third-way", "first-steps"]


def test_lessons_to_reread_skip_questions_without_a_lesson():
    attempt = _ordered(_attempt(), ["q02", "q01", "q03", "q04", "q05", "q06", "q07", "q08"])
    Question.objects.filter(quiz=attempt.quiz, key="q02").update(lesson=None)
    _answer(attempt, "q02", right=False)
    _answer(attempt, "q01", right=False)
    lessons = selectors.lessons_to_reread(questions=selectors.attempt_questions(attempt=attempt))
    assert lessons == [Lesson.objects.get(module__slug="alpha", slug="first-steps")]


def test_no_lessons_to_reread_when_every_answer_is_right():
    views = _views(dict.fromkeys(ALPHA_KEYS, True))
    assert selectors.lessons_to_reread(questions=views) == []


# quiz_results_by_user


def test_quiz_results_by_user_keep_the_best_finished_attempt_per_account_and_module():
    sara, omar, nobody = StudentFactory(), StudentFactory(), StudentFactory()
    alpha, beta = quiz_for("alpha"), quiz_for("beta")
    _finish(_attempt(reader_of(sara)), right=3)
    _finish(_attempt(reader_of(sara)), right=6)
    _attempt(reader_of(sara))  # unfinished: not counted
    _finish(_attempt(reader_of(sara), module_slug="beta"), right=2)
    _finish(_attempt(reader_of(omar)), right=5)
    _finish(_attempt(), right=8)  # anonymous: no account
    results = selectors.quiz_results_by_user(
        user_ids=[sara.pk, omar.pk, nobody.pk], module_ids=[alpha.module_id, beta.module_id]
    )
    assert set(results) == {(sara.pk, alpha.module_id), (sara.pk, beta.module_id), (omar.pk, alpha.module_id)}
    assert results[(sara.pk, alpha.module_id)] == selectors.QuizResult(75, 2, True)
    assert results[(sara.pk, beta.module_id)] == selectors.QuizResult(25, 1, False)
    assert results[(omar.pk, alpha.module_id)] == selectors.QuizResult(62, 1, False)
    assert selectors.quiz_results_by_user(user_ids=[omar.pk], module_ids=[beta.module_id]) == {}


# question_stats


def _attempts_picking(picks: dict) -> None:
    """One attempt at alpha per account, with these choices picked for these questions."""
    for student, answers in picks.items():
        attempt = _attempt(reader_of(student))
        for key, choices in answers.items():
            quiz_answer_submit(attempt=attempt, question_key=key, choice_keys=choices)


def test_question_stats_count_answers_of_these_accounts_most_missed_first():
    alpha = quiz_for("alpha")
    sara, omar, lina, outsider = (StudentFactory() for _ in range(4))
    picks = {  # q01 (single, b right), q02 (multiple, a+b right)
        sara: {"q01": ["a"], "q02": ["a", "b"]},
        omar: {"q01": ["c"], "q02": ["c"]},
        lina: {"q01": ["c"], "q02": ["a", "b"]},
        outsider: {"q01": ["a"], "q02": ["d"]},
    }
    _attempts_picking(picks)
    user_ids = [sara.pk, omar.pk, lina.pk]
    content_version()  # read at most once a second, not per call
    with CaptureQueriesContext(connection) as queries:
        stats = selectors.question_stats(user_ids=user_ids, module_ids=[alpha.module_id])[alpha.module_id]
    assert len(queries) == 4
    assert [s.question.key for s in stats][:2] == ["q01", "q02"]
    q01, q02 = stats[0], stats[1]
    assert (q01.answered, q01.right, q01.percent_right) == (3, 0, 0)
    assert q01.top_wrong.key == "c" and q01.top_wrong_count == 2
    assert [c.key for c in q01.right_choices] == ["b"]
    assert (q02.answered, q02.right, q02.percent_right) == (3, 2, 67)
    assert q02.top_wrong.key == "c" and q02.top_wrong_count == 1
    assert all(s.answered == s.right == s.top_wrong_count == 0 for s in stats[2:])
    assert all(s.percent_right is None and s.top_wrong is None for s in stats[2:])
    assert [s.question.position for s in stats[2:]] == sorted(s.question.position for s in stats[2:])


def test_question_stats_sort_by_share_right_then_position_and_count_only_wrong_choices():
    alpha = quiz_for("alpha")
    sara, omar, lina = StudentFactory(), StudentFactory(), StudentFactory()
    picks = {  # q01 (b right) all right; q02 (a+b right) wrong with a right choice among the picks
        sara: {"q01": ["b"], "q02": ["a", "c"]},
        omar: {"q01": ["b"], "q02": ["a", "c"]},
        lina: {"q01": ["b"], "q02": ["d"]},
    }
    _attempts_picking(picks)
    stats = selectors.question_stats(user_ids=[sara.pk, omar.pk, lina.pk], module_ids=[alpha.module_id])
    ordered = stats[alpha.module_id]
    assert [s.question.key for s in ordered][:2] == ["q02", "q01"]
    assert ordered[0].percent_right == 0 and ordered[1].percent_right == 100
    assert ordered[0].top_wrong.key == "c" and ordered[0].top_wrong_count == 2
    assert ordered[1].top_wrong is None
    with CaptureQueriesContext(connection) as queries:
        assert {s.question.lesson.module.slug for s in ordered} == {"alpha"}
        assert {s.question.quiz.module_id for s in ordered} == {alpha.module_id}
    assert len(queries) == 0


def test_question_stats_break_a_tie_between_wrong_choices_by_the_first_choice():
    alpha = quiz_for("alpha")
    sara, omar = StudentFactory(), StudentFactory()
    for student, choice in [(sara, "c"), (omar, "a")]:
        quiz_answer_submit(attempt=_attempt(reader_of(student)), question_key="q01", choice_keys=[choice])
    stats = selectors.question_stats(user_ids=[sara.pk, omar.pk], module_ids=[alpha.module_id])
    q01 = next(s for s in stats[alpha.module_id] if s.question.key == "q01")
    assert q01.top_wrong.key == "a" and q01.top_wrong_count == 1


def test_question_stats_of_a_module_without_answers_list_every_question_in_order():
    beta = quiz_for("beta")
    stats = selectors.question_stats(user_ids=[], module_ids=[beta.module_id])
    assert [s.question.key for s in stats[beta.module_id]] == ALPHA_KEYS


# quiz_attempts_export


def test_export_without_a_reader_is_an_empty_list():
    assert selectors.quiz_attempts_export(reader=None) == {"quiz_attempts": []}
    assert selectors.quiz_attempts_export(reader=Reader.objects.create()) == {"quiz_attempts": []}


def test_export_lists_the_readers_attempts_oldest_first_with_their_answers():
    reader = Reader.objects.create()
    first = _attempt(reader, module_slug="beta")
    quiz_answer_submit(attempt=first, question_key="q02", choice_keys=["b", "a"])
    second = _finish(_attempt(reader), right=8)
    _finish(_attempt(Reader.objects.create()), right=1)
    exported = selectors.quiz_attempts_export(reader=reader)["quiz_attempts"]
    assert [a["module"] for a in exported] == ["beta", "alpha"]
    assert exported[0] == {
        "module": "beta",
        "started_at": first.started_at.isoformat(),
        "finished_at": None,
        "score_percent": None,
        "passed": None,
        "answers": [
            {
                "question": "q02",
                "choices": ["a", "b"],
                "correct": True,
                "answered_at": first.answers.get().answered_at.isoformat(),
            }
        ],
    }
    assert exported[1]["finished_at"] == second.finished_at.isoformat()
    assert exported[1]["score_percent"] == 100 and exported[1]["passed"] is True
    assert len(exported[1]["answers"]) == 8


def test_export_takes_as_many_queries_for_many_attempts():
    reader = Reader.objects.create()
    _finish(_attempt(reader), right=3)
    with CaptureQueriesContext(connection) as few:
        selectors.quiz_attempts_export(reader=reader)
    for module_slug in ("alpha", "beta", "beta"):
        _finish(_attempt(reader, module_slug=module_slug), right=5)
    with CaptureQueriesContext(connection) as many:
        assert len(selectors.quiz_attempts_export(reader=reader)["quiz_attempts"]) == 4
    assert len(many) == len(few)
