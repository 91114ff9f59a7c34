"""The social map: providers of free help, their places and services, shaped after Open
Referral HSDS 3.0 (organization, location, service, service_at_location, schedule,
taxonomy_term). HSDS identifiers are UUIDs, so the primary keys are too.

Writes go through ``services.py``; organisations propose changes (``ChangeRequest``) that a
moderator approves, and the approved changes are the public history of an entry.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from hsds_profile import hours


class Need(models.Model):
    """A kind of help people look for (an HSDS taxonomy term of our own taxonomy)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.CASCADE, related_name="socialmap_needs"
    )
    slug = models.SlugField(_("short name"))
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["position", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="sm_need_slug_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Provider(models.Model):
    """An institution or NGO that gives help (HSDS ``organization``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.CASCADE, related_name="socialmap_providers"
    )
    organisation = models.OneToOneField(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="socialmap_provider",
        verbose_name=_("registered organisation"),
    )
    name = models.CharField(_("name"), max_length=250)
    description = models.TextField(_("description"))
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    registration_number = models.CharField(_("registration number"), max_length=20, blank=True)
    is_municipal = models.BooleanField(_("municipal institution"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    """A place where help is given (HSDS ``location`` with one physical ``address``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(_("name"), max_length=250, blank=True)
    address = models.CharField(_("street address"), max_length=250)
    city = models.CharField(_("city"), max_length=100, default="Liepāja")
    postal_code = models.CharField(_("postal code"), max_length=10, default="LV-3401")
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    neighbourhood = models.ForeignKey(
        "core.Neighbourhood",
        on_delete=models.PROTECT,
        related_name="socialmap_locations",
        verbose_name=_("neighbourhood"),
    )
    transportation = models.CharField(_("public transport"), max_length=250, blank=True)
    step_free = models.BooleanField(_("step-free entrance"), default=False)
    accessibility = models.TextField(_("accessibility"), blank=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["address"]

    def __str__(self) -> str:
        return f"{self.address}, {self.city}"


class Service(models.Model):
    """Help that a provider gives (HSDS ``service``), at one or more locations."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        INACTIVE = "inactive", _("inactive")
        DEFUNCT = "defunct", _("defunct")
        TEMPORARILY_CLOSED = "temporarily closed", _("temporarily closed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.CASCADE, related_name="socialmap_services"
    )
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(_("name"), max_length=250)
    description = models.TextField(_("description"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    needs = models.ManyToManyField(Need, related_name="services", verbose_name=_("needs"))
    locations = models.ManyToManyField(
        Location, related_name="services", blank=True, verbose_name=_("locations")
    )
    eligibility = models.TextField(_("who it is for"), blank=True)
    minimum_age = models.PositiveSmallIntegerField(
        _("minimum age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    maximum_age = models.PositiveSmallIntegerField(
        _("maximum age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    application_process = models.TextField(_("how to apply"), blank=True)
    required_documents = models.TextField(
        _("documents needed"), blank=True, help_text=_("One document per line.")
    )
    is_free = models.BooleanField(_("free of charge"), default=True)
    fees_description = models.TextField(_("costs"), blank=True)
    languages = models.CharField(
        _("languages of service"),
        max_length=100,
        blank=True,
        help_text=_("Language codes separated by commas, e.g. lv,ru,en"),
    )
    hours = models.CharField(
        _("opening hours"), max_length=300, blank=True, help_text=_("For example MO-FR 09:00-17:00")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    url = models.URLField(_("web page"), blank=True)
    last_confirmed_on = models.DateField(_("information last checked"))
    stale_flagged_at = models.DateTimeField(
        _("organisation asked to confirm"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]
        indexes = [models.Index(fields=["municipality", "status"])]

    def __str__(self) -> str:
        return self.name

    @property
    def may_be_outdated(self) -> bool:
        """Not confirmed for ``SOCIALMAP_CONFIRM_MONTHS`` plus the grace period given to
        the organisation after it was asked to confirm."""
        import datetime as dt

        from django.utils import timezone

        from . import services

        today = timezone.localdate()
        limit = services.months_before(today, services.confirm_months())
        return self.last_confirmed_on < limit - dt.timedelta(days=services.outdated_grace_days())

    # Lists of the prefetched relations, made once per instance: every ``.all()`` on a
    # related manager builds a new (translated) queryset, which adds up on a long list.
    @cached_property
    def openings(self) -> list[hours.Opening]:
        return [hours.Opening(s.weekday, s.opens_at, s.closes_at) for s in self.schedules.all()]

    @cached_property
    def location_list(self) -> list[Location]:
        return list(self.locations.all())

    @cached_property
    def need_list(self) -> list[Need]:
        return list(self.needs.all())

    @property
    def language_list(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]

    @property
    def document_list(self) -> list[str]:
        return [line.strip() for line in self.required_documents.splitlines() if line.strip()]


class Schedule(models.Model):
    """One weekly opening of a service (HSDS ``schedule``, freq WEEKLY), kept in step with
    ``Service.hours`` by the services."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    weekday = models.PositiveSmallIntegerField(_("weekday"), validators=[MaxValueValidator(6)])
    opens_at = models.TimeField(_("opens"))
    closes_at = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening")
        verbose_name_plural = _("openings")
        ordering = ["weekday", "opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="sm_schedule_closes_after_opens",
            )
        ]

    def __str__(self) -> str:
        return f"{hours.DAY_CODES[self.weekday]} {self.opens_at:%H:%M}-{self.closes_at:%H:%M}"


class ChangeRequest(models.Model):
    """A proposed new entry or change from an organisation, waiting for a moderator.

    ``payload`` holds the proposed values (field names with a language suffix for the
    translated ones, e.g. ``name_lv``); approved requests are the entry's public history.
    """

    class Kind(models.TextChoices):
        PROVIDER = "provider", _("organisation")
        SERVICE = "service", _("service")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for review")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.CASCADE, related_name="socialmap_changes"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="socialmap_changes"
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, null=True, blank=True, related_name="changes"
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="changes"
    )
    payload = models.JSONField(_("proposed values"), default=dict)
    previous = models.JSONField(_("values before"), default=dict, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["municipality", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.summary}"

    @property
    def changed_fields(self) -> list[tuple[str, object, object]]:
        """``(field, before, after)`` for each proposed value that differs."""
        return [
            (key, self.previous.get(key), value)
            for key, value in sorted(self.payload.items())
            if self.previous.get(key) != value
        ]


class OutdatedReport(models.Model):
    """Someone says a service's information is no longer right."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="reports")
    message = models.TextField(_("what is wrong"))
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("report of outdated information")
        verbose_name_plural = _("reports of outdated information")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.service}: {self.message[:60]}"
