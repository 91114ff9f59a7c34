"""A participatory-budget cycle: its phases and dates, money, categories and themes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CycleStatus(models.TextChoices):
    """The phases in order; the API publishes these values as they are."""

    DRAFT = "draft", pgettext_lazy("budget cycle", "Being prepared")
    SUBMISSION = "submission", pgettext_lazy("budget cycle", "Idea submission")
    REVIEW = "review", pgettext_lazy("budget cycle", "Review of ideas")
    VOTING = "voting", pgettext_lazy("budget cycle", "Voting")
    RESULTS = "results", pgettext_lazy("budget cycle", "Results")
    IMPLEMENTATION = "implementation", pgettext_lazy("budget cycle", "Implementation")
    FINISHED = "finished", pgettext_lazy("budget cycle", "Finished")


PHASE_ORDER: tuple[str, ...] = tuple(CycleStatus.values)


class Submitters(models.TextChoices):
    RESIDENTS = "residents", _("Verified residents aged 16 or more")
    PEOPLE = "people", _("Anyone aged 16 or more")
    PEOPLE_AND_NGOS = "people_ngos", _("Anyone aged 16 or more, and associations or foundations")


class Cycle(models.Model):
    """One participatory-budget round of a municipality (e.g. "Liepāja 2025").

    The phase dates drive ``status``: ``services.cycle_advance_on_schedule`` moves a cycle
    when a date passes (with an audit record); an officer may move it by hand with a reason.
    Money is in euro cents. ``total_budget_cents`` is what the council set aside; the
    categories share it and ``reserve_cents`` is kept for unforeseen costs.
    """

    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.CASCADE, related_name="budget_cycles"
    )
    slug = models.SlugField(_("short name"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("phase"),
        max_length=16,
        choices=CycleStatus.choices,
        default=CycleStatus.DRAFT,
        db_index=True,
    )
    total_budget_cents = models.PositiveBigIntegerField(_("total money (cents)"), default=0)
    reserve_cents = models.PositiveBigIntegerField(
        _("reserve for unforeseen costs (cents)"), default=0
    )
    revenue_year1_cents = models.PositiveBigIntegerField(
        _("income and property tax revenue, 3 years ago (cents)"), null=True, blank=True
    )
    revenue_year2_cents = models.PositiveBigIntegerField(
        _("income and property tax revenue, 2 years ago (cents)"), null=True, blank=True
    )
    revenue_year3_cents = models.PositiveBigIntegerField(
        _("income and property tax revenue, last year (cents)"), null=True, blank=True
    )
    submission_opens_at = models.DateTimeField(_("idea submission opens"), null=True, blank=True)
    submission_closes_at = models.DateTimeField(_("idea submission closes"), null=True, blank=True)
    review_ends_at = models.DateTimeField(_("review ends"), null=True, blank=True)
    voting_opens_at = models.DateTimeField(_("voting opens"), null=True, blank=True)
    voting_closes_at = models.DateTimeField(_("voting closes"), null=True, blank=True)
    implementation_starts_at = models.DateTimeField(
        _("implementation starts"), null=True, blank=True
    )
    finished_at = models.DateTimeField(_("cycle ends"), null=True, blank=True)
    submitters = models.CharField(
        _("who may submit ideas"),
        max_length=12,
        choices=Submitters.choices,
        default=Submitters.PEOPLE_AND_NGOS,
    )
    min_age = models.PositiveSmallIntegerField(_("minimum age to submit and vote"), default=16)
    vote_in_own_neighbourhood_only = models.BooleanField(
        _("residents vote only in their own neighbourhood's categories"), default=False
    )
    author_answer_days = models.PositiveSmallIntegerField(
        _("days an author has to answer a review decision"), default=7
    )
    results_confirmed_at = models.DateTimeField(_("results confirmed"), null=True, blank=True)
    results_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("results confirmed by"),
    )
    results_decision = models.CharField(
        _("council decision confirming the results"),
        max_length=200,
        blank=True,
        help_text=_("E.g. the decision's number and date."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("budget cycle")
        verbose_name_plural = _("budget cycles")
        ordering = ["-voting_opens_at", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "slug"], name="budget_cycle_slug_unique_per_municipality"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("budgeting:cycle", kwargs={"slug": self.slug})

    @property
    def phase_index(self) -> int:
        return PHASE_ORDER.index(self.status)

    def is_at_least(self, status: str) -> bool:
        return self.phase_index >= PHASE_ORDER.index(status)

    @property
    def results_public(self) -> bool:
        """Votes and winners are shown only once voting has closed and the count is done."""
        return self.is_at_least(CycleStatus.RESULTS)


class PhaseChange(models.Model):
    """Every change of phase, on schedule (``changed_by`` empty) or by hand with a reason."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="phase_changes")
    from_status = models.CharField(max_length=16, choices=CycleStatus.choices)
    to_status = models.CharField(max_length=16, choices=CycleStatus.choices)
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("phase change")
        verbose_name_plural = _("phase changes")
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.cycle_id}: {self.from_status} → {self.to_status}"


class BallotForm(models.TextChoices):
    APPROVAL = "approval", _("Approve up to a number of projects")
    SINGLE = "single", _("Choose one project")
    KNAPSACK = "knapsack", _("Choose projects within the category's money")
    CUMULATIVE = "cumulative", _("Share points among projects")


class CountingRule(models.TextChoices):
    GREEDY = "greedy", _("Most votes first, while money lasts")
    MES = "mes-add1", _("Method of Equal Shares")
    PHRAGMEN = "phragmen-skip", _("Sequential Phragmén")


class Category(models.Model):
    """A pot of money with its own ballot and count (Liepāja: infrastructure, events).

    ``neighbourhood`` empty means the whole municipality is the planning unit; a cycle with
    neighbourhood planning units has one category per unit and kind.
    """

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="categories")
    slug = models.SlugField(_("short name"), max_length=60)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    neighbourhood = models.ForeignKey(
        "core.Neighbourhood",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("planning unit"),
        help_text=_("Empty: the whole municipality."),
    )
    budget_cents = models.PositiveBigIntegerField(_("money (cents)"))
    cost_cap_cents = models.PositiveBigIntegerField(
        _("largest cost of one project (cents)"), null=True, blank=True
    )
    ballot_form = models.CharField(
        _("ballot"), max_length=12, choices=BallotForm.choices, default=BallotForm.APPROVAL
    )
    max_picks = models.PositiveSmallIntegerField(
        _("projects a voter may choose"),
        null=True,
        blank=True,
        help_text=_("For “approve up to”; empty means no limit."),
    )
    points = models.PositiveSmallIntegerField(
        _("points a voter shares"), null=True, blank=True, help_text=_("For cumulative ballots.")
    )
    rule = models.CharField(
        _("counting rule"), max_length=16, choices=CountingRule.choices, default=CountingRule.GREEDY
    )
    min_votes = models.PositiveIntegerField(_("minimum votes to be funded"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["cycle", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "slug"], name="budget_category_slug_unique"),
            models.CheckConstraint(
                condition=~Q(ballot_form="cumulative") | Q(points__gt=0),
                name="budget_category_cumulative_has_points",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Theme(models.Model):
    """A theme of ideas (sports and playgrounds, dog-walking areas, …), within a category."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="themes")
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="themes", null=True, blank=True
    )
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["cycle", "position", "id"]

    def __str__(self) -> str:
        return self.name
