import json

import pytest
from django.urls import reverse

from lidzdaliba.accounts.models import CensusImport, CensusRecord, Residency
from lidzdaliba.core.models import AuditEvent

from .conftest import CENSUS, NOT_IN_CENSUS, csv_bytes


def test_profile_shows_details_status_and_links(client, verified_resident):
    client.force_login(verified_resident)
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 200
    html = response.content.decode()
    assert verified_resident.email in html
    assert "Karosta" in html
    assert reverse("account_change_password") in html
    assert reverse("mfa_index") in html
    assert reverse("accounts:data_export") in html
    assert reverse("accounts:census") not in html
    residency = Residency.objects.get(user=verified_resident)
    assert residency.expires_at.strftime("%Y") in html


def test_profile_links_to_staff_pages_for_administrator(administrator_client):
    html = administrator_client.get(reverse("accounts:profile")).content.decode()
    assert reverse("accounts:census") in html
    assert reverse("accounts:residencies") in html


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_verify_page_verifies_a_code_in_the_census(client, resident, census):
    client.force_login(resident)
    response = client.post(reverse("accounts:verify"), {"personal_code": "150385-10009"})
    assert response.status_code == 302
    residency = Residency.objects.get(user=resident)
    assert residency.neighbourhood.slug == "karosta"
    page = client.get(response["Location"]).content.decode()
    assert "Karosta" in page


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("150385-10008", "mistyped"),
        ("hello", "11 digits"),
        (NOT_IN_CENSUS, "not in the residents&#x27; register"),
    ],
)
def test_verify_page_explains_refusal(client, resident, census, code, message):
    client.force_login(resident)
    response = client.post(reverse("accounts:verify"), {"personal_code": code})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Residency.objects.exists()


def test_profile_edit_changes_name_language_and_neighbourhood(client, resident, municipality):
    client.force_login(resident)
    tosmare = municipality.neighbourhoods.get(slug="tosmare")
    response = client.post(
        reverse("accounts:profile_edit"),
        {"full_name": "Anna Bērziņa", "preferred_language": "ru", "neighbourhood": tosmare.pk},
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert (resident.full_name, resident.preferred_language) == ("Anna Bērziņa", "ru")
    assert resident.neighbourhood == tosmare
    event = AuditEvent.objects.get(verb="account.profile_updated")
    assert set(event.data["fields"]) == {"full_name", "preferred_language", "neighbourhood"}


def test_verified_neighbourhood_overrides_the_chosen_one(client, verified_resident, municipality):
    verified_resident.neighbourhood = municipality.neighbourhoods.get(slug="tosmare")
    verified_resident.save()
    client.force_login(verified_resident)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert "Karosta" in html
    assert "Tosmare" not in html


def test_staff_census_upload_shows_progress_and_result(
    administrator_client, municipality, census, django_capture_on_commit_callbacks
):
    upload = csv_bytes("personal_code;neighbourhood", "220705-20000;karosta", delimiter=";")
    from django.core.files.uploadedfile import SimpleUploadedFile

    with django_capture_on_commit_callbacks(execute=True):
        response = administrator_client.post(
            reverse("accounts:census"),
            {"file": SimpleUploadedFile("census.csv", upload, content_type="text/csv")},
        )
    assert response.status_code == 302
    census_import = CensusImport.objects.latest("created_at")
    assert response["Location"] == reverse("accounts:census_import", args=[census_import.pk])
    page = administrator_client.get(response["Location"])
    assert "1 of 1" in page.content.decode()
    partial = administrator_client.get(response["Location"], headers={"HX-Request": "true"})
    assert b"<html" not in partial.content
    assert b"import-progress" in partial.content
    assert b"hx-trigger" not in partial.content  # finished: polling stops
    assert CensusRecord.objects.filter(municipality=municipality).count() == 1


def test_staff_census_upload_lists_row_errors(
    administrator_client, census, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = csv_bytes("personal_code,neighbourhood", "220705-20000,karosta", "12,Mars")
    with django_capture_on_commit_callbacks(execute=True):
        response = administrator_client.post(
            reverse("accounts:census"), {"file": SimpleUploadedFile("c.csv", upload)}
        )
    page = administrator_client.get(response["Location"]).content.decode()
    assert "<td>3</td>" in page
    assert CensusRecord.objects.count() == len(CENSUS)


def test_staff_census_upload_refuses_wrong_file_at_once(administrator_client, census):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = administrator_client.post(
        reverse("accounts:census"), {"file": SimpleUploadedFile("c.csv", b"name\nAnna\n")}
    )
    assert response.status_code == 200
    assert "personal_code" in response.content.decode()
    assert CensusImport.objects.count() == 1


@pytest.mark.parametrize("who", ["verified_resident", "moderator"])
def test_staff_pages_refused_to_others(client, request, who):
    from .conftest import with_totp

    user = request.getfixturevalue(who)
    client.force_login(with_totp(user))
    for name in ("accounts:census", "accounts:residencies"):
        assert client.get(reverse(name)).status_code == 403


def test_staff_revokes_one_and_all_residencies(administrator_client, verified_resident):
    residency = Residency.objects.get(user=verified_resident)
    page = administrator_client.get(reverse("accounts:residencies"))
    assert verified_resident.email in page.content.decode()
    response = administrator_client.post(
        reverse("accounts:residency_revoke", args=[residency.pk]), {"reason": "Moved to Rīga"}
    )
    assert response.status_code == 302
    residency.refresh_from_db()
    assert residency.revoked_reason == "Moved to Rīga"


def test_revoke_all_needs_confirmation(administrator_client, verified_resident):
    administrator_client.post(reverse("accounts:residencies_revoke_all"), {"reason": "New census"})
    assert Residency.objects.filter(revoked_at__isnull=True).count() == 1
    administrator_client.post(
        reverse("accounts:residencies_revoke_all"), {"reason": "New census", "confirm": "on"}
    )
    assert Residency.objects.filter(revoked_at__isnull=True).count() == 0


def test_pages_have_no_inline_script_or_style(client, administrator_client, verified_resident):
    pages = [
        reverse("accounts:census"),
        reverse("accounts:residencies"),
        reverse("accounts:profile"),
        reverse("accounts:verify"),
        reverse("accounts:profile_edit"),
        reverse("accounts:delete"),
    ]
    for url in pages:
        html = administrator_client.get(url).content.decode()
        assert "<script>" not in html, url
        assert "style=" not in html, url
        assert "<style" not in html, url


def test_data_export_is_json_with_everything(client, verified_resident):
    client.force_login(verified_resident)
    client.post(
        reverse("accounts:profile_edit"),
        {"full_name": "Jānis", "preferred_language": "lv", "neighbourhood": ""},
    )
    response = client.get(reverse("accounts:data_export"))
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == verified_resident.email
    assert data["email_addresses"][0]["email"] == verified_resident.email
    assert data["residencies"][0]["neighbourhood"] == "Karosta"
    assert "personal code" in data["residencies"][0]["identity_key_explained"]
    assert [a["action"] for a in data["actions"]] == ["account.profile_updated"]
    assert AuditEvent.objects.filter(verb="account.data_exported").count() == 1
