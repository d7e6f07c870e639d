from django.contrib import admin
from django.db.models import Count, Q

from apps.core.page_cache import ContentAdminMixin

from .models import ChecklistGroup, ChecklistItem, PathReport


@admin.register(ChecklistGroup)
class ChecklistGroupAdmin(ContentAdminMixin, admin.ModelAdmin):
    list_display = ("position", "slug", "title_en", "title_ar")


class PathReportInline(admin.TabularInline):
    model = PathReport
    extra = 0
    fields = ("created_at", "note", "resolved")
    readonly_fields = ("created_at", "note")
    can_delete = False


@admin.register(ChecklistItem)
class ChecklistItemAdmin(ContentAdminMixin, admin.ModelAdmin):
    """Items come from content files; the admin shows them with their open "menu moved" reports."""

    list_display = ("__str__", "title_en", "checked_on", "open_reports")
    list_filter = ("group",)
    list_select_related = ("group",)
    inlines = [PathReportInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(open_report_count=Count("reports", filter=Q(reports__resolved=False)))
        )

    @admin.display(ordering="open_report_count", description="open reports")
    def open_reports(self, obj):
        return obj.open_report_count


@admin.register(PathReport)
class PathReportAdmin(admin.ModelAdmin):
    list_display = ("item", "created_at", "note", "resolved")
    list_filter = ("resolved", "item__group", "item")
    list_select_related = ("item__group",)
    list_editable = ("resolved",)
    readonly_fields = ("reader", "item", "note", "created_at")
