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


class Assignment(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="assignments")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="+")
    due_date = models.DateField(_("due date"), null=True, blank=True)
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
