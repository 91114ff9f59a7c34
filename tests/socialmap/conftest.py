"""Social-map fixtures: the demo directory, an organisation and its representative."""

import pytest
from django.utils import timezone

from lidzdaliba.accounts.models import Organisation, OrganisationMembership
from lidzdaliba.socialmap.demo import load_socialmap_demo
from lidzdaliba.socialmap.models import Service
from tests.factories import UserFactory


@pytest.fixture
def directory(municipality):
    """The demo social map of Liepāja (14 needs, 13 providers, 40+ services)."""
    load_socialmap_demo(municipality)
    return municipality


@pytest.fixture
def organisation(directory):
    return Organisation.objects.get(municipality=directory, slug="liepajas-novada-fonds")


@pytest.fixture
def representative(organisation):
    user = UserFactory(municipality=organisation.municipality)
    OrganisationMembership.objects.create(
        user=user,
        organisation=organisation,
        role=OrganisationMembership.Role.REPRESENTATIVE,
        approved_at=timezone.now(),
    )
    return user


@pytest.fixture
def service(organisation):
    return Service.objects.filter(provider__organisation=organisation).order_by("name_en").first()


@pytest.fixture(autouse=True)
def _latvian():
    """Pages and ``reverse`` in Latvian unless a test asks otherwise (a request in another
    language leaves that language active in the thread)."""
    from django.utils import translation

    with translation.override("lv"):
        yield


def with_totp(user):
    """Staff pages (``/…/staff/``) need a second factor: give ``user`` one."""
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    return user


@pytest.fixture
def moderator(moderator):
    """A moderator with a second factor, as staff pages require."""
    return with_totp(moderator)


@pytest.fixture
def english(_latvian):
    """Messages in English (the msgids the assertions quote), also for ``reverse``."""
    from django.utils import translation

    with translation.override("en"):
        yield
