"""Admin for the social map: the taxonomy of needs is managed here; entries change through
the moderation pages (so that every change has its review and history)."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from .models import ChangeRequest, Location, Need, OutdatedReport, Provider, Service


@admin.register(Need)
class NeedAdmin(TranslationAdmin):
    list_display = ("name", "slug", "position", "municipality")
    list_editable = ("position",)
    list_filter = ("municipality",)
    prepopulated_fields = {"slug": ("name_lv",)}


@admin.register(Provider)
class ProviderAdmin(TranslationAdmin):
    list_display = ("name", "organisation", "is_municipal", "updated_at")
    list_filter = ("municipality", "is_municipal")
    search_fields = ("name_lv", "name_en")
    readonly_fields = ("id",)


@admin.register(Location)
class LocationAdmin(TranslationAdmin):
    list_display = ("address", "provider", "neighbourhood", "step_free")
    list_filter = ("neighbourhood", "step_free")
    search_fields = ("address",)
    readonly_fields = ("id",)


@admin.register(Service)
class ServiceAdmin(TranslationAdmin):
    list_display = ("name", "provider", "status", "last_confirmed_on")
    list_filter = ("status", "needs", "municipality")
    search_fields = ("name_lv", "name_en")
    filter_horizontal = ("needs", "locations")
    readonly_fields = ("id", "hours", "stale_flagged_at")


@admin.register(ChangeRequest)
class ChangeRequestAdmin(admin.ModelAdmin):
    list_display = ("summary", "kind", "organisation", "status", "submitted_at")
    list_filter = ("status", "kind")
    readonly_fields = [f.name for f in ChangeRequest._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(OutdatedReport)
class OutdatedReportAdmin(admin.ModelAdmin):
    list_display = ("service", "created_at", "resolved_at")
    list_filter = ("resolved_at",)
