"""Citizen reports (pieteikumi): categories, departments, routing, reports, their timeline.

Every write goes through ``reports.services``; these models hold data and invariants only.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Department(models.Model):
    """A unit of the municipality that handles reports (e.g. the roads department)."""

    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.CASCADE, related_name="report_departments"
    )
    slug = models.SlugField(_("short name"))
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "slug"], name="report_department_slug_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """A kind of problem residents can report; its ``code`` is the Open311 service_code."""

    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.CASCADE, related_name="report_categories"
    )
    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    group = models.CharField(_("group"), max_length=80, blank=True)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="categories",
        verbose_name=_("responsible department"),
        help_text=_("Used unless a routing rule for a neighbourhood says otherwise."),
    )
    duplicate_radius_m = models.PositiveIntegerField(
        _("radius for similar reports (m)"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(5000)],
    )
    due_days = models.PositiveIntegerField(
        _("days to resolve"), default=14, validators=[MinValueValidator(1)]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("accepting reports"), default=True)

    class Meta:
        verbose_name = _("report category")
        verbose_name_plural = _("report categories")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="report_category_code")
        ]

    def __str__(self) -> str:
        return self.name


class CategoryQuestion(models.Model):
    """An extra question asked for one category (an Open311 service attribute)."""

    class Datatype(models.TextChoices):
        STRING = "string", _("short text")
        TEXT = "text", _("long text")
        NUMBER = "number", _("number")
        DATETIME = "datetime", _("date and time")
        SINGLE = "singlevaluelist", _("one of a list")
        MULTI = "multivaluelist", _("several of a list")

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="questions")
    code = models.SlugField(_("code"), max_length=50)
    label = models.CharField(_("question"), max_length=200)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    datatype = models.CharField(
        _("answer type"), max_length=20, choices=Datatype.choices, default=Datatype.STRING
    )
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    values = models.JSONField(
        _("choices"),
        default=list,
        blank=True,
        help_text=_('For lists: [{"key": "deep", "name": "Deeper than 5 cm"}, …]'),
    )

    class Meta:
        verbose_name = _("extra question")
        verbose_name_plural = _("extra questions")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="report_question_code")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_list(self) -> bool:
        return self.datatype in (self.Datatype.SINGLE, self.Datatype.MULTI)


class RoutingRule(models.Model):
    """Sends reports of a category in a neighbourhood to a department. The most specific
    rule wins: category and neighbourhood, then category only, then neighbourhood only."""

    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.CASCADE, related_name="report_routing_rules"
    )
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, null=True, blank=True, related_name="routing_rules"
    )
    neighbourhood = models.ForeignKey(
        "core.Neighbourhood", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "category", "neighbourhood"],
                name="report_routing_rule_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.category or '*'} / {self.neighbourhood or '*'} → {self.department}"


class Status(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("report status", "Received")
    ASSIGNED = "assigned", pgettext_lazy("report status", "Assigned")
    IN_PROGRESS = "in_progress", pgettext_lazy("report status", "In progress")
    RESOLVED = "resolved", pgettext_lazy("report status", "Resolved")
    NOT_OURS = "not_ours", pgettext_lazy("report status", "Closed: not ours")
    DUPLICATE = "duplicate", pgettext_lazy("report status", "Closed: duplicate")
    CANNOT_FIX = "cannot_fix", pgettext_lazy("report status", "Closed: cannot fix")


OPEN_STATUSES = frozenset({Status.RECEIVED, Status.ASSIGNED, Status.IN_PROGRESS})
CLOSED_STATUSES = frozenset({Status.NOT_OURS, Status.DUPLICATE, Status.CANNOT_FIX})
DONE_STATUSES = CLOSED_STATUSES | {Status.RESOLVED}


class Report(models.Model):
    """One report of a problem in a public place."""

    class Source(models.TextChoices):
        WEB = "web", _("website")
        OPEN311 = "open311", _("Open311 integration")
        STAFF = "staff", _("entered by staff")

    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.CASCADE, related_name="reports"
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="reports")
    neighbourhood = models.ForeignKey(
        "core.Neighbourhood", on_delete=models.PROTECT, related_name="reports"
    )
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    description = models.TextField(_("description"), max_length=4000)
    answers = models.JSONField(_("answers to extra questions"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    public_reply = models.TextField(_("public reply"), blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("department"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    reporter_email = models.EmailField(_("e-mail for updates"), blank=True)
    reporter_name = models.CharField(_("name"), max_length=200, blank=True)
    show_name = models.BooleanField(_("show my name publicly"), default=False)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    api_token = models.ForeignKey(
        "accounts.ApiToken", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    support_count = models.PositiveIntegerField(_("supporters"), default=0)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )
    created_at = models.DateTimeField(_("reported"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    followup_sent_at = models.DateTimeField(null=True, blank=True)
    followup_answered_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["municipality", "status", "-created_at"]),
            models.Index(fields=["municipality", "category", "status"]),
            models.Index(fields=["department", "status"]),
            models.Index(fields=["lat", "lon"]),
        ]
        permissions = [("handle_report", "Can handle citizen reports")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.category.name if self.category_id else ''}".strip()

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Supporter(models.Model):
    """Someone who reported the same problem again ("is it one of these?" → join)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="supporters")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("supporter")
        verbose_name_plural = _("supporters")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "user"],
                condition=Q(user__isnull=False),
                name="report_supporter_once_per_user",
            ),
            models.UniqueConstraint(
                fields=["report", "email"],
                condition=Q(user__isnull=True) & ~Q(email=""),
                name="report_supporter_once_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.user_id or self.email}"


class ReportEvent(models.Model):
    """One line of a report's timeline; internal notes are never shown publicly."""

    class Kind(models.TextChoices):
        CREATED = "created", _("reported")
        STATUS = "status", _("status changed")
        ASSIGNED = "assigned", _("assigned")
        NOTE = "note", _("internal note")
        SUPPORTED = "supported", _("supported")
        MERGED = "merged", _("merged")
        HIDDEN = "hidden", _("hidden")
        FOLLOWUP = "followup", _("follow-up")
        REOPENED = "reopened", _("reopened")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    text = models.TextField(blank=True)
    is_internal = models.BooleanField(default=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["report", "created_at"])]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.kind}"


class ResponseTemplate(models.Model):
    """A ready-made public reply officers can start from."""

    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.CASCADE, related_name="report_templates"
    )
    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("text"))
    status = models.CharField(_("for status"), max_length=20, choices=Status.choices, blank=True)

    class Meta:
        verbose_name = _("response template")
        verbose_name_plural = _("response templates")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class AreaAlert(models.Model):
    """An e-mail subscription to new reports in a neighbourhood (optionally one category)."""

    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    neighbourhood = models.ForeignKey(
        "core.Neighbourhood", on_delete=models.CASCADE, related_name="+"
    )
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    email = models.EmailField(_("e-mail"))
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("area alert")
        verbose_name_plural = _("area alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["email", "neighbourhood", "category"], name="report_alert_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.email}: {self.neighbourhood_id}"
