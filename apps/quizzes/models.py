import datetime

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import MergeRule, Reader
from apps.core.i18n import Localized
from apps.lessons.models import Lesson, Module


class Quiz(models.Model):
    """One quiz per module. Rebuilt from apps/quizzes/content by load_content."""

    module = models.OneToOneField(Module, on_delete=models.CASCADE, related_name="quiz")
    pass_mark = models.PositiveSmallIntegerField(default=70)

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pass_mark__gte=1, pass_mark__lte=100), name="quiz_pass_mark_percent"
            )
        ]

    def __str__(self) -> str:
        return f"Quiz: {self.module.slug}"

    def get_absolute_url(self) -> str:
        return reverse("quizzes:take", kwargs={"module_slug": self.module.slug})


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Select all that apply")
        TRUE_FALSE = "truefalse", _("True or false")

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(max_length=40)
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    lesson = models.ForeignKey(Lesson, on_delete=models.SET_NULL, null=True, related_name="+")
    prompt_en = models.TextField()
    prompt_ar = models.TextField()

    prompt = Localized("prompt")

    class Meta:
        ordering = ["quiz", "position"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "key"], name="question_key_unique_in_quiz"),
        ]

    def __str__(self) -> str:
        return f"{self.quiz.module.slug}/{self.key}"

    @property
    def allows_many(self) -> bool:
        return self.kind == self.Kind.MULTIPLE


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    key = models.SlugField(max_length=40)
    position = models.PositiveSmallIntegerField()
    is_correct = models.BooleanField()
    text_en = models.TextField()
    text_ar = models.TextField()
    explanation_en = models.TextField()
    explanation_ar = models.TextField()

    text = Localized("text")
    explanation = Localized("explanation")

    class Meta:
        ordering = ["question", "position"]
        constraints = [
            models.UniqueConstraint(fields=["question", "key"], name="choice_key_unique_in_question"),
        ]

    def __str__(self) -> str:
        return f"{self.question}/{self.key}"


class Attempt(models.Model):
    """One run through a quiz by one reader."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    reader = models.ForeignKey(Reader, on_delete=models.CASCADE, related_name="quiz_attempts")
    # Shuffled once at the start and kept, so a reload never reorders anything.
    question_order = models.JSONField(default=list)
    choice_order = models.JSONField(default=dict)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    correct_count = models.PositiveSmallIntegerField(null=True, blank=True)
    question_count = models.PositiveSmallIntegerField()
    score_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)

    reader_merge = MergeRule.move()

    class Meta:
        indexes = [models.Index(fields=["reader", "quiz", "-started_at"])]

    def __str__(self) -> str:
        return f"Attempt {self.pk} on {self.quiz}"

    def get_absolute_url(self) -> str:
        return reverse(
            "quizzes:attempt",
            kwargs={"module_slug": self.quiz.module.slug, "attempt_id": self.pk},
        )

    def get_results_url(self) -> str:
        return reverse(
            "quizzes:results",
            kwargs={"module_slug": self.quiz.module.slug, "attempt_id": self.pk},
        )

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    @property
    def time_taken(self) -> datetime.timedelta | None:
        """From the start to the last answer; None while the attempt is not finished."""
        return self.finished_at - self.started_at if self.finished_at is not None else None


class Answer(models.Model):
    """The reader's answer to one question of one attempt: at most one, ever."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    selected = models.ManyToManyField(Choice, related_name="answers")
    is_correct = models.BooleanField()
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question"], name="answer_once_per_question_per_attempt"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.question.key}"
