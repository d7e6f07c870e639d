from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.lessons.models import Module

# No look-alikes: no 0/O, no 1/I/L.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 8


class Status(models.TextChoices):
    """Where a student stands on one assignment, as the grid, the dashboard and the CSV say it."""

    NOT_STARTED = "not-started", _("Not started")
    IN_PROGRESS = "in-progress", _("In progress")
    DONE = "done", _("Done")
    OVERDUE = "overdue", _("Overdue")


class Classroom(models.Model):
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="classrooms_taught"
    )
    name = models.CharField(_("class name"), max_length=100)
    join_code = models.CharField(max_length=JOIN_CODE_LENGTH, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Teachers with the same rights as the owner, added by username.
    co_teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="classrooms_co_taught", blank=True
    )
    # An archived class is read-only and hidden from its students' dashboards until restored.
    archived_at = models.DateTimeField(null=True, blank=True)
    # The language of the class's printed login cards and CSV: the one the teacher created it in.
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("class")
        verbose_name_plural = _("classes")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("classrooms:class_detail", kwargs={"classroom_id": self.pk})

    def get_join_url(self) -> str:
        return reverse("classrooms:join_link", kwargs={"code": self.join_code})

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Membership(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="memberships")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    joined_at = models.DateTimeField(auto_now_add=True)
    # The student's choice: the teacher sees checklist counts (never which settings) only if true.
    share_checklist = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["classroom", "student"], name="membership_once_per_class"),
        ]

    def __str__(self) -> str:
        return f"{self.student} in {self.classroom}"


class SharePreference(models.Model):
    """A student's sharing choice for a class they left, so it holds again if they rejoin."""

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    share_checklist = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["classroom", "student"], name="share_preference_once_per_class"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.student} {'shares' if self.share_checklist else 'does not share'} with {self.classroom}"
        )


class Assignment(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="assignments")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="+")
    due_date = models.DateField(_("due date"), null=True, blank=True)
    # A note from the teacher shown to the students with the assignment ("Read before Tuesday's lesson").
    comment = models.CharField(_("note for students"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["module__position"]
        constraints = [
            models.UniqueConstraint(fields=["classroom", "module"], name="assignment_once_per_module"),
        ]

    def __str__(self) -> str:
        return f"{self.module.slug} for {self.classroom}"


class JoinFailure(models.Model):
    """A wrong join code, kept briefly to throttle guessing. `key` is a user id or an address hash."""

    key = models.CharField(max_length=80)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["key", "created_at"])]

    def __str__(self) -> str:
        return self.key


class ClassEvent(models.Model):
    """The class log: what the class's teachers did that matters later (a password reset, a co-teacher
    added, the class archived). Kept with the class and deleted with it."""

    class Kind(models.TextChoices):
        PASSWORD_RESET = "password-reset", _("Password reset")
        ACCOUNTS_CREATED = "accounts-created", _("Student accounts created")
        RENAMED = "renamed", _("Class renamed")
        ARCHIVED = "archived", _("Class archived")
        RESTORED = "restored", _("Class restored")
        CO_TEACHER_ADDED = "co-teacher-added", _("Co-teacher added")
        CO_TEACHER_REMOVED = "co-teacher-removed", _("Co-teacher removed")
        STUDENT_REMOVED = "student-removed", _("Student removed")

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    # The student or co-teacher concerned, by name at the time (the account may be deleted later).
    subject = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["classroom", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} in {self.classroom}"
