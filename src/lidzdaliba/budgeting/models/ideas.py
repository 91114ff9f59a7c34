"""Ideas (project proposals), their cost lines, review and followers.

An idea that is admitted is a ballot project; its Pabulib project id is its primary key
(``Idea.project_id``), the same id the API and the published ``.pb`` file use. Nothing is
ever deleted once submitted: rejected, merged and withdrawn ideas stay visible with reasons.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lidzdaliba.core.models import SdgTaggable


class IdeaStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("budget idea", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("budget idea", "Submitted")
    ADMITTED = "admitted", pgettext_lazy("budget idea", "On the ballot")
    REJECTED = "rejected", pgettext_lazy("budget idea", "Not admitted")
    MERGED = "merged", pgettext_lazy("budget idea", "Merged with another idea")
    WITHDRAWN = "withdrawn", pgettext_lazy("budget idea", "Withdrawn by the author")


PUBLIC_IDEA_STATUSES = (
    IdeaStatus.SUBMITTED,
    IdeaStatus.ADMITTED,
    IdeaStatus.REJECTED,
    IdeaStatus.MERGED,
    IdeaStatus.WITHDRAWN,
)


class Idea(SdgTaggable, models.Model):
    cycle = models.ForeignKey("budgeting.Cycle", on_delete=models.CASCADE, related_name="ideas")
    category = models.ForeignKey(
        "budgeting.Category",
        on_delete=models.PROTECT,
        related_name="ideas",
        verbose_name=_("category"),
    )
    theme = models.ForeignKey(
        "budgeting.Theme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
        verbose_name=_("theme"),
    )
    number = models.PositiveIntegerField(
        _("number"), null=True, blank=True, help_text=_("Public number within the cycle.")
    )
    title = models.CharField(_("title"), max_length=150)
    summary = models.CharField(
        _("summary"), max_length=300, help_text=_("One or two sentences for lists and the ballot.")
    )
    description = models.TextField(_("description"))
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    address = models.CharField(_("address or place"), max_length=300, blank=True)
    neighbourhood = models.ForeignKey(
        "core.Neighbourhood",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("neighbourhood"),
    )
    cost_cents = models.PositiveBigIntegerField(
        _("author's cost estimate (cents)"), default=0, help_text=_("The sum of the cost lines.")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_ideas",
        verbose_name=_("author"),
    )
    author_name = models.CharField(
        _("author's public name"), max_length=150, blank=True, help_text=_("Shown on the page.")
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_ideas",
        verbose_name=_("submitted on behalf of"),
    )
    coauthors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="budget_ideas_coauthored",
        verbose_name=_("co-authors"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=IdeaStatus.choices, default=IdeaStatus.DRAFT
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_ideas",
        verbose_name=_("merged into"),
    )
    ballot_cost_cents = models.PositiveBigIntegerField(
        _("cost on the ballot (cents)"),
        null=True,
        blank=True,
        help_text=_("The officers' estimate once admitted: what the count uses."),
    )
    decision_reason = models.TextField(_("public reason for the decision"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    follower_count = models.PositiveIntegerField(_("followers"), default=0)
    age_declared = models.BooleanField(
        _("the author declared being old enough to submit"),
        default=False,
        help_text=_("Asked of authors whose age is not known from a verified residency."),
    )

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["cycle", "number", "id"]
        indexes = [models.Index(fields=["cycle", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "number"],
                condition=Q(number__isnull=False),
                name="budget_idea_number_unique_per_cycle",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["rejected", "merged"]) | ~Q(decision_reason=""),
                name="budget_idea_decision_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="admitted") | Q(ballot_cost_cents__isnull=False),
                name="budget_idea_admitted_has_cost",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("budgeting:idea", kwargs={"slug": self.cycle.slug, "pk": self.pk})

    @property
    def municipality(self):
        """The cycle's municipality (for permission checks, audit records, attachments)."""
        return self.cycle.municipality

    @property
    def municipality_id(self) -> int:
        return self.cycle.municipality_id

    @property
    def project_id(self) -> str:
        """The id in the Pabulib file and the API."""
        return str(self.pk)

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_IDEA_STATUSES

    @property
    def on_ballot(self) -> bool:
        return self.status == IdeaStatus.ADMITTED

    @property
    def cost_for_ballot_cents(self) -> int:
        return self.ballot_cost_cents if self.ballot_cost_cents is not None else self.cost_cents


class CostLine(models.Model):
    """One line of an idea's cost breakdown (e.g. "benches, 4 pcs — 1 200 €")."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="cost_lines")
    description = models.CharField(_("item"), max_length=200)
    amount_cents = models.PositiveBigIntegerField(_("amount (cents)"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("cost line")
        verbose_name_plural = _("cost lines")
        ordering = ["idea", "position", "id"]

    def __str__(self) -> str:
        return self.description


class Check(models.TextChoices):
    UNCHECKED = "", _("Not checked yet")
    YES = "yes", _("Meets the condition")
    NO = "no", _("Does not meet the condition")


class IdeaReview(models.Model):
    """The officers' review of one idea: the checklist, their cost estimate and the
    proposed decision, which becomes final after the author's answer period."""

    class Proposal(models.TextChoices):
        NONE = "", _("No proposal yet")
        ADMIT = "admit", _("Admit to the ballot")
        REJECT = "reject", _("Reject")

    idea = models.OneToOneField(Idea, on_delete=models.CASCADE, related_name="review")
    legal = models.CharField(
        _("allowed by law and municipal functions"), max_length=3, choices=Check.choices, blank=True
    )
    legal_note = models.TextField(_("note on legality"), blank=True)
    ownership = models.CharField(
        _("land or building is the municipality's"), max_length=3, choices=Check.choices, blank=True
    )
    ownership_note = models.TextField(_("note on ownership"), blank=True)
    cost = models.CharField(
        _("cost estimate is realistic and within the cap"),
        max_length=3,
        choices=Check.choices,
        blank=True,
    )
    cost_note = models.TextField(_("note on cost"), blank=True)
    officer_cost_cents = models.PositiveBigIntegerField(
        _("officers' cost estimate (cents)"), null=True, blank=True
    )
    maintenance_cost_cents = models.PositiveBigIntegerField(
        _("maintenance cost per year (cents)"), null=True, blank=True
    )
    maintenance_note = models.TextField(_("note on maintenance"), blank=True)
    proposal = models.CharField(
        _("proposed decision"), max_length=8, choices=Proposal.choices, blank=True
    )
    proposal_reason = models.TextField(_("public reason"), blank=True)
    proposed_at = models.DateTimeField(_("proposed"), null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    answer_due_at = models.DateTimeField(_("author may answer until"), null=True, blank=True)
    author_answer = models.TextField(_("author's answer"), blank=True)
    author_answered_at = models.DateTimeField(_("author answered"), null=True, blank=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.proposal or '-'}"


class IdeaFollow(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="budget_follows"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="budget_follow_once")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.idea_id}"
