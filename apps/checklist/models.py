from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import MergeRule, Reader
from apps.core.i18n import Localized, current_language
from apps.lessons.models import Lesson


class ChecklistGroup(models.Model):
    """A platform (Facebook, TikTok...) or "Everywhere". Rebuilt from content files."""

    slug = models.SlugField(unique=True)
    position = models.PositiveSmallIntegerField()
    title_en = models.CharField(max_length=100)
    title_ar = models.CharField(max_length=100)
    intro_en = models.TextField(blank=True)
    intro_ar = models.TextField(blank=True)

    title = Localized("title")
    intro = Localized("intro")

    class Meta:
        ordering = ["position"]
        verbose_name = _("checklist group")

    def __str__(self) -> str:
        return self.title_en

    def get_absolute_url(self) -> str:
        return reverse("checklist:group", kwargs={"group_slug": self.slug})


class ChecklistItem(models.Model):
    group = models.ForeignKey(ChecklistGroup, on_delete=models.CASCADE, related_name="items")
    key = models.SlugField(max_length=60)
    position = models.PositiveSmallIntegerField()
    title_en = models.CharField(max_length=200)
    title_ar = models.CharField(max_length=200)
    why_en = models.TextField()
    why_ar = models.TextField()
    steps_en = models.JSONField(default=list)
    steps_ar = models.JSONField(default=list)
    link = models.URLField(max_length=500)
    link_ar = models.URLField(max_length=500, blank=True)  # the same help page in Arabic, if any
    # False when the menu path could not be confirmed on the platform's own help page.
    confirmed = models.BooleanField(default=True)
    source = models.URLField(max_length=500, blank=True)
    checked_on = models.DateField()
    lesson = models.ForeignKey(Lesson, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    title = Localized("title")
    why = Localized("why")
    steps = Localized("steps")

    class Meta:
        ordering = ["group__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["group", "key"], name="checklist_item_key_unique_in_group"),
        ]
        verbose_name = _("checklist item")

    def __str__(self) -> str:
        return f"{self.group.slug}/{self.key}"

    def get_absolute_url(self) -> str:
        return reverse("checklist:item", kwargs={"group_slug": self.group.slug, "item_key": self.key})

    @property
    def help_link_falls_back(self) -> bool:
        """True when an Arabic reader gets the English help page because there is no Arabic one."""
        return current_language() == "ar" and not self.link_ar

    @property
    def help_link(self) -> str:
        """The help page in the reader's language when the platform has one, else the English page."""
        return self.link_ar if current_language() == "ar" and self.link_ar else self.link


class ChecklistTick(models.Model):
    """An item a reader has done. No row means not done; one row per reader and item."""

    reader = models.ForeignKey(Reader, on_delete=models.CASCADE, related_name="checklist_ticks")
    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="ticks")
    done_at = models.DateTimeField()

    reader_merge = MergeRule.later_wins("item", "done_at")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reader", "item"], name="checklist_tick_once_per_reader"),
        ]

    def __str__(self) -> str:
        return f"{self.reader} did {self.item}"


class UsedPlatform(models.Model):
    """A platform the reader said they use: shown first on their checklist."""

    reader = models.ForeignKey(Reader, on_delete=models.CASCADE, related_name="used_platforms")
    group = models.ForeignKey(ChecklistGroup, on_delete=models.CASCADE, related_name="+")

    reader_merge = MergeRule.union("group")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reader", "group"], name="used_platform_once_per_reader"),
        ]

    def __str__(self) -> str:
        return f"{self.reader} uses {self.group}"


class PathReport(models.Model):
    """A reader says an item's menu path no longer matches what they see."""

    reader = models.ForeignKey(Reader, on_delete=models.CASCADE, related_name="path_reports")
    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="reports")
    note = models.TextField(blank=True, max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved = models.BooleanField(default=False)

    reader_merge = MergeRule.union("item")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reader", "item"], name="path_report_once_per_reader"),
        ]
        verbose_name = _("“this menu moved” report")

    def __str__(self) -> str:
        return f"{self.item}: {self.note[:40]}"
