from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from apps.checklist.models import ChecklistGroup
from apps.lessons.models import Lesson, Module
from apps.quizzes.models import Quiz


class _Bilingual(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class PageSitemap(_Bilingual):
    priority = 0.6

    def items(self):
        return ["pages:home", "lessons:catalogue", "checklist:overview", "glossary", "pages:privacy"]

    def location(self, item):
        return reverse(item)


class ModuleSitemap(_Bilingual):
    priority = 0.8

    def items(self):
        return Module.objects.order_by("position")


class LessonSitemap(_Bilingual):
    priority = 0.7

    def items(self):
        return Lesson.objects.select_related("module").order_by("module__position", "position")


class QuizSitemap(_Bilingual):
    """Each module's quiz start page (attempts are private and never listed)."""

    priority = 0.5

    def items(self):
        return Quiz.objects.select_related("module").order_by("module__position")


class ChecklistGroupSitemap(_Bilingual):
    priority = 0.6

    def items(self):
        return ChecklistGroup.objects.order_by("position")


sitemaps = {
    "pages": PageSitemap,
    "modules": ModuleSitemap,
    "lessons": LessonSitemap,
    "quizzes": QuizSitemap,
    "checklist": ChecklistGroupSitemap,
}
