"""What happens to a funded project: status, progress, costs, dates, updates, upkeep."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ImplementationStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("project implementation", "Planned")
    DESIGN = "design", pgettext_lazy("project implementation", "Design")
    PROCUREMENT = "procurement", pgettext_lazy("project implementation", "Procurement")
    WORKS = "works", pgettext_lazy("project implementation", "Works under way")
    DONE = "done", pgettext_lazy("project implementation", "Done")
    CANCELLED = "cancelled", pgettext_lazy("project implementation", "Cancelled")


class Implementation(models.Model):
    idea = models.OneToOneField(
        "budgeting.Idea", on_delete=models.CASCADE, related_name="implementation"
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ImplementationStatus.choices,
        default=ImplementationStatus.PLANNED,
    )
    progress = models.PositiveSmallIntegerField(_("progress, %"), default=0)
    planned_cost_cents = models.PositiveBigIntegerField(_("planned cost (cents)"))
    actual_cost_cents = models.PositiveBigIntegerField(
        _("actual cost (cents)"), null=True, blank=True
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned completion"), null=True, blank=True)
    actual_end = models.DateField(_("completed on"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("implementation")
        verbose_name_plural = _("implementations")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="budget_implementation_progress_max_100"
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""),
                name="budget_implementation_cancel_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.status}"


class ImplementationUpdate(models.Model):
    """A dated public update (photos attach to it through ``core`` attachments)."""

    implementation = models.ForeignKey(
        Implementation, on_delete=models.CASCADE, related_name="updates"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=12, choices=ImplementationStatus.choices)
    progress = models.PositiveSmallIntegerField(_("progress, %"))
    text = models.TextField(_("update"))
    created_at = models.DateTimeField(_("published"), auto_now_add=True)

    class Meta:
        verbose_name = _("implementation update")
        verbose_name_plural = _("implementation updates")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.implementation_id}: {self.created_at:%Y-%m-%d}"


class MaintenanceCost(models.Model):
    """The yearly upkeep of a project built in an earlier cycle."""

    idea = models.ForeignKey(
        "budgeting.Idea", on_delete=models.CASCADE, related_name="maintenance_costs"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount_cents = models.PositiveBigIntegerField(_("amount (cents)"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("maintenance cost")
        verbose_name_plural = _("maintenance costs")
        ordering = ["idea", "year"]
        constraints = [
            models.UniqueConstraint(fields=["idea", "year"], name="budget_maintenance_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.idea_id} {self.year}"
