"""Account services: merging an anonymous reader into an account, signing up, deleting, pruning."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.forms import SignUpForm
from apps.accounts.models import MergeRule, Reader, User
from apps.accounts.services import (
    reader_merge,
    readers_prune,
    user_delete,
    user_display_name_set,
    user_password_changed,
    user_sign_up,
)
from apps.checklist.models import ChecklistGroup, ChecklistItem, ChecklistTick, PathReport, UsedPlatform
from apps.lessons.models import Lesson, LessonRead
from apps.quizzes.models import Answer, Attempt
from apps.quizzes.services import attempt_start
from tests.factories import StudentFactory
from tests.helpers import answer_all, quiz_for, reader_of

pytestmark = pytest.mark.django_db

EARLIER = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)
LATER = EARLIER + datetime.timedelta(days=2)


def _lesson(slug: str = "first-steps") -> Lesson:
    return Lesson.objects.get(slug=slug)


def _item(key: str = "strong-password") -> ChecklistItem:
    return ChecklistItem.objects.get(key=key)


# One adapter per kind of row a reader owns: `add` stores the row for one item at a time `when`
# with a `label` to recognise it by, `rows` lists (item, label) of a reader's rows of that kind.
@dataclass(frozen=True)
class Kind:
    name: str
    add: Callable[[Reader, datetime.datetime, str], None]
    rows: Callable[[Reader], list[tuple]]


def _add_read(reader, when, label):
    read = LessonRead.objects.create(reader=reader, lesson=_lesson())
    LessonRead.objects.filter(pk=read.pk).update(read_at=when)


def _add_tick(reader, when, label):
    ChecklistTick.objects.create(reader=reader, item=_item(), done_at=when)


def _add_platform(reader, when, label):
    UsedPlatform.objects.create(reader=reader, group=ChecklistGroup.objects.get(slug="photobook"))


def _add_report(reader, when, label):
    PathReport.objects.create(reader=reader, item=_item(), note=label)


def _add_attempt(reader, when, label):
    attempt = attempt_start(quiz=quiz_for(), reader=reader)
    answer_all(attempt, right=3)
    Attempt.objects.filter(pk=attempt.pk).update(started_at=when)


KINDS = [
    Kind(
        "read marks",
        _add_read,
        lambda r: list(LessonRead.objects.filter(reader=r).values_list("lesson__slug", "read_at")),
    ),
    Kind(
        "checklist ticks",
        _add_tick,
        lambda r: list(ChecklistTick.objects.filter(reader=r).values_list("item__key", "done_at")),
    ),
    Kind(
        "chosen platforms",
        _add_platform,
        lambda r: list(UsedPlatform.objects.filter(reader=r).values_list("group__slug")),
    ),
    Kind(
        "path reports",
        _add_report,
        lambda r: list(PathReport.objects.filter(reader=r).values_list("item__key", "note")),
    ),
    Kind(
        "quiz attempts",
        _add_attempt,
        lambda r: sorted(
            (a.started_at, a.answers.count(), a.correct_count)
            for a in Attempt.objects.filter(reader=r).prefetch_related("answers")
        ),
    ),
]


@pytest.fixture
def anonymous():
    return Reader.objects.create()


@pytest.fixture
def account(student):
    return reader_of(student)


def _merged(anonymous: Reader, account: Reader) -> None:
    reader_merge(source=anonymous, target=account)
    _assert_emptied_tombstone(anonymous, account)
    assert Reader.objects.filter(pk=account.pk, user__isnull=False).exists()


def _assert_emptied_tombstone(anonymous: Reader, account: Reader) -> None:
    """After a merge the anonymous reader owns nothing and points to the account (prune_readers
    deletes it a day later)."""
    assert Reader.objects.get(pk=anonymous.pk).merged_into_id == account.pk
    for field in _fields_pointing_to_reader():
        assert not field.model._default_manager.filter(**{field.name: anonymous}).exists(), field


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_rows_only_the_anonymous_reader_has_move_to_the_account(kind, anonymous, account):
    kind.add(anonymous, EARLIER, "anonymous")
    expected = kind.rows(anonymous)
    assert len(expected) == 1
    _merged(anonymous, account)
    assert kind.rows(account) == expected


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_rows_only_the_account_has_stay(kind, anonymous, account):
    kind.add(account, EARLIER, "account")
    expected = kind.rows(account)
    _merged(anonymous, account)
    assert kind.rows(account) == expected


@pytest.mark.parametrize(
    "kind,keeps",
    [
        (KINDS[0], "account"),  # read marks: one mark is enough, the account's first read stays
        (KINDS[2], "account"),
        (KINDS[3], "account"),  # a report already sent from the account is not overwritten
        (KINDS[4], "both"),  # attempts: both histories are kept
    ],
    ids=lambda value: getattr(value, "name", value),
)
def test_the_same_item_on_both_sides_gives_one_row_or_keeps_both_histories(kind, keeps, anonymous, account):
    kind.add(anonymous, LATER, "anonymous")
    kind.add(account, EARLIER, "account")
    anonymous_rows, account_rows = kind.rows(anonymous), kind.rows(account)
    _merged(anonymous, account)
    if keeps == "both":
        assert kind.rows(account) == sorted(account_rows + anonymous_rows)
    else:
        assert kind.rows(account) == account_rows


@pytest.mark.parametrize(
    "anonymous_at,account_at,kept",
    [(LATER, EARLIER, LATER), (EARLIER, LATER, LATER), (EARLIER, EARLIER, EARLIER)],
    ids=["anonymous-later-wins", "account-later-wins", "same-time"],
)
def test_conflicting_ticks_the_later_one_wins(anonymous, account, anonymous_at, account_at, kept):
    _add_tick(anonymous, anonymous_at, "")
    _add_tick(account, account_at, "")
    _merged(anonymous, account)
    assert list(ChecklistTick.objects.filter(reader=account).values_list("item__key", "done_at")) == [
        ("strong-password", kept)
    ]
    assert ChecklistTick.objects.count() == 1


def _progress(reader: Reader) -> dict:
    return {kind.name: sorted(kind.rows(reader), key=str) for kind in KINDS}


def test_a_whole_merge_loses_nothing_duplicates_nothing_and_touches_no_one_else(
    anonymous, account, other_student
):
    lessons = list(Lesson.objects.filter(module__slug="alpha").order_by("position"))
    items = list(ChecklistItem.objects.order_by("group__position", "position"))
    groups = list(ChecklistGroup.objects.order_by("position"))
    bystander = reader_of(other_student)
    # The anonymous reader and the account overlap on some rows; a bystander has the same ones.
    for reader, lesson_slice, item_slice, group_slice in [
        (anonymous, lessons[:2], items[:3], groups[:2]),
        (account, lessons[1:], items[2:], groups[1:]),
        (bystander, lessons, items, groups),
    ]:
        for lesson in lesson_slice:
            LessonRead.objects.create(reader=reader, lesson=lesson)
        for item in item_slice:
            ChecklistTick.objects.create(reader=reader, item=item, done_at=EARLIER)
            PathReport.objects.create(reader=reader, item=item, note=f"{reader.pk}")
        for group in group_slice:
            UsedPlatform.objects.create(reader=reader, group=group)
        answer_all(attempt_start(quiz=quiz_for(), reader=reader), right=2)
    bystander_before = _progress(bystander)
    answers_before = Answer.objects.count()
    anonymous_note = str(anonymous.pk)

    _merged(anonymous, account)

    assert set(LessonRead.objects.filter(reader=account).values_list("lesson__slug", flat=True)) == {
        lesson.slug for lesson in lessons
    }
    assert LessonRead.objects.filter(reader=account).count() == len(lessons)
    assert set(ChecklistTick.objects.filter(reader=account).values_list("item_id", flat=True)) == {
        item.pk for item in items
    }
    assert ChecklistTick.objects.filter(reader=account).count() == len(items)
    assert set(UsedPlatform.objects.filter(reader=account).values_list("group_id", flat=True)) == {
        group.pk for group in groups
    }
    assert UsedPlatform.objects.filter(reader=account).count() == len(groups)
    notes = dict(PathReport.objects.filter(reader=account).values_list("item__key", "note"))
    assert notes == {
        items[0].key: anonymous_note,
        items[1].key: anonymous_note,
        **{item.key: str(account.pk) for item in items[2:]},
    }
    assert Attempt.objects.filter(reader=account).count() == 2
    assert Answer.objects.count() == answers_before  # the moved attempt keeps its answers
    assert _progress(bystander) == bystander_before
    assert (
        not Reader.objects.filter(user__isnull=True, merged_into__isnull=True)
        .exclude(pk=bystander.pk)
        .exists()
    )


def test_merging_a_reader_into_itself_changes_nothing(account):
    LessonRead.objects.create(reader=account, lesson=_lesson())
    reader_merge(source=account, target=account)
    assert Reader.objects.filter(pk=account.pk).exists()
    assert LessonRead.objects.filter(reader=account).count() == 1


def test_merge_query_count_does_not_grow_with_the_rows(django_assert_num_queries, student, other_student):
    def filled(size: int) -> Reader:
        reader = Reader.objects.create()
        for lesson in Lesson.objects.all()[:size]:
            LessonRead.objects.create(reader=reader, lesson=lesson)
        for item in ChecklistItem.objects.all()[:size]:
            ChecklistTick.objects.create(reader=reader, item=item, done_at=LATER)
            PathReport.objects.create(reader=reader, item=item)
        for group in ChecklistGroup.objects.all()[:size]:
            UsedPlatform.objects.create(reader=reader, group=group)
        for _ in range(size):
            attempt_start(quiz=quiz_for(), reader=reader)
        return reader

    small_source, small_target = filled(1), reader_of(student)
    with CaptureQueriesContext(connection) as small:
        reader_merge(source=small_source, target=small_target)
    large_source, large_target = filled(5), reader_of(other_student)
    for lesson in Lesson.objects.all()[:3]:
        LessonRead.objects.create(reader=large_target, lesson=lesson)
    with django_assert_num_queries(len(small.captured_queries)):
        reader_merge(source=large_source, target=large_target)
    assert LessonRead.objects.filter(reader=large_target).count() == 5


def test_a_model_without_a_merge_rule_stops_the_merge_and_changes_nothing(monkeypatch, anonymous, account):
    LessonRead.objects.create(reader=anonymous, lesson=_lesson())
    ChecklistTick.objects.create(reader=anonymous, item=_item(), done_at=EARLIER)
    PathReport.objects.create(reader=anonymous, item=_item())
    for model in (LessonRead, PathReport):
        monkeypatch.delattr(model, "reader_merge")
        with pytest.raises(
            TypeError, match=f"{model.__name__} points to Reader but declares no reader_merge"
        ):
            reader_merge(source=anonymous, target=account)
        monkeypatch.undo()
        assert Reader.objects.filter(pk=anonymous.pk).exists()
        assert LessonRead.objects.filter(reader=anonymous).count() == 1
        assert ChecklistTick.objects.filter(reader=anonymous).count() == 1
        assert not LessonRead.objects.filter(reader=account).exists()


def _fields_pointing_to_reader():
    return [
        field
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.is_relation and field.concrete and field.related_model is Reader and model is not Reader
    ]


def test_every_model_that_points_to_reader_declares_how_it_merges():
    fields = _fields_pointing_to_reader()
    assert {field.model for field in fields} >= {LessonRead, ChecklistTick, UsedPlatform, PathReport, Attempt}
    for field in fields:
        model = field.model
        assert field.many_to_one, f"{model.__name__}.{field.name}: merging handles foreign keys only"
        rule = getattr(model, "reader_merge", None)
        assert isinstance(rule, MergeRule), f"{model.__name__} needs a reader_merge MergeRule"
        assert rule.kind in {"move", "union", "later_wins"}
        if rule.kind == "move":
            continue
        # The key names a real field, and one row per reader and key is what the database allows.
        model._meta.get_field(rule.key)
        unique = {tuple(c.fields) for c in model._meta.constraints if hasattr(c, "fields")}
        assert (field.name, rule.key) in unique, (
            f"{model.__name__}: ({field.name}, {rule.key}) must be unique"
        )
        if rule.kind == "later_wins":
            assert model._meta.get_field(rule.time).get_internal_type() == "DateTimeField"


def test_merge_rules_of_each_model():
    assert LessonRead.reader_merge == MergeRule.union("lesson")
    assert ChecklistTick.reader_merge == MergeRule.later_wins("item", "done_at")
    assert UsedPlatform.reader_merge == MergeRule.union("group")
    assert PathReport.reader_merge == MergeRule.union("item")
    assert Attempt.reader_merge == MergeRule.move()


# Deleting an account


def test_deleting_an_account_deletes_its_reader_and_every_row_and_nothing_else(student, other_student):
    for user in (student, other_student):
        reader = reader_of(user)
        LessonRead.objects.create(reader=reader, lesson=_lesson())
        ChecklistTick.objects.create(reader=reader, item=_item(), done_at=EARLIER)
        UsedPlatform.objects.create(reader=reader, group=ChecklistGroup.objects.get(slug="photobook"))
        PathReport.objects.create(reader=reader, item=_item())
        answer_all(attempt_start(quiz=quiz_for(), reader=reader), right=1)
    kept = reader_of(other_student)
    kept_progress = _progress(kept)

    user_delete(user=student)

    assert list(Reader.objects.all()) == [kept]
    for model in (LessonRead, ChecklistTick, UsedPlatform, PathReport, Attempt):
        assert set(model.objects.values_list("reader_id", flat=True)) == {kept.pk}
    assert set(Answer.objects.values_list("attempt__reader_id", flat=True)) == {kept.pk}
    assert _progress(kept) == kept_progress


# Pruning unclaimed anonymous readers

IDLE_FOR = datetime.timedelta(days=31)


def _reader_with_rows(*, user=None) -> Reader:
    reader = Reader.objects.create(user=user)
    LessonRead.objects.create(reader=reader, lesson=_lesson())
    ChecklistTick.objects.create(reader=reader, item=_item(), done_at=timezone.now())
    UsedPlatform.objects.create(reader=reader, group=ChecklistGroup.objects.get(slug="photobook"))
    PathReport.objects.create(reader=reader, item=_item())
    answer_all(attempt_start(quiz=quiz_for(), reader=reader), right=1)
    return reader


def test_prune_deletes_idle_anonymous_readers_with_their_rows_and_keeps_the_rest():
    start = datetime.datetime(2026, 1, 10, 12, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        idle = _reader_with_rows()
        idle_account = _reader_with_rows(user=StudentFactory())
    with time_machine.travel(start + IDLE_FOR, tick=False):
        at_the_limit = _reader_with_rows()
    with time_machine.travel(start + IDLE_FOR + datetime.timedelta(days=1), tick=False):
        recent = _reader_with_rows()
        deleted = readers_prune(idle_for=IDLE_FOR)

    assert deleted == 1
    assert set(Reader.objects.values_list("pk", flat=True)) == {idle_account.pk, at_the_limit.pk, recent.pk}
    for model in (LessonRead, ChecklistTick, UsedPlatform, PathReport, Attempt):
        assert not model.objects.filter(reader_id=idle.pk).exists(), model
        assert model.objects.filter(reader=idle_account).exists(), model
    assert not Answer.objects.filter(attempt__reader_id=idle.pk).exists()


def test_prune_uses_the_last_activity_not_the_creation_date():
    start = datetime.datetime(2026, 1, 10, 12, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        active = Reader.objects.create()
        idle = Reader.objects.create()
    Reader.objects.filter(pk=active.pk).update(last_active_at=start + IDLE_FOR)
    with time_machine.travel(start + IDLE_FOR + datetime.timedelta(hours=1), tick=False):
        assert readers_prune(idle_for=IDLE_FOR) == 1
    assert list(Reader.objects.all()) == [active]
    assert not Reader.objects.filter(pk=idle.pk).exists()


def test_prune_with_nothing_to_prune_returns_zero():
    Reader.objects.create()
    assert readers_prune(idle_for=IDLE_FOR) == 0
    assert Reader.objects.count() == 1


def test_a_row_that_lands_on_a_tombstone_reaches_the_account_when_the_tombstone_is_pruned(account):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        anonymous = Reader.objects.create()
        reader_merge(source=anonymous, target=account)
        late = LessonRead.objects.create(reader=anonymous, lesson=_lesson())  # a write in flight
    with time_machine.travel(start + datetime.timedelta(hours=23), tick=False):
        assert readers_prune(idle_for=IDLE_FOR) == 0  # within the grace day: kept
    assert Reader.objects.get(pk=anonymous.pk).merged_into_id == account.pk
    with time_machine.travel(start + datetime.timedelta(hours=25), tick=False):
        assert readers_prune(idle_for=IDLE_FOR) == 1
    assert not Reader.objects.filter(pk=anonymous.pk).exists()
    assert LessonRead.objects.get(pk=late.pk).reader_id == account.pk
    assert Reader.objects.filter(pk=account.pk).exists()


def test_merging_a_tombstone_again_keeps_its_merge_time(account):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        anonymous = Reader.objects.create()
        reader_merge(source=anonymous, target=account)
    with time_machine.travel(start + datetime.timedelta(hours=5), tick=False):
        reader_merge(source=anonymous, target=account)
    assert Reader.objects.get(pk=anonymous.pk).last_active_at == start


def test_sign_up_refuses_a_look_alike_that_arrived_after_the_form_check():
    form = SignUpForm(
        data={
            "username": "lina",
            "role": "student",
            "password1": "a-strong-pass-42",
            "password2": "a-strong-pass-42",
        }
    )
    assert form.is_valid(), form.errors
    StudentFactory(username="LINA")  # another sign-up, between the check and the insert
    with pytest.raises(ValidationError) as error:
        user_sign_up(form=form, address="192.0.2.1")
    assert error.value.code == "username_confusable"
    assert User.objects.filter(username_skeleton="lina").count() == 1


def test_password_changed_clears_the_forced_change_and_nothing_else():
    flagged = StudentFactory(must_change_password=True)
    other = StudentFactory(must_change_password=True)
    user_password_changed(user=flagged)
    assert flagged.must_change_password is False
    flagged.refresh_from_db()
    other.refresh_from_db()
    assert (flagged.must_change_password, other.must_change_password) == (False, True)


def test_display_name_set_saves_only_the_display_name():
    user = StudentFactory(username="sara")
    User.objects.filter(pk=user.pk).update(email="sara@example.org")
    user_display_name_set(user=user, display_name="Sara K.")
    user.refresh_from_db()
    assert (user.display_name, user.email) == ("Sara K.", "sara@example.org")
