"""Proposals, moderation, confirmation, reports and merging (socialmap/services.py)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone

from lidzdaliba.accounts.models import Organisation, OrganisationMembership
from lidzdaliba.core.models import AuditEvent, Notification
from lidzdaliba.socialmap import services
from lidzdaliba.socialmap.models import ChangeRequest, OutdatedReport, Provider, Service
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("english")


def _payload(service, **changes):
    values = services.service_values(service)
    values.update(changes)
    return values


def test_representative_proposes_and_moderator_publishes(
    representative, moderator, organisation, service
):
    # given a representative's change to the hours
    old_name = service.name_lv
    change = services.change_submit(
        actor=representative,
        organisation=organisation,
        kind=ChangeRequest.Kind.SERVICE,
        service=service,
        payload=_payload(service, hours="MO-FR 09:00-18:00", name_lv="Jauns nosaukums"),
    )
    # then nothing is public yet, and moderators are told
    service.refresh_from_db()
    assert service.name_lv == old_name
    assert change.status == ChangeRequest.Status.PENDING
    assert Notification.objects.filter(recipient=moderator, kind="socialmap.change").exists()
    assert {f for f, _b, _a in change.changed_fields} == {"hours", "name_lv"}
    # when the moderator approves
    services.change_approve(actor=moderator, change=change)
    # then the service changes, counts as checked today, and the submitter is told
    service.refresh_from_db()
    assert service.name_lv == "Jauns nosaukums"
    assert service.hours == "MO-FR 09:00-18:00"
    assert service.schedules.count() == 5
    assert service.last_confirmed_on == timezone.localdate()
    assert Notification.objects.filter(recipient=representative, kind="socialmap.decided").exists()
    assert AuditEvent.objects.filter(verb="socialmap.change_approved").count() == 1


@pytest.mark.parametrize("who", ["anonymous", "resident", "verified_resident"])
def test_only_representatives_may_propose(request, who, organisation, service):
    # given someone who does not represent the organisation
    actor = request.getfixturevalue(who)
    # when / then
    with pytest.raises(PermissionDenied):
        services.change_submit(
            actor=actor,
            organisation=organisation,
            kind=ChangeRequest.Kind.SERVICE,
            service=service,
            payload=_payload(service, name_lv="X"),
        )
    assert not ChangeRequest.objects.exists()


def test_representative_of_another_organisation_may_not_touch_this_one(representative, directory):
    # given a service of another organisation
    other = Organisation.objects.get(municipality=directory, slug="martas-centrs")
    service = Service.objects.filter(provider__organisation=other).first()
    # when / then
    with pytest.raises(PermissionDenied):
        services.change_submit(
            actor=representative,
            organisation=other,
            kind=ChangeRequest.Kind.SERVICE,
            service=service,
            payload=_payload(service, name_lv="X"),
        )
    assert not ChangeRequest.objects.exists()


@pytest.mark.parametrize("who", ["representative", "verified_resident"])
def test_only_moderators_approve(request, who, organisation, service, representative):
    # given a pending change
    change = services.change_submit(
        actor=representative,
        organisation=organisation,
        kind=ChangeRequest.Kind.SERVICE,
        service=service,
        payload=_payload(service, name_lv="Cits"),
    )
    actor = request.getfixturevalue(who)
    # when / then
    with pytest.raises(PermissionDenied):
        services.change_approve(actor=actor, change=change)
    change.refresh_from_db()
    service.refresh_from_db()
    assert change.status == ChangeRequest.Status.PENDING
    assert service.name_lv != "Cits"


def test_reject_needs_a_reason_and_changes_nothing(
    representative, moderator, organisation, service
):
    change = services.change_submit(
        actor=representative,
        organisation=organisation,
        kind=ChangeRequest.Kind.SERVICE,
        service=service,
        payload=_payload(service, name_lv="Cits"),
    )
    with pytest.raises(services.SocialMapError):
        services.change_reject(actor=moderator, change=change, reason=" ")
    services.change_reject(actor=moderator, change=change, reason="Nosaukums nav precīzs.")
    change.refresh_from_db()
    service.refresh_from_db()
    assert change.status == ChangeRequest.Status.REJECTED
    assert service.name_lv != "Cits"
    with pytest.raises(services.SocialMapError):
        services.change_approve(actor=moderator, change=change)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"hours": "MO-FR 17:00-09:00"}, "hours", "closing time is not after"),
        ({"hours": "Monday 9-17"}, "hours", "cannot be read"),
        ({"hours": "XX 09:00-17:00"}, "hours", "is not a day"),
        ({"latitude": "56.95", "longitude": "24.10"}, "latitude", "outside"),
        ({"phone": "12345"}, "phone", "is not a phone number"),
        ({"description_lv": "<script>alert(1)</script>Palīdzība"}, "description_lv", "HTML"),
        ({"needs": []}, "needs", "at least one need"),
        ({"minimum_age": 30, "maximum_age": 10}, "maximum_age", "lower than"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(
    representative, organisation, service, changes, field, message
):
    # when
    with pytest.raises(services.EntryInvalid) as caught:
        services.change_submit(
            actor=representative,
            organisation=organisation,
            kind=ChangeRequest.Kind.SERVICE,
            service=service,
            payload=_payload(service, **changes),
        )
    # then the message names the problem, and nothing was stored
    assert message in " ".join(caught.value.errors[field])
    assert not ChangeRequest.objects.exists()


def test_phone_numbers_are_normalised(representative, organisation, service):
    change = services.change_submit(
        actor=representative,
        organisation=organisation,
        kind=ChangeRequest.Kind.SERVICE,
        service=service,
        payload=_payload(service, phone="26808351"),
    )
    assert change.payload["phone"] == "+371 26 808 351"


def test_new_organisation_and_its_first_service(directory, moderator):
    # given a registered organisation with no entry and its representative
    organisation = Organisation.objects.create(
        municipality=directory, slug="jauna-nvo", name="Jaunā NVO", kind="association"
    )
    rep = UserFactory(municipality=directory)
    OrganisationMembership.objects.create(
        user=rep, organisation=organisation, role="representative", approved_at=timezone.now()
    )
    # a service cannot be proposed before the organisation is on the map
    with pytest.raises(services.SocialMapError):
        services.change_submit(
            actor=rep, organisation=organisation, kind=ChangeRequest.Kind.SERVICE, payload={}
        )
    # when the organisation is proposed and approved
    change = services.change_submit(
        actor=rep,
        organisation=organisation,
        kind=ChangeRequest.Kind.PROVIDER,
        payload={"name_lv": "Jaunā NVO", "description_lv": "Palīdzam.", "phone": "63400000"},
    )
    services.change_approve(actor=moderator, change=change)
    provider = Provider.objects.get(organisation=organisation)
    assert provider.phone == "+371 63 400 000"
    # and then its first service
    change = services.change_submit(
        actor=rep,
        organisation=organisation,
        kind=ChangeRequest.Kind.SERVICE,
        payload={
            "name_lv": "Zupa",
            "description_lv": "Silta zupa.",
            "needs": ["food"],
            "address": "Graudu iela 10",
            "latitude": "56.5080",
            "longitude": "21.0120",
            "hours": "P-Pk 12:00-14:00",
            "languages": ["lv", "uk"],
            "is_free": True,
        },
    )
    services.change_approve(actor=moderator, change=change)
    service = Service.objects.get(provider=provider)
    assert service.locations.get().neighbourhood.slug == "vecliepaja"
    assert service.hours == "MO-FR 12:00-14:00"


def test_stale_services_are_flagged_once_then_marked_in_public(directory, representative, service):
    # given a service last checked 12½ months ago
    Service.objects.filter(pk=service.pk).update(
        last_confirmed_on=timezone.localdate() - dt.timedelta(days=380)
    )
    # when the daily check runs (twice)
    flagged = services.services_flag_stale()
    services.services_flag_stale()
    # then the organisation is asked once
    service.refresh_from_db()
    assert flagged >= 1
    assert service.stale_flagged_at is not None
    asked = Notification.objects.filter(recipient=representative, kind="socialmap.confirm")
    # (the title is in the representative's language)
    named = Q(title__contains=service.name_lv) | Q(title__contains=service.name_en)
    assert asked.filter(named).count() == 1
    assert service.may_be_outdated is False  # 380 days: still within the grace period
    Service.objects.filter(pk=service.pk).update(
        last_confirmed_on=timezone.localdate() - dt.timedelta(days=500)
    )
    service.refresh_from_db()
    assert service.may_be_outdated is True
    # when the organisation confirms
    services.service_confirm(actor=representative, service=service)
    service.refresh_from_db()
    assert service.may_be_outdated is False
    assert service.stale_flagged_at is None


def test_anyone_may_report_outdated_information(anonymous, moderator, service):
    report = services.outdated_report(
        actor=anonymous, service=service, message="Tālrunis mainījies."
    )
    assert report.reporter is None
    assert Notification.objects.filter(recipient=moderator, kind="socialmap.outdated").exists()
    with pytest.raises(services.SocialMapError):
        services.outdated_report(actor=anonymous, service=service, message="<b>x</b>")
    with pytest.raises(PermissionDenied):
        services.outdated_resolve(actor=anonymous, report=report)
    assert OutdatedReport.objects.get().resolved_at is None
    services.outdated_resolve(actor=moderator, report=report)
    assert OutdatedReport.objects.get().resolved_at is not None


def test_moderator_merges_duplicate_providers(directory, moderator, verified_resident):
    keep = Provider.objects.get(name_en="Latvian Red Cross, Liepāja committee")
    duplicate = Provider.objects.create(
        municipality=directory, name_lv="LSK Liepāja", description_lv="Dublikāts"
    )
    moved = Service.objects.filter(provider__name_lv="Liepājas Ev. lut. Krusta draudze").first()
    Service.objects.filter(pk=moved.pk).update(provider=duplicate)
    with pytest.raises(PermissionDenied):
        services.provider_merge(actor=verified_resident, keep=keep, duplicate=duplicate)
    assert Provider.objects.filter(pk=duplicate.pk).exists()
    services.provider_merge(actor=moderator, keep=keep, duplicate=duplicate)
    assert not Provider.objects.filter(pk=duplicate.pk).exists()
    assert Service.objects.get(pk=moved.pk).provider == keep
