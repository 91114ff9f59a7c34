"""People, organisations and residency.

A personal code (personas kods) is never stored: residency rests on its keyed HMAC, the
*identity key*, which is the same for every account of one person. That key is what makes
"one ballot / one signature per person" enforceable by the database.
"""

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import personalcode

IDENTITY_KEY_LENGTH = 64  # hex SHA-256


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("name"), max_length=150, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("may use the administration"),
        default=False,
        help_text=_("Staff must sign in with a second factor."),
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="lv"
    )
    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    neighbourhood = models.ForeignKey(
        "core.Neighbourhood",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("my neighbourhood"),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Organisation(models.Model):
    """An NGO, foundation, municipal institution or company that acts on the platform."""

    class Kind(models.TextChoices):
        ASSOCIATION = "association", _("association (biedrība)")
        FOUNDATION = "foundation", _("foundation (nodibinājums)")
        MUNICIPAL = "municipal", _("municipal institution")
        HOUSING = "housing", _("housing management association")
        OTHER = "other", _("other")

    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.CASCADE, related_name="organisations"
    )
    name = models.CharField(_("name"), max_length=250)
    slug = models.SlugField(_("short name"), max_length=80)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.ASSOCIATION
    )
    registration_number = models.CharField(_("registration number"), max_length=20, blank=True)
    description = models.TextField(_("description"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="OrganisationMembership", related_name="organisations"
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "slug"], name="organisation_slug_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class OrganisationMembership(models.Model):
    class Role(models.TextChoices):
        REPRESENTATIVE = "representative", _("representative")
        MEMBER = "member", _("member")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation membership")
        verbose_name_plural = _("organisation memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"


class CensusImport(models.Model):
    """One upload of the residents' register extract; replaces the previous census."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("importing")
        SUCCEEDED = "succeeded", _("imported")
        FAILED = "failed", _("refused")

    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    file_name = models.CharField(_("file"), max_length=255)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    imported_rows = models.PositiveIntegerField(_("rows imported"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    # The uploaded file, kept only until the import task has read it (then emptied): the
    # database is the one store every worker shares, and the file must not outlive the
    # import (it holds personal codes and, often, addresses).
    pending_file = models.BinaryField(default=b"", blank=True, editable=False)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("census import")
        verbose_name_plural = _("census imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def progress_percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0


class CensusRecord(models.Model):
    """A declared resident: the identity key, where they live, and their birth date
    (needed for the 16+ age rules; new-format personal codes carry none)."""

    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    identity_key = models.CharField(max_length=IDENTITY_KEY_LENGTH)
    neighbourhood = models.ForeignKey(
        "core.Neighbourhood", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    birth_date = models.DateField()
    census_import = models.ForeignKey(
        CensusImport, on_delete=models.CASCADE, related_name="records"
    )

    class Meta:
        verbose_name = _("census record")
        verbose_name_plural = _("census records")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "identity_key"], name="one_census_record_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.identity_key[:8]}… ({self.municipality_id})"


class Residency(models.Model):
    """A verified residence: person (identity key) × municipality, with neighbourhood and
    birth date, valid until ``expires_at`` unless revoked."""

    class Method(models.TextChoices):
        CENSUS = "census", _("personal code checked against the residents' register")
        EID = "eid", _("e-identification")
        STAFF = "staff", _("checked in person by staff")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="residencies"
    )
    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    identity_key = models.CharField(max_length=IDENTITY_KEY_LENGTH, db_index=True)
    neighbourhood = models.ForeignKey(
        "core.Neighbourhood",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("neighbourhood"),
    )
    birth_date = models.DateField(_("birth date"))
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    verified_at = models.DateTimeField(_("verified"), default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("residency")
        verbose_name_plural = _("residencies")
        ordering = ["-verified_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_residency_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.municipality}"

    def is_valid(self, at=None) -> bool:
        at = at or timezone.now()
        return self.revoked_at is None and self.expires_at > at

    @property
    def age_band(self) -> str:
        """The published age band today (``"0-15"``, ``"16-17"``, …)."""
        return personalcode.age_band(self.birth_date, timezone.localdate())

    @property
    def is_adult_16(self) -> bool:
        """Aged 16 or more today: the age Latvian law sets for voting and submitting."""
        return personalcode.age_on(self.birth_date, timezone.localdate()) >= 16


class ApiToken(models.Model):
    """A bearer token for integrations; only its SHA-256 is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
