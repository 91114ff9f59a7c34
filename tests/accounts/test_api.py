import datetime as dt

import pytest
from django.utils import timezone

from lidzdaliba.accounts import services
from lidzdaliba.accounts.models import ApiToken
from lidzdaliba.core.models import AuditEvent
from tests.factories import UserFactory

ME = "/api/accounts/me"


def test_me_with_session_shows_profile_and_residency(client, verified_resident):
    client.force_login(verified_resident)
    response = client.get(ME)
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == verified_resident.email
    assert body["neighbourhood"] == {"slug": "karosta", "name": "Karosta"}
    residency = body["residency"]
    assert residency["status"] == "verified"
    assert residency["method"] == "census"
    assert residency["age_band"] == "35-44"
    assert residency["is_adult_16"] is True
    assert "identity_key" not in response.content.decode()


def test_me_for_unverified_resident(client, resident):
    client.force_login(resident)
    assert client.get(ME).json()["residency"] == {
        "status": "unverified",
        "municipality": None,
        "neighbourhood": None,
        "method": None,
        "verified_at": None,
        "expires_at": None,
        "age_band": None,
        "is_adult_16": None,
    }


def test_me_without_login_is_401_with_translated_detail(client, db):
    response = client.get(ME)
    assert response.status_code == 401
    assert set(response.json()) == {"detail"}
    english = client.get(ME, headers={"Accept-Language": "en"}).json()["detail"]
    assert "API token" in english


def test_bearer_token_authenticates_and_records_use(client, administrator, verified_resident):
    # given a token an administrator created for an integration account
    token, plain_key = services.api_token_create(
        actor=administrator, user=verified_resident, name="City CRM"
    )
    stored = ApiToken.objects.get(pk=token.pk)
    assert plain_key not in (stored.key_hash, stored.prefix)
    assert len(stored.key_hash) == 64
    assert AuditEvent.objects.filter(verb="api_token.created").exists()
    # when the integration calls the API with it
    response = client.get(ME, headers={"Authorization": f"Bearer {plain_key}"})
    # then it acts as that account, and the token's use is recorded
    assert response.status_code == 200
    assert response.json()["email"] == verified_resident.email
    stored.refresh_from_db()
    assert stored.last_used_at is not None


@pytest.mark.parametrize("case", ["wrong key", "revoked", "inactive user"])
def test_bad_tokens_are_refused(client, administrator, verified_resident, case):
    token, plain_key = services.api_token_create(
        actor=administrator, user=verified_resident, name="x"
    )
    if case == "wrong key":
        plain_key += "x"
    elif case == "revoked":
        services.api_token_revoke(actor=administrator, token=token)
    else:
        verified_resident.is_active = False
        verified_resident.save()
    response = client.get(ME, headers={"Authorization": f"Bearer {plain_key}"})
    assert response.status_code == 401
    assert "detail" in response.json()
    token.refresh_from_db()
    assert token.last_used_at is None


def test_authenticate_updates_last_used_at_most_once_a_minute(administrator, resident):
    token, plain_key = services.api_token_create(actor=administrator, user=resident, name="x")
    first = services.api_token_authenticate(plain_key).last_used_at
    assert services.api_token_authenticate(plain_key).last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - dt.timedelta(hours=1))
    assert services.api_token_authenticate(plain_key).last_used_at > first


def test_resident_may_not_create_tokens(resident):
    with pytest.raises(services.NotAllowed):
        services.api_token_create(actor=resident, user=resident, name="mine")
    assert not ApiToken.objects.exists()
    other = UserFactory()
    assert services.api_token_authenticate("") is None
    assert other.api_tokens.count() == 0
