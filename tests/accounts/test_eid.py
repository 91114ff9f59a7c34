"""e-identification through OpenID Connect, against a real (small) provider over HTTP."""

import json
from urllib.parse import urlparse

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.contrib.messages import get_messages
from django.test import override_settings
from django.urls import reverse

from lidzdaliba.accounts.models import Residency, User
from lidzdaliba.core.models import AuditEvent
from tests.factories import UserFactory

from .conftest import NOT_IN_CENSUS, key
from .oidc_provider import OidcProvider


@pytest.fixture
def provider(db):
    with OidcProvider() as running, override_settings(SOCIALACCOUNT_PROVIDERS=running.settings()):
        yield running


def person(code, *, email="anna@example.lv", sub="eid-subject-1", claim="personal_code"):
    return {
        "sub": sub,
        claim: code,
        "name": "Anna Bērziņa",
        "given_name": "Anna",
        "family_name": "Bērziņa",
        "email": email,
        "email_verified": True,
    }


def eid_login(client, provider, claims):
    """Log in with e-identification as the person ``claims`` describes."""
    provider.person = claims
    start = client.post(reverse("openid_connect_login", kwargs={"provider_id": "eid"}))
    assert start.status_code == 302, start.content[:500]
    assert start["Location"].startswith(f"{provider.url}/authorize?")
    # the browser goes to the provider, which sends it back with a code
    authorize = requests.get(start["Location"], allow_redirects=False, timeout=10)
    assert authorize.status_code == 302
    back = urlparse(authorize.headers["Location"])
    assert back.path == reverse("openid_connect_callback", kwargs={"provider_id": "eid"})
    return client.get(f"{back.path}?{back.query}")


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _stored_text():
    """Everything allauth and we stored about social logins and residencies."""
    return json.dumps(
        [
            list(SocialAccount.objects.values("uid", "extra_data")),
            list(Residency.objects.values_list("identity_key", "method")),
            list(AuditEvent.objects.values_list("data", flat=True)),
        ],
        default=str,
    )


def test_resident_logging_in_with_eid_is_verified(client, provider, municipality, census):
    # when a resident in the census logs in with e-identification for the first time
    response = eid_login(client, provider, person("150385-10009"))
    # then they are logged in, with a new account, verified in their census neighbourhood
    assert response.status_code == 302
    user = User.objects.get(email="anna@example.lv")
    assert response.wsgi_request.user == user
    assert user.full_name == "Anna Bērziņa"
    residency = Residency.objects.get(user=user)
    assert residency.method == Residency.Method.EID
    assert residency.neighbourhood.slug == "karosta"
    assert residency.identity_key == key("150385-10009")
    user.refresh_from_db()
    assert user.neighbourhood.slug == "karosta"
    assert any("verified" in m for m in _messages(response))
    # and the provider was really called over HTTP
    assert {"POST /token", "GET /userinfo", "GET /.well-known/openid-configuration"} <= set(
        provider.requests
    )
    # and the personal code was not stored anywhere
    stored = _stored_text()
    assert "150385" not in stored
    assert "15038510009" not in stored
    account = SocialAccount.objects.get(user=user)
    assert account.extra_data["lidzdaliba"]["personal_code"] == "ok"
    assert "personal_code" not in account.extra_data["userinfo"]
    assert "personal_code" not in account.extra_data["id_token"]
    assert account.extra_data["userinfo"]["name"] == "Anna Bērziņa"


def test_code_not_in_census_logs_in_but_does_not_verify(client, provider, municipality, census):
    response = eid_login(client, provider, person(NOT_IN_CENSUS))
    user = User.objects.get(email="anna@example.lv")
    assert response.wsgi_request.user == user
    assert not Residency.objects.filter(user=user).exists()
    messages = _messages(response)
    assert any("not verified" in m and "residents' register" in m for m in messages), messages
    # the profile says so too
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "not verified yet" in page
    assert "220705" not in _stored_text()


def test_returning_eid_user_is_verified_again(client, provider, municipality, census):
    # given a person who logged in with e-ID before, then logged out
    eid_login(client, provider, person("010190-10001"))
    client.post(reverse("account_logout"))
    user = User.objects.get(email="anna@example.lv")
    Residency.objects.filter(user=user).update(revoked_at="2026-01-01T00:00:00Z")
    # when they log in again
    response = eid_login(client, provider, person("010190-10001"))
    # then the same account is used and verified again
    assert response.wsgi_request.user == user
    assert User.objects.count() == 1
    assert Residency.objects.filter(user=user, revoked_at__isnull=True).count() == 1


def test_subject_that_is_the_personal_code_is_replaced(client, provider, municipality, census):
    # given a provider that uses the personal code as subject, in the ETSI form
    claims = person("PNOLV-010190-10001", sub="PNOLV-010190-10001")
    eid_login(client, provider, claims)
    account = SocialAccount.objects.get()
    assert account.uid == f"ik:{key('010190-10001')}"
    assert "010190" not in _stored_text()
    assert "01019010001" not in _stored_text()
    assert Residency.objects.get().method == Residency.Method.EID


def test_missing_claim_logs_in_with_a_clear_message(client, provider, municipality, census):
    claims = person("150385-10009", claim="something_else")
    claims.pop("something_else")
    response = eid_login(client, provider, claims)
    assert response.wsgi_request.user.is_authenticated
    assert not Residency.objects.exists()
    assert any("did not tell us your personal code" in m for m in _messages(response))


def test_eid_takes_over_a_code_typed_on_another_account(client, provider, municipality, census):
    # given someone verified with a typed code on another account
    from lidzdaliba.accounts import services

    other = UserFactory(municipality=municipality)
    services.residency_verify_code(user=other, municipality=municipality, code="010190-10001")
    # when the person proves the code with e-identification
    eid_login(client, provider, person("010190-10001"))
    # then the residency moves to the e-identified account
    assert not Residency.objects.filter(user=other, revoked_at__isnull=True).exists()
    assert Residency.objects.get(revoked_at__isnull=True).user.email == "anna@example.lv"
