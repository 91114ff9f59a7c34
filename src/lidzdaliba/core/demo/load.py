"""Loads the Liepāja demo data. Idempotent: running it again updates, never duplicates."""

from __future__ import annotations

import datetime as dt
import random

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

import personalcode
from lidzdaliba.core.models import Municipality, Neighbourhood

from . import liepaja

DEMO_PASSWORD = "Liepaja-demo-2026"  # noqa: S105 - public demo login
# Base32 secret of the demo administrator's authenticator app entry (README lists it).
DEMO_ADMIN_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105

DEMO_USERS = [
    # email, name, groups, is_staff
    ("admin@liepaja.example", "Ilze Administratore", ["administrators"], True),
    ("officer@liepaja.example", "Jānis Ierēdnis", ["officers:budgeting", "officers:reports"], True),
    ("moderator@liepaja.example", "Līga Moderatore", ["moderators"], True),
    ("anna@liepaja.example", "Anna Bērziņa", [], False),
    ("peteris@liepaja.example", "Pēteris Kalniņš", [], False),
    ("olga@liepaja.example", "Olga Ivanova", [], False),
    ("ngo@liepaja.example", "Marta Ozola", [], False),
]
# Residents whose personal codes are in the demo census (the README lists them, so a
# visitor can try verification with them).
DEMO_CENSUS = [
    # (personal code, neighbourhood slug, birth date for new-format codes)
    ("010190-10001", "vecliepaja", None),
    ("150385-10009", "karosta", None),
    ("220705-20000", "ezerkrasts", None),
    ("320000-10003", "tosmare", dt.date(1979, 4, 12)),
]


def personal_code_with_check_digit(first_ten: str) -> str:
    """Complete ten digits into a valid personal code (the demo's synthetic residents)."""
    weights = (10, 5, 8, 4, 2, 1, 6, 3, 7, 9)
    check = (1 + sum(w * int(d) for w, d in zip(weights, first_ten, strict=True))) % 11 % 10
    return f"{first_ten[:6]}-{first_ten[6:]}{check}"


@transaction.atomic
def load_places() -> Municipality:
    data = dict(liepaja.MUNICIPALITY)
    municipality, _ = Municipality.objects.update_or_create(slug=data.pop("slug"), defaults=data)
    for slug, lv, en, ru, uk, population, bounds in liepaja.NEIGHBOURHOODS:
        Neighbourhood.objects.update_or_create(
            municipality=municipality,
            slug=slug,
            defaults={
                "name_lv": lv,
                "name_en": en,
                "name_ru": ru,
                "name_uk": uk,
                "population": population,
                "boundary": liepaja.box(*bounds),
                "description_lv": "Robežas demonstrācijas datos ir aptuvenas.",
                "description_en": "The boundary in the demo data is illustrative.",
            },
        )
    return municipality


@transaction.atomic
def load_organisations(municipality: Municipality) -> None:
    from lidzdaliba.accounts.models import Organisation

    for slug, name, kind, description in liepaja.ORGANISATIONS:
        Organisation.objects.update_or_create(
            municipality=municipality,
            slug=slug,
            defaults={"name": name, "kind": kind, "description": description},
        )


def synthetic_census(count: int, *, seed: int = 2026) -> list[tuple[str, str, dt.date]]:
    """``count`` made-up residents: (valid old-format personal code, neighbourhood slug,
    birth date), spread over the neighbourhoods by population."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    slugs = [n[0] for n in liepaja.NEIGHBOURHOODS]
    weights = [n[5] for n in liepaja.NEIGHBOURHOODS]
    rows = []
    for i in range(count):
        born = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 70))
        century = "1" if born.year < 2000 else "2"
        first_ten = f"{born:%d%m%y}{century}{i % 1000:03d}"
        rows.append(
            (personal_code_with_check_digit(first_ten), rng.choices(slugs, weights)[0], born)
        )
    return rows


@transaction.atomic
def load_people(municipality: Municipality) -> None:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    from lidzdaliba.accounts import roles
    from lidzdaliba.accounts.models import (
        CensusImport,
        CensusRecord,
        Organisation,
        OrganisationMembership,
        Residency,
        User,
    )

    for name in roles.STAFF_GROUPS:
        Group.objects.get_or_create(name=name)
    users = {}
    for email, full_name, groups, is_staff in DEMO_USERS:
        user, created = User.objects.get_or_create(email=email)
        user.full_name = full_name
        user.is_staff = is_staff
        user.is_superuser = "administrators" in groups
        user.municipality = municipality
        if created:
            user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set(Group.objects.filter(name__in=groups))
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        users[email] = user
    admin = users["admin@liepaja.example"]
    if not Authenticator.objects.filter(user=admin, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(admin, DEMO_ADMIN_TOTP_SECRET)

    census_import, _ = CensusImport.objects.get_or_create(
        municipality=municipality,
        file_name="demo-census.csv",
        defaults={"status": CensusImport.Status.SUCCEEDED, "finished_at": timezone.now()},
    )
    neighbourhoods = {n.slug: n for n in municipality.neighbourhoods.all()}
    key = settings.PERSONAL_CODE_HMAC_KEY
    rows = [
        (code, slug, born or personalcode.birth_date(code)) for code, slug, born in DEMO_CENSUS
    ] + synthetic_census(500)
    for code, slug, born in rows:
        CensusRecord.objects.update_or_create(
            municipality=municipality,
            identity_key=personalcode.identity_key(code, key=key),
            defaults={
                "neighbourhood": neighbourhoods[slug],
                "birth_date": born,
                "census_import": census_import,
            },
        )
    census_import.total_rows = census_import.processed_rows = census_import.imported_rows = len(
        rows
    )
    census_import.save()

    # Anna and Pēteris are verified residents; Olga has an account but has not verified yet.
    for email, (code, slug, born) in [
        ("anna@liepaja.example", rows[0]),
        ("peteris@liepaja.example", rows[1]),
    ]:
        user = users[email]
        user.neighbourhood = neighbourhoods[slug]
        user.save(update_fields=["neighbourhood"])
        Residency.objects.filter(user=user, municipality=municipality).delete()
        Residency.objects.create(
            user=user,
            municipality=municipality,
            identity_key=personalcode.identity_key(code, key=key),
            neighbourhood=neighbourhoods[slug],
            birth_date=born,
            method=Residency.Method.CENSUS,
            expires_at=timezone.now() + dt.timedelta(days=settings.RESIDENCY_VALID_DAYS),
        )
    fund = Organisation.objects.get(municipality=municipality, slug="liepajas-novada-fonds")
    OrganisationMembership.objects.update_or_create(
        user=users["ngo@liepaja.example"],
        organisation=fund,
        defaults={
            "role": OrganisationMembership.Role.REPRESENTATIVE,
            "approved_at": timezone.now(),
        },
    )


def load_all() -> Municipality:
    """Everything the demo needs; returns the municipality."""
    municipality = load_places()
    load_organisations(municipality)
    load_people(municipality)
    from lidzdaliba.budgeting.demo import load_budgeting
    from lidzdaliba.petitions.demo import load_petitions_demo
    from lidzdaliba.reports.demo import load_reports_demo
    from lidzdaliba.socialmap.demo import load_socialmap_demo

    load_socialmap_demo(municipality)
    load_petitions_demo(municipality)
    load_reports_demo(municipality)
    load_budgeting(municipality)
    return municipality
