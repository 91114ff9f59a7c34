"""Counts: one ``Tally`` per category, rerun idempotently, with what anyone needs to check it.

``ballots_pb`` is the anonymised Pabulib file exactly as published; ``ballots_sha256`` is
``pbvote``'s digest of the ballot data and ``file_sha256`` the SHA-256 of the file's bytes.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tally(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be counted")
        RUNNING = "running", _("counting")
        DONE = "done", _("counted")
        FAILED = "failed", _("count failed")

    cycle = models.ForeignKey("budgeting.Cycle", on_delete=models.CASCADE, related_name="tallies")
    category = models.OneToOneField(
        "budgeting.Category", on_delete=models.CASCADE, related_name="tally"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    rule = models.CharField(_("counting rule"), max_length=24)
    budget_cents = models.PositiveBigIntegerField(_("money (cents)"))
    winners = models.JSONField(_("winners"), default=list, blank=True)
    total_cost_cents = models.PositiveBigIntegerField(_("cost of the winners (cents)"), default=0)
    num_ballots = models.PositiveIntegerField(_("ballots"), default=0)
    result_json = models.JSONField(_("result"), default=dict, blank=True)
    ballots_pb = models.TextField(_("ballot file (Pabulib)"), blank=True)
    ballots_sha256 = models.CharField(_("SHA-256 of the ballots"), max_length=64, blank=True)
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("count")
        verbose_name_plural = _("counts")
        ordering = ["cycle", "category__position", "id"]

    def __str__(self) -> str:
        return f"{self.category} ({self.status})"


class ProjectResult(models.Model):
    """One ballot project's outcome, with ``pbvote``'s explanation in Latvian and English."""

    tally = models.ForeignKey(Tally, on_delete=models.CASCADE, related_name="project_results")
    idea = models.OneToOneField("budgeting.Idea", on_delete=models.CASCADE, related_name="result")
    votes = models.PositiveIntegerField(_("votes"))
    selected = models.BooleanField(_("funded"))
    round = models.PositiveIntegerField(_("round"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=24)
    sentence_lv = models.TextField(blank=True)
    sentence_en = models.TextField(blank=True)
    numbers = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["tally", "-votes", "idea_id"]

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.votes}"
