"""Organisation and moderator pages (thin views over the services)."""

import pytest
from django.urls import reverse

from lidzdaliba.socialmap.models import ChangeRequest, Service


def _form_data(service, **changes):
    from lidzdaliba.socialmap import services

    values = services.service_values(service)
    data = {
        "name": values["name_lv"],
        "description": values["description_lv"],
        "eligibility": values["eligibility_lv"],
        "application_process": values["application_process_lv"],
        "required_documents": values["required_documents_lv"],
        "needs": values["needs"],
        "languages": values["languages"],
        "hours": values["hours"],
        "address": values["address"],
        "postal_code": values["postal_code"],
        "latitude": values["latitude"],
        "longitude": values["longitude"],
        "phone": values["phone"],
        "email": values["email"],
        "status": values["status"],
        "is_free": "on",
    }
    data.update(changes)
    return data


def test_representative_updates_a_service_through_the_form(
    client, representative, organisation, service
):
    client.force_login(representative)
    url = reverse("socialmap:service_edit", args=[organisation.slug, service.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _form_data(service, hours="MO-FR 10:00-18:00"))
    assert response.status_code == 302
    change = ChangeRequest.objects.get()
    assert change.payload["hours"] == "MO-FR 10:00-18:00"


@pytest.mark.usefixtures("english")
def test_form_shows_clear_errors_and_stores_nothing(client, representative, organisation, service):
    client.force_login(representative)
    url = reverse("socialmap:service_edit", args=[organisation.slug, service.pk])
    response = client.post(
        url,
        _form_data(
            service,
            hours="MO-FR 18:00-10:00",
            phone="123",
            description="<b>Bold</b>",
            latitude="56.95",
            longitude="24.10",
        ),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "closing time is not after the opening time" in body
    assert "is not a phone number" in body
    assert "HTML tags" in body
    assert not ChangeRequest.objects.exists()
    # the place outside the city is caught by the service once the rest is valid
    response = client.post(url, _form_data(service, latitude="56.95", longitude="24.10"))
    assert "outside" in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_someone_else_cannot_open_the_form(client, verified_resident, organisation, service):
    client.force_login(verified_resident)
    url = reverse("socialmap:service_edit", args=[organisation.slug, service.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, _form_data(service)).status_code == 403
    assert not ChangeRequest.objects.exists()


def test_moderator_approves_from_the_queue(
    client, representative, moderator, organisation, service
):
    client.force_login(representative)
    client.post(
        reverse("socialmap:service_edit", args=[organisation.slug, service.pk]),
        _form_data(service, name="Mantu maiņa"),
    )
    change = ChangeRequest.objects.get()
    client.force_login(moderator)
    page = client.get(reverse("socialmap:moderation")).content.decode()
    assert "Mantu maiņa" in page
    client.post(reverse("socialmap:change_decide", args=[change.pk]), {"decision": "approve"})
    assert Service.objects.get(pk=service.pk).name_lv == "Mantu maiņa"
    history = client.get(reverse("socialmap:service", args=[service.pk])).content.decode()
    assert "(lv)" in history
    assert "name_lv" not in history


def test_residents_cannot_see_the_moderation_queue(client, verified_resident, directory):
    client.force_login(verified_resident)
    assert client.get(reverse("socialmap:moderation")).status_code == 403


def test_manage_page_lists_the_organisations_services(client, representative, directory):
    client.force_login(representative)
    body = client.get(reverse("socialmap:manage")).content.decode()
    assert "Brīvprātīgo darba pieteikšanās" in body


def test_anyone_reports_outdated_information_from_the_service_page(client, service):
    url = reverse("socialmap:service_report", args=[service.pk])
    assert client.post(url, {"message": ""}).status_code == 400
    assert client.post(url, {"message": "Slēgts."}).status_code == 302
    assert service.reports.count() == 1


def test_reports_are_limited_per_address(client, service):
    from django.core.cache import cache

    from lidzdaliba.socialmap.views import REPORTS_PER_HOUR

    cache.clear()
    url = reverse("socialmap:service_report", args=[service.pk])
    for _ in range(REPORTS_PER_HOUR):
        assert client.post(url, {"message": "Slēgts."}).status_code == 302
    assert client.post(url, {"message": "Slēgts."}).status_code == 400
    assert service.reports.count() == REPORTS_PER_HOUR
    cache.clear()


def test_moderator_sees_and_merges_possible_duplicates(client, moderator, directory):
    from lidzdaliba.socialmap.models import Provider

    # given a second entry for the Red Cross, with the same phone
    keep = Provider.objects.get(name_en="Latvian Red Cross, Liepāja committee")
    duplicate = Provider.objects.create(
        municipality=directory, name_lv="LSK Liepājas nodaļa", description_lv="-", phone=keep.phone
    )
    client.force_login(moderator)
    page = client.get(reverse("socialmap:moderation")).content.decode()
    assert "LSK Liepājas nodaļa" in page
    # when merged from the list
    client.post(
        reverse("socialmap:provider_merge"), {"keep": str(keep.pk), "duplicate": str(duplicate.pk)}
    )
    # then
    assert not Provider.objects.filter(pk=duplicate.pk).exists()
