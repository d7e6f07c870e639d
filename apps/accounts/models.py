from dataclasses import dataclass

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.names import refuse_bidi_controls, username_skeleton, username_skeleton_cased


class User(AbstractUser):
    """A learner or a teacher. Email is optional: many learners are children."""

    class Role(models.TextChoices):
        STUDENT = "student", _("Student")
        TEACHER = "teacher", _("Teacher")

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.STUDENT)
    # The name a teacher recognises ("Sara K."), separate from the username used to log in.
    display_name = models.CharField(
        _("display name"), max_length=60, blank=True, validators=[refuse_bidi_controls]
    )
    # What the username looks like (apps.core.names): unique, so a new username a reader could take for
    # an existing one is refused, even when two sign-ups race. Empty (NULL) only for accounts that
    # already looked alike before these columns existed (see migration 0003); NULLs are not unique.
    username_skeleton = models.CharField(max_length=150, null=True, editable=False)  # noqa: DJ001
    username_skeleton_cased = models.CharField(max_length=150, null=True, editable=False)  # noqa: DJ001
    # Set when a teacher gave a temporary password: the next log-in must choose a new one.
    must_change_password = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=["student", "teacher"]), name="user_role_valid"
            ),
            models.UniqueConstraint(fields=["username_skeleton"], name="user_username_skeleton_unique"),
            models.UniqueConstraint(
                fields=["username_skeleton_cased"], name="user_username_skeleton_cased_unique"
            ),
        ]

    @classmethod
    def from_db(cls, db, field_names, values):
        user = super().from_db(db, field_names, values)
        user._stored_username = user.__dict__.get("username")
        return user

    def save(self, *args, **kwargs):
        # The skeleton follows the username whichever code saves it (sign-up, a teacher's class list,
        # the admin, createsuperuser), which is why they are kept here rather than in a service. It is
        # only recomputed when the username changes, so an account whose skeleton is empty keeps
        # saving (a password change, the last log-in) until it is renamed.
        update_fields = kwargs.get("update_fields")
        if self.username != getattr(self, "_stored_username", None) and (
            update_fields is None or "username" in update_fields
        ):
            self.username_skeleton = username_skeleton(self.username)
            self.username_skeleton_cased = username_skeleton_cased(self.username)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "username_skeleton", "username_skeleton_cased"}
        super().save(*args, **kwargs)
        self._stored_username = self.username

    @property
    def name_for_teachers(self) -> str:
        """How a teacher sees this person: the display name, else the username."""
        return self.display_name or self.get_username()

    @property
    def is_teacher(self) -> bool:
        return self.role == self.Role.TEACHER

    @property
    def is_student(self) -> bool:
        return self.role == self.Role.STUDENT


class Reader(models.Model):
    """Whoever is learning: an account, or an anonymous browser whose reader id is in its session.

    Every progress row (read marks, ticks, platforms, quiz attempts, reports) points to a reader, so
    signed-in and anonymous progress are one scheme. An anonymous reader is created on its first
    write, never before, and merged into the account's reader at log-in or sign-up.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, null=True, blank=True, related_name="reader")
    # Set when this anonymous reader was merged into an account's: a write still in flight from before
    # the log-in lands on the account instead of being lost. Emptied and deleted by prune_readers.
    merged_into = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Moved forward by writes (at most hourly); unclaimed readers idle past the session age are pruned.
    last_active_at = models.DateTimeField(default=timezone.now)
    # Moved on by every change to an account's progress: part of the version of each class page that
    # shows it, so a teacher's cached page is replaced on the next view (classrooms.selectors).
    progress_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        indexes = [
            models.Index(
                fields=["last_active_at"], condition=models.Q(user__isnull=True), name="reader_anonymous_idle"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=True) | models.Q(merged_into__isnull=True),
                name="reader_only_anonymous_merged",
            )
        ]

    def __str__(self) -> str:
        return f"reader of {self.user}" if self.user_id else f"anonymous reader {self.pk}"

    def progress_changed(self) -> None:
        """Call in the transaction of every write that changes what a teacher can see of this reader.
        Anonymous readers are in no class: nothing to tell."""
        accounts = Reader.objects.filter(pk=self.pk, user__isnull=False)
        accounts.update(progress_version=models.F("progress_version") + 1)


@dataclass(frozen=True)
class MergeRule:
    """How the rows of one model move from an anonymous reader into an account's reader.

    Every model with a foreign key to Reader declares one as `reader_merge`:
    - `move`: every row changes owner (quiz attempts: both histories are kept);
    - `union`: rows whose `key` the account lacks move, duplicates are dropped (read marks);
    - `later_wins`: like union, but where both have the `key`, the row with the later `time` wins
      (checklist ticks: the more recent confirmation holds).
    """

    kind: str
    key: str = ""
    time: str = ""

    @classmethod
    def move(cls) -> "MergeRule":
        return cls("move")

    @classmethod
    def union(cls, key: str) -> "MergeRule":
        return cls("union", key)

    @classmethod
    def later_wins(cls, key: str, time: str) -> "MergeRule":
        return cls("later_wins", key, time)
