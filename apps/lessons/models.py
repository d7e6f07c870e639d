from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import MergeRule, Reader
from apps.core.i18n import Localized, current_language


class Module(models.Model):
    """A module of lessons. Rebuilt from apps/lessons/content by load_content."""

    slug = models.SlugField(unique=True)
    position = models.PositiveSmallIntegerField()
    title_en = models.CharField(max_length=200)
    title_ar = models.CharField(max_length=200)
    summary_en = models.TextField()
    summary_ar = models.TextField()
    overview_md_en = models.TextField(blank=True)
    overview_md_ar = models.TextField(blank=True)
    overview_html_en = models.TextField(blank=True, editable=False)
    overview_html_ar = models.TextField(blank=True, editable=False)

    title = Localized("title")
    summary = Localized("summary")
    overview_html = Localized("overview_html")

    class Meta:
        ordering = ["position"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def __str__(self) -> str:
        return self.title_en

    def get_absolute_url(self) -> str:
        return reverse("lessons:module_detail", kwargs={"module_slug": self.slug})


class Lesson(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lessons")
    slug = models.SlugField()
    position = models.PositiveSmallIntegerField()
    title_en = models.CharField(max_length=200)
    title_ar = models.CharField(max_length=200)
    summary_en = models.TextField()
    summary_ar = models.TextField()
    body_md_en = models.TextField()
    body_md_ar = models.TextField()
    body_html_en = models.TextField(editable=False)
    body_html_ar = models.TextField(editable=False)
    # The body as plain prose (no markup, no diagram labels), made at load time for search.
    body_text_en = models.TextField(blank=True, editable=False)
    body_text_ar = models.TextField(blank=True, editable=False)
    minutes_en = models.PositiveSmallIntegerField(default=1, editable=False)
    minutes_ar = models.PositiveSmallIntegerField(default=1, editable=False)
    # [{"claim", "url", "checked_on"}] from the front matter: what backs each fact, shown under the lesson.
    sources_en = models.JSONField(default=list, blank=True, editable=False)
    sources_ar = models.JSONField(default=list, blank=True, editable=False)

    title = Localized("title")
    summary = Localized("summary")
    body_html = Localized("body_html")
    body_text = Localized("body_text")
    minutes = Localized("minutes")
    sources = Localized("sources")

    class Meta:
        ordering = ["module__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["module", "slug"], name="lesson_slug_unique_in_module"),
        ]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def __str__(self) -> str:
        return f"{self.module.slug}/{self.slug}"

    def get_absolute_url(self) -> str:
        return reverse(
            "lessons:lesson_detail",
            kwargs={"module_slug": self.module.slug, "lesson_slug": self.slug},
        )


class LessonRead(models.Model):
    """A reader has read a lesson. One row per reader and lesson, whatever the number of clicks."""

    reader = models.ForeignKey(Reader, on_delete=models.CASCADE, related_name="lesson_reads")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="reads")
    read_at = models.DateTimeField(auto_now_add=True)

    reader_merge = MergeRule.union("lesson")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reader", "lesson"], name="lesson_read_once_per_reader"),
        ]
        indexes = [models.Index(fields=["reader", "-read_at"])]

    def __str__(self) -> str:
        return f"{self.reader} read {self.lesson}"


class Term(models.Model):
    """A glossary entry. Rebuilt from apps/lessons/content/glossary.toml by load_content, which also
    links each term's first use in every lesson to its entry and records the lessons that use it."""

    key = models.SlugField(unique=True)
    position = models.PositiveSmallIntegerField()
    term_en = models.CharField(max_length=200)
    term_ar = models.CharField(max_length=200)
    definition_en = models.TextField()
    definition_ar = models.TextField()
    # How lessons write the term; the first match in a lesson becomes a link to the entry.
    forms_en = models.JSONField(default=list, blank=True)
    forms_ar = models.JSONField(default=list, blank=True)
    lessons = models.ManyToManyField(Lesson, related_name="terms", blank=True, editable=False)

    term = Localized("term")
    definition = Localized("definition")

    class Meta:
        ordering = ["position"]
        verbose_name = _("glossary term")

    def __str__(self) -> str:
        return f"glossary/{self.key}"

    def get_absolute_url(self) -> str:
        return f"{reverse('glossary')}#{self.key}"

    @property
    def term_in_other_language(self) -> str:
        return self.term_en if current_language() == "ar" else self.term_ar

    @property
    def has_other_name(self) -> bool:
        """False for names that are the same in both languages ("3-D Secure")."""
        return self.term_en != self.term_ar.strip("\u2066\u2069")
