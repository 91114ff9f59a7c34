"""Administration of reports: the setup a municipality maintains (departments, categories
with their extra questions, routing rules, response templates) and a read-only view of
reports. Handling itself happens on the report pages, through the services."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from .models import (
    AreaAlert,
    Category,
    CategoryQuestion,
    Department,
    Report,
    ResponseTemplate,
    RoutingRule,
)


@admin.register(Department)
class DepartmentAdmin(TranslationAdmin):
    list_display = ("name", "slug", "email", "municipality")
    list_filter = ("municipality",)
    prepopulated_fields = {"slug": ("name",)}


class CategoryQuestionInline(TranslationTabularInline):
    model = CategoryQuestion
    extra = 0


@admin.register(Category)
class CategoryAdmin(TranslationAdmin):
    list_display = ("name", "code", "department", "duplicate_radius_m", "due_days", "is_active")
    list_filter = ("municipality", "is_active", "department")
    list_editable = ("duplicate_radius_m", "due_days", "is_active")
    inlines = [CategoryQuestionInline]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ("__str__", "category", "neighbourhood", "department")
    list_filter = ("municipality", "department")


@admin.register(ResponseTemplate)
class ResponseTemplateAdmin(TranslationAdmin):
    list_display = ("title", "status", "municipality")
    list_filter = ("municipality", "status")


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Read-only: every change to a report goes through the report page and its services,
    so it is audited and the people following it are told."""

    list_display = ("pk", "category", "neighbourhood", "status", "department", "created_at")
    list_filter = ("municipality", "status", "category", "department", "source")
    search_fields = ("=id", "description", "address")
    list_select_related = ("category", "neighbourhood", "department")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def view_on_site(self, obj):
        from django.urls import reverse

        return reverse("reports:detail", args=[obj.pk])


@admin.register(AreaAlert)
class AreaAlertAdmin(admin.ModelAdmin):
    list_display = ("email", "neighbourhood", "category", "confirmed_at")
    list_filter = ("neighbourhood",)
    readonly_fields = ("token",)
