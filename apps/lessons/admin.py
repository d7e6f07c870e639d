from django.contrib import admin

from apps.core.page_cache import ContentAdminMixin

from .content import lesson_render, module_render
from .models import Lesson, LessonRead, Module


@admin.register(Module)
class ModuleAdmin(ContentAdminMixin, admin.ModelAdmin):
    list_display = ("position", "slug", "title_en", "title_ar")
    ordering = ("position",)

    def save_model(self, request, obj, form, change):
        module_render(module=obj)
        super().save_model(request, obj, form, change)


@admin.register(Lesson)
class LessonAdmin(ContentAdminMixin, admin.ModelAdmin):
    list_display = ("module", "position", "slug", "title_en", "minutes_en", "minutes_ar")
    list_filter = ("module",)
    list_select_related = ("module",)
    readonly_fields = ("minutes_en", "minutes_ar")

    def save_model(self, request, obj, form, change):
        # Same sanitiser as load_content: the stored HTML is always clean.
        lesson_render(lesson=obj)
        super().save_model(request, obj, form, change)


@admin.register(LessonRead)
class LessonReadAdmin(admin.ModelAdmin):
    list_display = ("reader", "lesson", "read_at")
    list_select_related = ("reader__user", "lesson__module")
    raw_id_fields = ("reader", "lesson")
