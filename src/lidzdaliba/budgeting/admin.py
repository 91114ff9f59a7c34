"""Read-only admin of the participatory budget: for looking things up. Every change goes
through the staff pages under ``/budget/staff/`` (and so through ``services``, with their
checks and audit records). Ballots show neither the identity key nor the receipt code."""

from django.contrib import admin

from .models import (
    Ballot,
    BallotChoice,
    Category,
    CostLine,
    Cycle,
    Idea,
    IdeaFollow,
    IdeaReview,
    Implementation,
    ImplementationUpdate,
    MaintenanceCost,
    PhaseChange,
    ProjectResult,
    Tally,
    Theme,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    hidden: tuple[str, ...] = ()

    def get_fields(self, request, obj=None):
        return [
            f.name
            for f in self.model._meta.concrete_fields
            if f.name not in self.hidden and f.name != "id"
        ]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CategoryInline(admin.TabularInline):
    model = Category
    fields = (
        "name",
        "slug",
        "neighbourhood",
        "budget_cents",
        "cost_cap_cents",
        "ballot_form",
        "rule",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class PhaseChangeInline(admin.TabularInline):
    model = PhaseChange
    fields = ("changed_at", "from_status", "to_status", "changed_by", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Cycle)
class CycleAdmin(ReadOnlyAdmin):
    list_display = ("title", "municipality", "status", "total_budget_cents", "voting_opens_at")
    list_filter = ("municipality", "status")
    search_fields = ("title", "slug")
    inlines = [CategoryInline, PhaseChangeInline]


@admin.register(PhaseChange)
class PhaseChangeAdmin(ReadOnlyAdmin):
    list_display = ("cycle", "from_status", "to_status", "changed_at", "changed_by")
    list_filter = ("to_status",)


@admin.register(Category)
class CategoryAdmin(ReadOnlyAdmin):
    list_display = ("name", "cycle", "neighbourhood", "budget_cents", "ballot_form", "rule")
    list_filter = ("cycle", "ballot_form", "rule")


@admin.register(Theme)
class ThemeAdmin(ReadOnlyAdmin):
    list_display = ("name", "cycle", "category", "position")
    list_filter = ("cycle",)


@admin.register(Idea)
class IdeaAdmin(ReadOnlyAdmin):
    list_display = ("number", "title", "cycle", "category", "status", "cost_cents")
    list_filter = ("cycle", "status", "category")
    search_fields = ("title", "summary")


@admin.register(CostLine)
class CostLineAdmin(ReadOnlyAdmin):
    list_display = ("idea", "__str__")


@admin.register(IdeaReview)
class IdeaReviewAdmin(ReadOnlyAdmin):
    list_display = ("idea", "__str__")


@admin.register(IdeaFollow)
class IdeaFollowAdmin(ReadOnlyAdmin):
    list_display = ("idea", "__str__")


@admin.register(Ballot)
class BallotAdmin(ReadOnlyAdmin):
    hidden = ("identity_key", "receipt_code", "voter")
    list_display = ("public_id", "cycle", "channel", "neighbourhood", "age_band", "updated_at")
    list_filter = ("cycle", "channel", "age_band")


@admin.register(BallotChoice)
class BallotChoiceAdmin(ReadOnlyAdmin):
    list_display = ("ballot", "category", "idea", "points")


@admin.register(Tally)
class TallyAdmin(ReadOnlyAdmin):
    hidden = ("ballots_pb",)
    list_display = ("category", "cycle", "status", "rule", "num_ballots", "finished_at")
    list_filter = ("cycle", "status")


@admin.register(ProjectResult)
class ProjectResultAdmin(ReadOnlyAdmin):
    list_display = ("idea", "tally", "votes", "selected", "reason")
    list_filter = ("selected",)


@admin.register(Implementation)
class ImplementationAdmin(ReadOnlyAdmin):
    list_display = ("idea", "__str__")


@admin.register(ImplementationUpdate)
class ImplementationUpdateAdmin(ReadOnlyAdmin):
    list_display = ("implementation", "__str__")


@admin.register(MaintenanceCost)
class MaintenanceCostAdmin(ReadOnlyAdmin):
    list_display = ("idea", "__str__")
