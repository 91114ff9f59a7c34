"""Fixtures every test may use: the Liepāja municipality and people in each role."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone

import personalcode
from lidzdaliba.accounts import roles
from lidzdaliba.accounts.models import Residency
from lidzdaliba.core.demo.load import load_places
from tests.factories import UserFactory

STAFF_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXQ"


@pytest.fixture
def municipality(db):
    """Liepāja with its nine (illustrative) neighbourhoods."""
    return load_places()


@pytest.fixture
def neighbourhood(municipality):
    return municipality.neighbourhoods.get(slug="karosta")


def make_resident(municipality, neighbourhood, *, code="010190-10001", born=None, **kwargs):
    """A user with a valid residency for the personal code ``code``."""
    user = UserFactory(municipality=municipality, neighbourhood=neighbourhood, **kwargs)
    Residency.objects.create(
        user=user,
        municipality=municipality,
        identity_key=personalcode.identity_key(code, key=settings.PERSONAL_CODE_HMAC_KEY),
        neighbourhood=neighbourhood,
        birth_date=born or personalcode.birth_date(code) or dt.date(1980, 1, 1),
        method=Residency.Method.CENSUS,
        expires_at=timezone.now() + dt.timedelta(days=365),
    )
    return user


@pytest.fixture
def anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


@pytest.fixture
def resident(municipality):
    """Signed up, not verified."""
    return UserFactory(municipality=municipality)


@pytest.fixture
def verified_resident(municipality, neighbourhood):
    return make_resident(municipality, neighbourhood)


@pytest.fixture
def moderator(municipality):
    user = UserFactory(municipality=municipality, is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=roles.MODERATORS)[0])
    return user


@pytest.fixture
def administrator(municipality):
    user = UserFactory(municipality=municipality, is_staff=True, is_superuser=True)
    user.groups.add(Group.objects.get_or_create(name=roles.ADMINISTRATORS)[0])
    return user


@pytest.fixture
def officer_factory(municipality):
    """``make(module, totp=False)``: an officer of that module; with ``totp=True`` also the
    authenticator app that every staff role needs before staff pages let them in."""

    def make(module: str, *, totp: bool = False):
        from allauth.mfa.totp.internal.auth import TOTP

        user = UserFactory(municipality=municipality, is_staff=True)
        user.groups.add(Group.objects.get_or_create(name=roles.officer_group(module))[0])
        if totp:
            TOTP.activate(user, STAFF_TOTP_SECRET)
        return user

    return make


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and lockouts live in the cache: every test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english_messages():
    """Code called directly by a test speaks English, so tests can quote the English
    msgids whatever the translations say; pages still answer in their URL's language."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _sdg_taxonomy(request):
    """The SDG goals come from a data migration; a transactional test elsewhere in the run
    empties every table afterwards, so load them again when they are missing."""
    names = request.fixturenames
    if "transactional_db" in names or "live_server" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names:
        request.getfixturevalue("db")
    elif not request.node.get_closest_marker("django_db"):
        return
    import importlib

    from django.apps import apps

    from lidzdaliba.core.models import SdgGoal

    if not SdgGoal.objects.exists():
        importlib.import_module("lidzdaliba.core.migrations.0002_sdg_taxonomy").load(apps, None)
