"""Fixtures for collective submissions: submissions at each stage and people who sign."""

import functools
import itertools

import pytest
from django.core.cache import cache

from lidzdaliba.core.demo.load import personal_code_with_check_digit
from lidzdaliba.petitions import services
from lidzdaliba.petitions.models import CollectiveSubmission, Status
from tests.conftest import make_resident

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
_serial = itertools.count(1)

TEXT = {
    "title": "Apgaismojums Karostas ielā",
    "demand": "Lūdzam uzstādīt ielu apgaismojumu Karostas ielā.",
    "justification": "Vakaros iela ir tumša un bīstama gājējiem.",
    "representative_name": "Anna Bērziņa",
    "representative_email": "anna@example.lv",
    "representative_phone": "+371 20000000",
}


def with_totp(user):
    """Give ``user`` an activated authenticator app, so staff pages let them in."""
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, TOTP_SECRET)
    return user


def new_code(born_yy_century: str = "90-1") -> str:
    """A fresh valid old-format personal code (born in January 1990 by default)."""
    yy, century = born_yy_century.split("-")
    n = next(_serial)
    day = 1 + (n // 1000) % 28
    return personal_code_with_check_digit(f"{day:02d}01{yy}{century}{n % 1000:03d}")


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def make_signer(municipality, neighbourhood, *, code=None, **kwargs):
    """(user, personal code) of a new verified adult resident."""
    code = code or new_code()
    return make_resident(municipality, neighbourhood, code=code, **kwargs), code


@pytest.fixture
def signer_factory(municipality, neighbourhood):
    """``signer_factory()`` → (user, personal code) of a new verified adult resident."""
    return functools.partial(make_signer, municipality, neighbourhood)


@pytest.fixture
def author(municipality, neighbourhood):
    return make_resident(municipality, neighbourhood, code=new_code())


@pytest.fixture
def draft(author, municipality):
    return services.submission_create(actor=author, municipality=municipality, **TEXT)


@pytest.fixture
def in_review(draft, author):
    return services.submission_submit(actor=author, submission=draft)


@pytest.fixture
def signing(in_review, moderator, municipality):
    """Open for signing with a threshold of 3."""
    municipality.collective_submission_threshold = 3
    municipality.save()
    return services.submission_publish(actor=moderator, submission=in_review)


@pytest.fixture
def petitions_officer(officer_factory):
    return officer_factory("petitions")


def sign(submission, user, code, **overrides):
    first, _, last = (user.full_name or "Jānis Bērziņš").partition(" ")
    fields = {
        "first_name": first or "Jānis",
        "last_name": last or "Bērziņš",
        "personal_code": code,
        "declared_eligible": True,
        **overrides,
    }
    return services.signature_add(actor=user, submission=submission, **fields)


@pytest.fixture
def sent(signing, signer_factory):
    """Reached its threshold of 3 and went to the municipality."""
    for _ in range(3):
        sign(signing, *signer_factory())
    signing.refresh_from_db()
    assert signing.status == Status.SENT
    return signing


def reload(submission) -> CollectiveSubmission:
    return CollectiveSubmission.objects.get(pk=submission.pk)
