import datetime
import re
import secrets
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.login_throttle import login_lock_clear
from apps.accounts.models import User
from apps.accounts.selectors import username_looks_taken
from apps.checklist.models import ChecklistGroup
from apps.lessons.models import Lesson, Module

from .models import (
    JOIN_CODE_ALPHABET,
    JOIN_CODE_LENGTH,
    Assignment,
    ClassEvent,
    Classroom,
    JoinFailure,
    Membership,
    SharePreference,
)

# Wrong codes are counted per account only, so throwaway accounts on a school's shared address cannot
# lock its students out; accounts per address are limited where they are made (accounts.SIGN_UPS).
JOIN_FAILURES_PER_USER = 10
JOIN_FAILURE_WINDOW = datetime.timedelta(minutes=15)


class JoinRefused(Exception):
    """A join that cannot happen; the message is shown as it is."""


class JoinThrottled(JoinRefused):
    pass


def join_code_normalise(raw: str) -> str:
    """What people type ('abcd-2345 ', 'abcd 2345') to the stored form ('ABCD2345')."""
    return "".join(ch for ch in raw.upper() if ch.isalnum())[:32]


def _new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def _save_with_fresh_code(classroom: Classroom) -> Classroom:
    for _attempt in range(10):
        classroom.join_code = _new_join_code()
        try:
            with transaction.atomic():
                classroom.save()
            return classroom
        except IntegrityError:
            continue
    raise RuntimeError("could not find a free join code")


def classroom_create(*, teacher: User, name: str, language: str = settings.LANGUAGE_CODE) -> Classroom:
    return _save_with_fresh_code(Classroom(teacher=teacher, name=name.strip(), language=language))


def classroom_code_regenerate(*, classroom: Classroom) -> Classroom:
    """A new join code; the old one stops working at once."""
    return _save_with_fresh_code(classroom)


def _throttle_check(*, student: User) -> None:
    since = timezone.now() - JOIN_FAILURE_WINDOW
    if JoinFailure.objects.filter(created_at__gte=since, key=f"user:{student.pk}").count() >= (
        JOIN_FAILURES_PER_USER
    ):
        raise JoinThrottled(
            _("Too many wrong codes. Wait 15 minutes, then check the code with your teacher.")
        )


def classroom_join(*, student: User, code: str) -> tuple[Membership, bool]:
    """Join the class with this code. Returns (membership, created); joining twice is harmless."""
    if not student.is_student:
        raise JoinRefused(_("Only student accounts can join a class."))
    # Expired failures go at the first join attempt after their window.
    JoinFailure.objects.filter(created_at__lt=timezone.now() - JOIN_FAILURE_WINDOW).delete()
    _throttle_check(student=student)
    classroom = Classroom.objects.filter(join_code=join_code_normalise(code)).first()
    if classroom is None:
        JoinFailure.objects.create(key=f"user:{student.pk}")
        raise JoinRefused(
            _("No class has this code. Check it with your teacher: codes have 8 letters and digits.")
        )
    # The choice made before leaving holds again; get_or_create reads the row again when a concurrent
    # join won the insert.
    earlier = SharePreference.objects.filter(classroom=classroom, student=student).values_list(
        "share_checklist", flat=True
    )
    share = next(iter(earlier), False)
    return Membership.objects.get_or_create(
        classroom=classroom, student=student, defaults={"share_checklist": share}
    )


def classroom_leave(*, membership: Membership) -> None:
    """Leave the class; the sharing choice is kept for a later rejoin."""
    with transaction.atomic():
        SharePreference.objects.update_or_create(
            classroom_id=membership.classroom_id,
            student_id=membership.student_id,
            defaults={"share_checklist": membership.share_checklist},
        )
        membership.delete()


def membership_remove(*, classroom: Classroom, student_id: int) -> bool:
    # student__pk, not student_id: only a primary-key lookup turns an id too large for the column
    # (a tampered URL) into "no rows" instead of a database error.
    deleted, _rows = Membership.objects.filter(classroom=classroom, student__pk=student_id).delete()
    return bool(deleted)


def membership_share_set(*, membership: Membership, share: bool) -> None:
    Membership.objects.filter(pk=membership.pk).update(share_checklist=share)


def assignment_set(
    *,
    classroom: Classroom,
    kind: str = Assignment.Kind.MODULE,
    module: Module | None = None,
    lesson: Lesson | None = None,
    checklist_group: ChecklistGroup | None = None,
    lab: str = "",
    due_date: datetime.date | None,
    comment: str = "",
) -> Assignment:
    """Assign a module, a lesson, the checklist or one platform of it, or change the due date and note
    of what is already assigned: each at most once per class (the constraints hold it under races)."""
    if kind == Assignment.Kind.LESSON and module is None:
        module = lesson.module
    assignment, _created = Assignment.objects.update_or_create(
        classroom=classroom,
        kind=kind,
        module=module,
        lesson=lesson,
        checklist_group=checklist_group,
        lab=lab,
        defaults={"due_date": due_date, "comment": comment.strip()},
    )
    _changed(classroom)
    return assignment


def assignment_remove(*, classroom: Classroom, assignment_id: int) -> bool:
    deleted, _rows = Assignment.objects.filter(classroom=classroom, pk=assignment_id).delete()
    if deleted:
        _changed(classroom)
    return bool(deleted)


class ClassroomChangeRefused(Exception):
    """A change the class cannot take; the message is shown as it is."""


def _changed(classroom: Classroom) -> None:
    """Call with every change the class page shows that is not in the class's own row, its members
    or their progress (classrooms.selectors.classroom_page_version reads those itself)."""
    Classroom.objects.filter(pk=classroom.pk).update(version=F("version") + 1)


def _log(*, classroom: Classroom, actor: User, kind: str, subject: str = "") -> None:
    ClassEvent.objects.create(classroom=classroom, actor=actor, kind=kind, subject=subject[:150])
    _changed(classroom)


def classroom_rename(*, classroom: Classroom, actor: User, name: str) -> bool:
    """Give the class a new name; True when it changed (the same name again changes nothing)."""
    name = name.strip()
    changed = Classroom.objects.filter(pk=classroom.pk).exclude(name=name).update(name=name)
    if changed:
        classroom.name = name
        _log(classroom=classroom, actor=actor, kind=ClassEvent.Kind.RENAMED, subject=name)
    return bool(changed)


def classroom_archive(*, classroom: Classroom, actor: User) -> bool:
    """Make the class read-only and hide it from its students; True when it was not archived yet."""
    now = timezone.now()
    changed = Classroom.objects.filter(pk=classroom.pk, archived_at__isnull=True).update(archived_at=now)
    if changed:
        classroom.archived_at = now
        _log(classroom=classroom, actor=actor, kind=ClassEvent.Kind.ARCHIVED)
    return bool(changed)


def classroom_restore(*, classroom: Classroom, actor: User) -> bool:
    changed = Classroom.objects.filter(pk=classroom.pk, archived_at__isnull=False).update(archived_at=None)
    if changed:
        classroom.archived_at = None
        _log(classroom=classroom, actor=actor, kind=ClassEvent.Kind.RESTORED)
    return bool(changed)


def classroom_delete(*, classroom: Classroom, confirm_name: str) -> None:
    """Delete the class with its memberships, assignments and log; the students' own progress stays
    with them. The name must be typed exactly, so a class is never deleted by a slip."""
    if confirm_name.strip() != classroom.name:
        raise ClassroomChangeRefused(_("Type the class name exactly as it is shown to delete it."))
    Classroom.objects.filter(pk=classroom.pk).delete()


def co_teacher_add(*, classroom: Classroom, actor: User, username: str) -> User:
    """Give another teacher the same rights on this class. Adding someone twice changes nothing."""
    teacher = User.objects.filter(username__iexact=username.strip(), role=User.Role.TEACHER).first()
    if teacher is None:
        raise ClassroomChangeRefused(_("No teacher account has this username."))
    if teacher.pk == classroom.teacher_id:
        raise ClassroomChangeRefused(_("This teacher already owns the class."))
    if not classroom.co_teachers.filter(pk=teacher.pk).exists():
        try:
            with transaction.atomic():
                classroom.co_teachers.add(teacher)
        except IntegrityError:  # the same teacher added at the same moment by another request
            return teacher
        _log(
            classroom=classroom, actor=actor, kind=ClassEvent.Kind.CO_TEACHER_ADDED, subject=teacher.username
        )
    return teacher


def co_teacher_remove(*, classroom: Classroom, actor: User, teacher_id: int) -> bool:
    teacher = classroom.co_teachers.filter(pk=teacher_id).only("username").first()
    if teacher is None:
        return False
    classroom.co_teachers.remove(teacher)
    _log(classroom=classroom, actor=actor, kind=ClassEvent.Kind.CO_TEACHER_REMOVED, subject=teacher.username)
    return True


# Temporary passwords are read off a card by a child: no 0/o, 1/l/i, and in groups of four.
TEMPORARY_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
MAX_NEW_ACCOUNTS = 40


def temporary_password() -> str:
    """Twelve characters in three groups ("k7dm-3qxa-9tpe"): about 59 bits, easy to copy."""
    groups = ("".join(secrets.choice(TEMPORARY_PASSWORD_ALPHABET) for _ in range(4)) for _ in range(3))
    return "-".join(groups)


def _give_temporary_password(student: User) -> str:
    password = temporary_password()
    student.set_password(password)
    student.must_change_password = True
    student.save(update_fields=["password", "must_change_password"])
    return password


@transaction.atomic
def student_password_reset(*, classroom: Classroom, actor: User, student_id: int) -> tuple[User, str]:
    """A one-time password for a student of this class, who must choose a new one at the next log-in.
    Never for a teacher or an administrator, nor for anyone outside the class; their sessions end."""
    student = (
        User.objects.filter(
            pk__in=Membership.objects.filter(classroom=classroom, student__pk=student_id).values(
                "student_id"
            ),
            role=User.Role.STUDENT,
            is_staff=False,
            is_superuser=False,
        )
        .select_for_update()
        .first()
    )
    if student is None:
        raise ClassroomChangeRefused(_("Only a student of this class can get a new password here."))
    password = _give_temporary_password(student)
    login_lock_clear(username=student.username)
    _log(classroom=classroom, actor=actor, kind=ClassEvent.Kind.PASSWORD_RESET, subject=student.username)
    return student, password


def _username_base(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_name)
    return words[0][:10] if words else "student"


def _new_student(*, name: str) -> tuple[User, str]:
    password = temporary_password()
    for _attempt in range(20):
        username = f"{_username_base(name)}{secrets.randbelow(9000) + 1000}"
        if username_looks_taken(username=username):
            continue
        try:
            with transaction.atomic():
                student = User(
                    username=username, display_name=name, role=User.Role.STUDENT, must_change_password=True
                )
                student.set_password(password)
                student.save()
            return student, password
        except IntegrityError:  # taken (or confusable with one taken) a moment ago
            continue
    raise RuntimeError("could not find a free username")


@dataclass(frozen=True)
class NewAccount:
    student: User
    password: str


def students_create(*, classroom: Classroom, actor: User, names: list[str]) -> list[NewAccount]:
    """Accounts for a list of students, each with a temporary password, already in the class."""
    if not names or len(names) > MAX_NEW_ACCOUNTS:
        raise ClassroomChangeRefused(
            _("Paste between 1 and %(most)s names, one per line.") % {"most": MAX_NEW_ACCOUNTS}
        )
    accounts = []
    with transaction.atomic():
        for name in names:
            student, password = _new_student(name=name)
            Membership.objects.create(classroom=classroom, student=student)
            accounts.append(NewAccount(student, password))
        _log(
            classroom=classroom, actor=actor, kind=ClassEvent.Kind.ACCOUNTS_CREATED,
            subject=", ".join(account.student.username for account in accounts),
        )  # fmt: skip
    return accounts
