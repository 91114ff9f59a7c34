from lidzdaliba.socialmap.demo import load_socialmap_demo
from lidzdaliba.socialmap.models import Need, Provider, Schedule, Service


def test_demo_directory_has_forty_services_in_the_municipality(directory):
    # then: at least 40 services, every one placed in a neighbourhood, with needs
    services = Service.objects.filter(municipality=directory)
    assert services.count() >= 40
    assert Need.objects.filter(municipality=directory).count() == 14
    assert not services.filter(locations__isnull=True).exists()
    assert not services.filter(needs__isnull=True).exists()
    assert Schedule.objects.count() > 40


def test_demo_loading_twice_does_not_duplicate(directory):
    # given the demo loaded once; when loaded again
    counts = (Service.objects.count(), Provider.objects.count(), Schedule.objects.count())
    load_socialmap_demo(directory)
    # then nothing is duplicated
    assert (Service.objects.count(), Provider.objects.count(), Schedule.objects.count()) == counts
