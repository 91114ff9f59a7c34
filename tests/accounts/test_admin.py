import re

import pytest
from django.urls import reverse

from lidzdaliba.accounts.models import (
    ApiToken,
    CensusImport,
    Organisation,
    OrganisationMembership,
    Residency,
)
from lidzdaliba.core.models import AuditEvent
from tests.factories import UserFactory


@pytest.mark.parametrize(
    "model",
    ["user", "organisation", "organisationmembership", "censusimport", "residency", "apitoken"],
)
def test_admin_lists_load(administrator_client, verified_resident, census, model):
    response = administrator_client.get(reverse(f"admin:accounts_{model}_changelist"))
    assert response.status_code == 200


def test_user_change_page_has_residency_inline_and_no_password_hash(
    administrator_client, verified_resident
):
    response = administrator_client.get(
        reverse("admin:accounts_user_change", args=[verified_resident.pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Karosta" in html
    assert verified_resident.password not in html
    assert 'name="password"' not in html


def test_census_import_is_read_only_with_link(administrator_client, census):
    response = administrator_client.get(
        reverse("admin:accounts_censusimport_change", args=[census.pk])
    )
    assert reverse("accounts:census_import", args=[census.pk]) in response.content.decode()
    assert administrator_client.get(reverse("admin:accounts_censusimport_add")).status_code == 403
    assert CensusImport.objects.count() == 1


def test_revoke_action_asks_reason_then_revokes(administrator_client, verified_resident):
    residency = Residency.objects.get(user=verified_resident)
    url = reverse("admin:accounts_residency_changelist")
    data = {"action": "revoke", "_selected_action": [residency.pk]}
    page = administrator_client.post(url, data)
    assert page.status_code == 200
    assert 'name="reason"' in page.content.decode()
    residency.refresh_from_db()
    assert residency.revoked_at is None
    administrator_client.post(url, {**data, "apply": "1", "reason": "Deceased"})
    residency.refresh_from_db()
    assert residency.revoked_reason == "Deceased"
    assert AuditEvent.objects.filter(verb="residency.revoked").count() == 1


def test_approve_representative(administrator_client, municipality):
    organisation = Organisation.objects.create(municipality=municipality, name="B", slug="b")
    membership = OrganisationMembership.objects.create(
        user=UserFactory(), organisation=organisation, role="representative"
    )
    administrator_client.post(
        reverse("admin:accounts_organisationmembership_changelist"),
        {"action": "approve", "_selected_action": [membership.pk]},
    )
    membership.refresh_from_db()
    assert membership.approved_at is not None


def test_api_token_created_in_admin_is_shown_once(administrator_client, resident):
    response = administrator_client.post(
        reverse("admin:accounts_apitoken_add"),
        {"user": resident.pk, "name": "Open data portal"},
        follow=True,
    )
    assert response.status_code == 200
    html = response.content.decode()
    key = re.search(r"lp_[A-Za-z0-9_\-]+", html).group(0)
    token = ApiToken.objects.get()
    assert token.name == "Open data portal"
    assert key.startswith(token.prefix)
    assert key not in token.key_hash
    # shown only once: the change page no longer has it
    again = administrator_client.get(reverse("admin:accounts_apitoken_change", args=[token.pk]))
    assert key not in again.content.decode()
    assert (
        administrator_client.get(
            "/api/accounts/me", headers={"Authorization": f"Bearer {key}"}
        ).json()["email"]
        == resident.email
    )
