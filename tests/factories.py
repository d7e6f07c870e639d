import factory

from apps.accounts.models import User
from apps.core.text import html_to_text
from apps.lessons.models import Lesson, Module

PASSWORD = "test-pass-2026!"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = User.Role.STUDENT
    password = factory.django.Password(PASSWORD)


class StudentFactory(UserFactory):
    username = factory.Sequence(lambda n: f"student-{n}")


class TeacherFactory(UserFactory):
    username = factory.Sequence(lambda n: f"teacher-{n}")
    role = User.Role.TEACHER


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    slug = factory.Sequence(lambda n: f"extra-module-{n}")
    position = factory.Sequence(lambda n: 100 + n)
    title_en = factory.Sequence(lambda n: f"Extra module {n}")
    title_ar = factory.Sequence(lambda n: f"وحدة إضافية {n}")
    summary_en = "A module made by a test."
    summary_ar = "وحدة أنشأها اختبار."


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson

    module = factory.SubFactory(ModuleFactory)
    slug = factory.Sequence(lambda n: f"lesson-{n}")
    position = factory.Sequence(lambda n: n + 1)
    title_en = factory.Sequence(lambda n: f"Lesson {n}")
    title_ar = factory.Sequence(lambda n: f"درس {n}")
    summary_en = "A lesson made by a test."
    summary_ar = "درس أنشأه اختبار."
    body_md_en = "## Part\n\nText."
    body_md_ar = "## جزء\n\nنص."
    body_html_en = "<h2>Part</h2><p>Text.</p>"
    body_html_ar = "<h2>جزء</h2><p>نص.</p>"
    # As load_content stores it: the body's prose, from its HTML.
    body_text_en = factory.LazyAttribute(lambda lesson: html_to_text(lesson.body_html_en))
    body_text_ar = factory.LazyAttribute(lambda lesson: html_to_text(lesson.body_html_ar))
    minutes_en = 4
    minutes_ar = 4


class ChecklistGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "checklist.ChecklistGroup"

    slug = factory.Sequence(lambda n: f"platform-{n}")
    position = factory.Sequence(lambda n: 100 + n)
    title_en = factory.Sequence(lambda n: f"Platform {n}")
    title_ar = factory.Sequence(lambda n: f"منصة {n}")


class ChecklistItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "checklist.ChecklistItem"

    group = factory.SubFactory(ChecklistGroupFactory)
    key = factory.Sequence(lambda n: f"item-{n}")
    position = factory.Sequence(lambda n: n + 1)
    title_en = "A setting"
    title_ar = "إعداد"
    why_en = "Why."
    why_ar = "لماذا."
    steps_en = ["Settings", "Privacy"]
    steps_ar = ["الإعدادات", "الخصوصية"]
    link = "https://example.org/help"
    checked_on = factory.Faker("date_object")


class ClassroomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "classrooms.Classroom"

    teacher = factory.SubFactory(TeacherFactory)
    name = factory.Sequence(lambda n: f"Class {n}")
    join_code = factory.Sequence(lambda n: f"TST{n:05d}"[:8])
