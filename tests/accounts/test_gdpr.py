"""Download my data and delete my account."""

import json

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from lidzdaliba.accounts import gdpr, services
from lidzdaliba.accounts.models import (
    ApiToken,
    Organisation,
    OrganisationMembership,
    Residency,
    User,
)
from lidzdaliba.core.models import AuditEvent
from tests.factories import PASSWORD


@pytest.fixture
def member(verified_resident, municipality):
    organisation = Organisation.objects.create(
        municipality=municipality, name="Kaimiņi", slug="kaimini"
    )
    OrganisationMembership.objects.create(
        user=verified_resident,
        organisation=organisation,
        role=OrganisationMembership.Role.REPRESENTATIVE,
        approved_at=timezone.now(),
    )
    services.profile_update(actor=verified_resident, user=verified_resident, full_name="Ieva")
    return verified_resident


def test_export_contains_everything_stored(member):
    data = gdpr.collect(member)
    assert data["account"]["full_name"] == "Ieva"
    assert data["email_addresses"] == [{"email": member.email, "verified": True, "primary": True}]
    assert data["residencies"][0]["method"] == "census"
    assert data["organisations"] == [
        {
            "organisation": "Kaimiņi",
            "role": "representative",
            "approved_at": data["organisations"][0]["approved_at"],
            "requested_at": data["organisations"][0]["requested_at"],
        }
    ]
    assert [a["action"] for a in data["actions"]] == ["account.profile_updated"]
    json.dumps(data)  # serialisable as it is


def test_modules_can_register_their_own_section(member):
    gdpr.register_section("ideas", lambda user: [{"title": f"Idea of {user.full_name}"}])
    try:
        assert gdpr.collect(member)["ideas"] == [{"title": "Idea of Ieva"}]
        assert "ideas" in gdpr.sections()
    finally:
        gdpr.unregister_section("ideas")
    assert "ideas" not in gdpr.collect(member)


def test_delete_account_removes_personal_data_and_keeps_anonymous_audit(client, member):
    # given a verified member with audit history
    pk, email = member.pk, member.email
    client.post(reverse("account_login"), {"login": email, "password": "wrong"})
    assert AccessAttempt.objects.filter(username=email).exists()
    client.force_login(member)
    # when they delete their account with their password
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD})
    # then they are logged out and the account and its personal data are gone
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(pk=pk).exists()
    assert not EmailAddress.objects.filter(email=email).exists()
    assert not Residency.objects.filter(user_id=pk).exists()
    assert not OrganisationMembership.objects.filter(user_id=pk).exists()
    assert not AccessAttempt.objects.filter(username=email).exists()
    # and the audit log keeps what happened, without the person
    events = AuditEvent.objects.filter(verb__in=["account.profile_updated", "account.deleted"])
    assert events.count() == 2
    for event in events:
        assert event.actor is None
        assert email not in event.actor_label
        assert "Ieva" not in event.target_label


def test_wrong_password_deletes_nothing(client, member):
    client.force_login(member)
    events = AuditEvent.objects.count()
    response = client.post(reverse("accounts:delete"), {"password": "not-my-password"})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert User.objects.filter(pk=member.pk).exists()
    assert Residency.objects.filter(user=member).exists()
    assert AuditEvent.objects.count() == events


def test_account_without_password_confirms_with_email(member):
    member.set_unusable_password()
    member.save()
    with pytest.raises(services.NotAllowed):
        services.account_delete(actor=member, user=member, confirm_email="other@example.lv")
    assert User.objects.filter(pk=member.pk).exists()
    services.account_delete(actor=member, user=member, confirm_email=member.email.upper())
    assert not User.objects.filter(pk=member.pk).exists()


def test_nobody_deletes_someone_else(member, moderator):
    with pytest.raises(services.NotAllowed):
        services.account_delete(actor=moderator, user=member, password=PASSWORD)
    assert User.objects.filter(pk=member.pk).exists()
    assert not ApiToken.objects.exists()
