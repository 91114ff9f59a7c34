"""The directory's rendered results are cached, and any change to the directory shows at once."""

import time_machine
from django.utils import timezone

from lidzdaliba.socialmap.models import Service


def test_a_changed_service_shows_on_the_next_request(client, directory, service):
    assert service.name in client.get("/help/").content.decode()
    service.name = "Zupas virtuve pie Jūras"
    service.save()
    assert "Zupas virtuve pie Jūras" in client.get("/help/").content.decode()


def test_a_service_taken_off_the_directory_disappears_at_once(client, directory, service):
    url = service.get_absolute_url() if hasattr(service, "get_absolute_url") else None
    before = client.get("/help/").content.decode()
    Service.objects.get(pk=service.pk).delete()
    after = client.get("/help/").content.decode()
    assert before != after
    if url:
        assert url not in after


def test_open_now_badges_follow_the_clock_not_the_cache(client, directory):
    monday_noon = timezone.make_aware(timezone.datetime(2026, 11, 23, 12, 0))
    sunday_night = timezone.make_aware(timezone.datetime(2026, 11, 22, 23, 30))
    with time_machine.travel(monday_noon, tick=False):
        day = client.get("/help/").content.decode().count("sm-open")
    with time_machine.travel(sunday_night, tick=False):
        night = client.get("/help/").content.decode().count("sm-open")
    assert day > night
