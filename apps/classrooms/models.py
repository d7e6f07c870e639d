from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.checklist.models import ChecklistGroup
from apps.labs.content import LAB_TITLES
from apps.lessons.models import Lesson, Module

# No look-alikes: no 0/O, no 1/I/L.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 8


class Status(models.TextChoices):
    """Where a student stands on one assignment, as the grid, the dashboard and the CSV say it."""

    NOT_STARTED = "not-started", _("Not started")
    IN_PROGRESS = "in-progress", _("In progress")
    DONE = "done", _("Done")
    OVERDUE = "overdue", _("Overdue")
    # Checklist work of a student who does not share their checklist with the class.
    NOT_SHARED = "not-shared", _("Not shared")


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
    # Moved on by changes to assignments, teachers and the class log (services._changed).
    version = models.PositiveIntegerField(default=0, editable=False)
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
    """Work set for a class: a whole module, one lesson, or the checklist (one platform or all of it)."""

    class Kind(models.TextChoices):
        MODULE = "module", _("Module")
        LESSON = "lesson", _("Lesson")
        CHECKLIST = "checklist", _("Checklist")
        SIMULATOR = "simulator", _("Simulator")
        LAB = "lab", _("Lab")

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="assignments")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.MODULE)
    # The module, or the assigned lesson's module (so modules and their lessons sort together).
    module = models.ForeignKey(Module, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    # For the checklist: one platform, or None for all of it.
    checklist_group = models.ForeignKey(
        ChecklistGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # For a lab: which one (apps.labs.content.LABS).
    lab = models.CharField(max_length=32, blank=True, default="")
    due_date = models.DateField(_("due date"), null=True, blank=True)
    # A note from the teacher shown to the students with the assignment ("Read before Tuesday's lesson").
    comment = models.CharField(_("note for students"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = [
            F("module__position").asc(nulls_last=True),
            F("lesson__position").asc(nulls_first=True),
            F("checklist_group__position").asc(nulls_first=True),
            "pk",
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="module", module__isnull=False, lesson__isnull=True, checklist_group__isnull=True)
                    | Q(
                        kind="lesson",
                        module__isnull=False,
                        lesson__isnull=False,
                        checklist_group__isnull=True,
                    )
                    | Q(kind="checklist", module__isnull=True, lesson__isnull=True)
                    | Q(
                        kind="simulator",
                        module__isnull=True,
                        lesson__isnull=True,
                        checklist_group__isnull=True,
                    )
                    | (
                        Q(kind="lab", module__isnull=True, lesson__isnull=True, checklist_group__isnull=True)
                        & ~Q(lab="")
                    )
                ),
                name="assignment_fields_match_kind",
            ),
            models.UniqueConstraint(
                fields=["classroom", "module"], condition=Q(kind="module"), name="assignment_once_per_module"
            ),
            models.UniqueConstraint(
                fields=["classroom", "lesson"], condition=Q(kind="lesson"), name="assignment_once_per_lesson"
            ),
            models.UniqueConstraint(
                fields=["classroom", "checklist_group"],
                condition=Q(kind="checklist", checklist_group__isnull=False),
                name="assignment_once_per_checklist_group",
            ),
            models.UniqueConstraint(
                fields=["classroom"],
                condition=Q(kind="checklist", checklist_group__isnull=True),
                name="assignment_whole_checklist_once",
            ),
            models.UniqueConstraint(
                fields=["classroom"], condition=Q(kind="simulator"), name="assignment_simulator_once"
            ),
            models.UniqueConstraint(
                fields=["classroom", "lab"], condition=Q(kind="lab"), name="assignment_lab_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.work_key} for {self.classroom}"

    @property
    def work_key(self) -> str:
        """What is assigned, as the assignment form's value: module-3, lesson-12, checklist, checklist-2."""
        if self.kind == self.Kind.MODULE:
            return f"module-{self.module_id}"
        if self.kind == self.Kind.LESSON:
            return f"lesson-{self.lesson_id}"
        if self.kind == self.Kind.SIMULATOR:
            return "simulator"
        if self.kind == self.Kind.LAB:
            return f"lab-{self.lab}"
        return f"checklist-{self.checklist_group_id}" if self.checklist_group_id else "checklist"

    @property
    def title(self) -> str:
        if self.kind == self.Kind.MODULE:
            return self.module.title
        if self.kind == self.Kind.LESSON:
            return self.lesson.title
        if self.kind == self.Kind.SIMULATOR:
            return gettext("The data-trail simulator")
        if self.kind == self.Kind.LAB:
            return str(LAB_TITLES.get(self.lab, self.lab))
        if self.checklist_group_id:
            return gettext("Checklist: %(platform)s") % {"platform": self.checklist_group.title}
        return gettext("The whole checklist")

    @property
    def anchor(self) -> str:
        """The id of this assignment's section on a student's page: module-alpha, lesson-alpha-habits,
        checklist-all, checklist-facebook."""
        if self.kind == self.Kind.MODULE:
            return f"module-{self.module.slug}"
        if self.kind == self.Kind.LESSON:
            return f"lesson-{self.module.slug}-{self.lesson.slug}"
        if self.kind == self.Kind.SIMULATOR:
            return "simulator"
        if self.kind == self.Kind.LAB:
            return f"lab-{self.lab}"
        return f"checklist-{self.checklist_group.slug}" if self.checklist_group_id else "checklist-all"

    def get_work_url(self) -> str:
        """Where a student does the work."""
        if self.kind == self.Kind.MODULE:
            return self.module.get_absolute_url()
        if self.kind == self.Kind.LESSON:
            return self.lesson.get_absolute_url()
        if self.kind == self.Kind.SIMULATOR:
            return reverse("simulator:simulator")
        if self.kind == self.Kind.LAB:
            return reverse(f"labs:{self.lab}")
        if self.checklist_group_id:
            return self.checklist_group.get_absolute_url()
        return reverse("checklist:overview")


class JoinFailure(models.Model):
    """A wrong join code, kept briefly to throttle guessing. `key` names the account ("user:12")."""

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
