"""Read-only admin of collective submissions: every change goes through the staff pages
(and so through ``services``, with audit records). Signer data is never shown here."""

from django.contrib import admin

from .models import CollectiveSubmission


@admin.register(CollectiveSubmission)
class CollectiveSubmissionAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "municipality",
        "status",
        "signature_count",
        "threshold",
        "signing_ends_on",
        "answer_due_on",
    )
    list_filter = ("municipality", "status", "decision")
    search_fields = ("title", "demand", "representative_name")
    date_hierarchy = "created_at"
    exclude = ("sdg_goals", "sdg_targets")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.concrete_fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
