"""Fixtures for the core tests: people with a second factor, commentable content, files."""

import pytest
from django.core.cache import cache

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def with_totp(user):
    """Give ``user`` an activated authenticator app, so staff pages let them in."""
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, TOTP_SECRET)
    return user


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(with_totp(administrator))
    return client


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(with_totp(moderator))
    return client


@pytest.fixture
def commentable(neighbourhood):
    """A neighbourhood that accepts comments for the length of the test."""
    from lidzdaliba.core.models import Neighbourhood
    from lidzdaliba.core.services.comments import COMMENT_TARGETS, comment_target_register

    comment_target_register(Neighbourhood)
    yield neighbourhood
    COMMENT_TARGETS.pop("core.neighbourhood", None)
