"""Fixtures for the accounts tests: a small census and helpers to build census files."""

import datetime as dt

import pytest
from django.conf import settings

import personalcode
from lidzdaliba.accounts.models import CensusImport, CensusRecord

# (personal code, neighbourhood slug, birth date for new-format codes)
CENSUS = [
    ("010190-10001", "vecliepaja", None),
    ("150385-10009", "karosta", None),
    ("320000-10003", "tosmare", dt.date(1979, 4, 12)),
]
NOT_IN_CENSUS = "220705-20000"


def key(code: str) -> str:
    return personalcode.identity_key(code, key=settings.PERSONAL_CODE_HMAC_KEY)


def csv_bytes(*lines: str, delimiter: str = ",", bom: bool = False) -> bytes:
    text = "\n".join(line.replace(",", delimiter) for line in lines) + "\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode()


@pytest.fixture
def census(municipality):
    """The municipality's census holds the codes in ``CENSUS``."""
    census_import = CensusImport.objects.create(
        municipality=municipality,
        file_name="census.csv",
        status=CensusImport.Status.SUCCEEDED,
    )
    neighbourhoods = {n.slug: n for n in municipality.neighbourhoods.all()}
    for code, slug, born in CENSUS:
        CensusRecord.objects.create(
            municipality=municipality,
            identity_key=key(code),
            neighbourhood=neighbourhoods[slug],
            birth_date=born or personalcode.birth_date(code),
            census_import=census_import,
        )
    return census_import


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def with_totp(user):
    """Give ``user`` an activated authenticator app (TOTP) with :data:`TOTP_SECRET`."""
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, TOTP_SECRET)
    return user


@pytest.fixture
def administrator_client(client, administrator):
    """A client logged in as an administrator who has set up the second factor."""
    client.force_login(with_totp(administrator))
    return client
