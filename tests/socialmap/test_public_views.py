"""Public pages: find help by need, neighbourhood, language, open now, free, step-free."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse

from lidzdaliba.socialmap import selectors
from lidzdaliba.socialmap.models import Service


def test_directory_lists_every_public_service_with_a_map(client, directory):
    # when
    response = client.get(reverse("socialmap:directory"))
    # then
    assert response.status_code == 200
    body = response.content.decode()
    total = Service.objects.filter(municipality=directory).count()
    assert f"{total} " in body
    assert 'data-features="{&quot;type&quot;: &quot;FeatureCollection&quot;' in body
    assert "Atkarību profilakses centrs" in body


@pytest.mark.parametrize(
    ("query", "expected", "absent"),
    [
        ("need=food", "Zupas virtuve", "Programmēšanas pulciņš"),
        ("neighbourhood=karosta", "Karostas iedzīvotāju atbalsta punkts", "Zupas virtuve"),
        ("language=uk", "Ukrainas civiliedzīvotāju atbalsta punkts", "Zupas virtuve"),
        ("accessible=on&need=food", "Pārtikas pakas", "Zupas virtuve"),
        ("free=on&need=health", "Psihologa konsultācijas", "Pirmās palīdzības kursi"),
        ("q=patversme", "Naktspatversme", "Zupas virtuve"),
    ],
)
def test_directory_filters(client, directory, query, expected, absent):
    # when
    body = client.get(reverse("socialmap:directory") + "?" + query).content.decode()
    # then
    assert expected in body
    assert absent not in body


def test_open_now_uses_the_weekly_schedule(directory):
    # given a Wednesday at 12:30 and at 03:00 local time
    riga = zoneinfo.ZoneInfo("Europe/Riga")
    noon = dt.datetime(2026, 11, 18, 12, 30, tzinfo=riga)
    night = dt.datetime(2026, 11, 18, 3, 0, tzinfo=riga)
    filters = selectors.Filters(open_now=True)
    # when
    at_noon = {
        s.name_en
        for s in selectors.services_search(municipality=directory, filters=filters, now=noon)
    }
    at_night = {
        s.name_en
        for s in selectors.services_search(municipality=directory, filters=filters, now=night)
    }
    # then
    assert "Soup kitchen" in at_noon
    assert "Soup kitchen" not in at_night
    assert "Night shelter" in at_night
    assert "Crisis centre for families with children" in at_night


def test_directory_query_count_does_not_grow_with_services(
    client, directory, django_assert_max_num_queries
):
    # given 40+ services; when the list is shown with every filter
    url = (
        reverse("socialmap:directory") + "?need=food&free=on&open_now=on&accessible=on&language=lv"
    )
    with django_assert_max_num_queries(12):
        client.get(url)
    with django_assert_max_num_queries(12):
        client.get(reverse("socialmap:directory"))


def test_service_page_shows_everything_a_person_needs(client, directory):
    # given
    service = Service.objects.get(name_en="Food parcels in Karosta")
    # when
    body = client.get(reverse("socialmap:service", args=[service.pk])).content.decode()
    # then: provider, where, when, for whom, how, documents, languages, cost, access, contacts
    for text in (
        "Biedrība &quot;Ritums&quot;",
        "Atmodas bulvāris 6",
        "Karosta",
        "maznodrošinātas",
        "Uzrādiet statusa izziņu",
        "Personu apliecinošs dokuments",
        "русский",
        "+371 63 424 111",
    ):
        assert text in body, text
    # and it was checked 16 months ago: marked as possibly outdated
    assert service.may_be_outdated


def test_service_page_in_english_uses_the_translation(client, directory):
    service = Service.objects.get(name_en="Soup kitchen")
    body = client.get("/en" + reverse("socialmap:service", args=[service.pk])).content.decode()
    assert "<h1>Soup kitchen</h1>" in body


def test_print_directory_groups_by_need_and_neighbourhood(client, directory):
    body = client.get(reverse("socialmap:print") + "?need=food&large=1").content.decode()
    assert "pr-large" in body
    assert "Zupas virtuve" in body
    assert 'id="need-violence"' not in body


def test_print_pdf_is_a_pdf(client, directory):
    response = client.get(reverse("socialmap:print_pdf") + "?need=violence")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_provider_page_lists_its_services(client, directory):
    service = Service.objects.get(name_en="Soup kitchen")
    body = client.get(reverse("socialmap:provider", args=[service.provider_id])).content.decode()
    assert "Apģērbu istaba" in body


def test_plain_text_directory(client, directory):
    response = client.get(reverse("socialmap:print_text") + "?need=food")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "== PĀRTIKA ==" in text
    assert "Zupas virtuve" in text
    assert "&quot;" not in text


def test_query_count_is_the_same_for_many_more_services(client, directory):
    # given the list's query count with the demo's services
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("socialmap:directory") + "?free=on"
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    # when three times as many services exist
    for service in list(Service.objects.all()):
        needs, locations = list(service.needs.all()), list(service.locations.all())
        schedules = list(service.schedules.all())
        for _copy in range(2):
            service.pk = None
            service.id = None
            import uuid

            service.id = uuid.uuid4()
            service._state.adding = True
            service.save()
            service.needs.set(needs)
            service.locations.set(locations)
            for schedule in schedules:
                schedule.pk = uuid.uuid4()
                schedule.service = service
                schedule._state.adding = True
                schedule.save()
    # then the page makes the same number of queries
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)


def test_service_and_print_pages_have_constant_queries(
    client, directory, django_assert_max_num_queries
):
    service = Service.objects.get(name_en="Soup kitchen")
    with django_assert_max_num_queries(12):
        client.get(reverse("socialmap:service", args=[service.pk]))
    with django_assert_max_num_queries(12):
        client.get(reverse("socialmap:print"))
