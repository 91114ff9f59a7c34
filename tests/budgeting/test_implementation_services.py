import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from PIL import Image

from lidzdaliba.budgeting.models import (
    IdeaFollow,
    Implementation,
    ImplementationUpdate,
    MaintenanceCost,
)
from lidzdaliba.budgeting.services.implementation import (
    NOTIFICATION_KIND,
    implementation_create_for_winners,
    implementation_recipients,
    implementation_update,
    maintenance_cost_record,
)
from lidzdaliba.core.models import AuditEvent, Notification
from lidzdaliba.core.services import attachments_of
from tests.factories import UserFactory

from .impl_helpers import cast_ballot, make_counted_cycle, photo_upload

pytestmark = pytest.mark.django_db
# maintenance years are allowed from the cycle's voting year to next year
YEAR = timezone.localdate().year


@pytest.fixture
def counted(municipality):
    return make_counted_cycle(municipality)


@pytest.fixture
def officer(officer_factory):
    return officer_factory("budgeting")


@pytest.fixture
def implementation(counted):
    cycle, projects = counted
    implementation_create_for_winners(cycle)
    return Implementation.objects.get(idea=projects["infrastruktura"][0])


def test_one_planned_implementation_per_funded_project_idempotently(counted):
    cycle, projects = counted
    created = implementation_create_for_winners(cycle)
    assert len(created) == 3
    rows = Implementation.objects.filter(idea__cycle=cycle).order_by("idea_id")
    assert [r.idea_id for r in rows] == sorted(
        [
            projects["infrastruktura"][0].pk,
            projects["infrastruktura"][1].pk,
            projects["pasakumi"][0].pk,
        ]
    )
    first = rows[0]
    assert first.status == "planned"
    assert first.progress == 0
    assert first.planned_cost_cents == 40_000_00
    assert implementation_create_for_winners(cycle) == []
    assert Implementation.objects.filter(idea__cycle=cycle).count() == 3
    assert AuditEvent.objects.filter(verb="budgeting.implementations_created").count() == 1


def test_the_planned_cost_is_the_cost_on_the_ballot(counted):
    cycle, projects = counted
    idea = projects["pasakumi"][0]
    idea.ballot_cost_cents = 9_876_54
    idea.save()
    implementation_create_for_winners(cycle)
    assert Implementation.objects.get(idea=idea).planned_cost_cents == 9_876_54


def test_an_officer_updates_status_progress_and_costs(implementation, officer):
    update = implementation_update(
        actor=officer,
        implementation=implementation,
        status="works",
        progress=40,
        actual_cost_cents=12_345_67,
        planned_start=dt.date(2025, 9, 1),
        planned_end=dt.date(2026, 6, 30),
        text="Darbi sākušies.",
    )
    implementation.refresh_from_db()
    assert (implementation.status, implementation.progress) == ("works", 40)
    assert implementation.actual_cost_cents == 12_345_67
    assert implementation.planned_end == dt.date(2026, 6, 30)
    assert (update.status, update.progress, update.text) == ("works", 40, "Darbi sākušies.")
    event = AuditEvent.objects.get(verb="budgeting.implementation_updated")
    assert event.actor == officer
    assert event.data["changed"]["progress"] == 40
    assert event.data["changed"]["planned_end"] == "2026-06-30"


def test_left_out_arguments_keep_their_values(implementation, officer):
    implementation_update(
        actor=officer, implementation=implementation, status="design", progress=10
    )
    implementation_update(actor=officer, implementation=implementation, text="Projekts gatavs.")
    implementation.refresh_from_db()
    assert (implementation.status, implementation.progress) == ("design", 10)
    assert implementation.updates.count() == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"progress": 101}, "progress"),
        ({"progress": -1}, "progress"),
        ({"status": "done", "progress": 90, "actual_end": dt.date(2025, 10, 1)}, "progress"),
        ({"status": "done", "progress": 100}, "actual_end"),
        ({"status": "cancelled", "cancel_reason": "   "}, "cancel_reason"),
        ({"actual_cost_cents": -5}, "actual_cost_cents"),
        ({"planned_cost_cents": -1}, "planned_cost_cents"),
        ({"status": "finished"}, "status"),
        (
            {"planned_start": dt.date(2026, 5, 1), "planned_end": dt.date(2026, 4, 1)},
            "planned_end",
        ),
    ],
)
def test_bad_updates_are_refused_and_change_nothing(implementation, officer, changes, field):
    with pytest.raises(ValidationError) as caught:
        implementation_update(actor=officer, implementation=implementation, **changes)
    assert field in caught.value.error_dict
    implementation.refresh_from_db()
    assert (implementation.status, implementation.progress) == ("planned", 0)
    assert not ImplementationUpdate.objects.exists()
    assert not Notification.objects.exists()


def test_a_completion_date_in_the_future_is_refused(implementation, officer):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        implementation_update(
            actor=officer,
            implementation=implementation,
            status="done",
            progress=100,
            actual_end=tomorrow,
        )
    assert "actual_end" in caught.value.error_dict


def test_done_and_cancelled(implementation, officer):
    implementation_update(
        actor=officer,
        implementation=implementation,
        status="done",
        progress=100,
        actual_end=dt.date(2025, 11, 3),
        actual_cost_cents=39_000_00,
    )
    implementation.refresh_from_db()
    assert implementation.status == "done"
    assert implementation.actual_end == dt.date(2025, 11, 3)
    implementation_update(
        actor=officer,
        implementation=implementation,
        status="cancelled",
        progress=100,
        cancel_reason="Zeme izrādījās privāta.",
    )
    implementation.refresh_from_db()
    assert implementation.cancel_reason == "Zeme izrādījās privāta."
    # leaving "cancelled" clears the reason
    implementation_update(actor=officer, implementation=implementation, status="works")
    implementation.refresh_from_db()
    assert implementation.cancel_reason == ""


def test_an_update_that_changes_nothing_is_refused(implementation, officer):
    with pytest.raises(ValidationError):
        implementation_update(actor=officer, implementation=implementation, progress=0)
    assert not ImplementationUpdate.objects.exists()


def test_only_budget_officers_update(implementation, verified_resident, officer_factory):
    for actor in (verified_resident, officer_factory("reports")):
        with pytest.raises(PermissionDenied):
            implementation_update(actor=actor, implementation=implementation, progress=50)
    implementation.refresh_from_db()
    assert implementation.progress == 0


def test_an_officer_of_another_municipality_may_not(implementation, officer):
    from lidzdaliba.core.models import Municipality

    other = Municipality.objects.create(
        slug="ventspils",
        name_lv="Ventspils",
        name_en="Ventspils",
        map_center_lat="57.39",
        map_center_lon="21.56",
    )
    officer.municipality = other
    officer.save()
    with pytest.raises(PermissionDenied):
        implementation_update(actor=officer, implementation=implementation, progress=50)


def test_photos_are_attached_to_the_update_without_metadata(implementation, officer):
    update = implementation_update(
        actor=officer,
        implementation=implementation,
        progress=40,
        photos=[photo_upload()],
        photo_alt="Jaunais soliņš",
    )
    (photo,) = attachments_of(target=update)
    assert photo.is_image
    assert photo.alt_text == "Jaunais soliņš"
    with photo.file.open("rb") as stored:
        assert not Image.open(stored).getexif()


def test_a_bad_photo_stores_nothing(implementation, officer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.jpg", b"not an image at all", content_type="image/jpeg")
    with pytest.raises(ValidationError) as caught:
        implementation_update(
            actor=officer, implementation=implementation, progress=40, photos=[fake]
        )
    assert "photos" in caught.value.error_dict
    implementation.refresh_from_db()
    assert implementation.progress == 0
    assert not ImplementationUpdate.objects.exists()


def test_followers_and_voters_are_notified_once_each(
    counted, implementation, officer, municipality
):
    cycle, projects = counted
    idea = projects["infrastruktura"][0]
    follower, both, voter = (UserFactory(municipality=municipality) for _ in range(3))
    gone_voter = UserFactory(municipality=municipality, is_active=False)
    other_voter = UserFactory(municipality=municipality)
    IdeaFollow.objects.create(idea=idea, user=follower)
    IdeaFollow.objects.create(idea=idea, user=both)
    cast_ballot(cycle, idea, both)
    cast_ballot(cycle, idea, voter)
    cast_ballot(cycle, idea, gone_voter)
    cast_ballot(cycle, idea, None)  # a ballot whose account was deleted
    cast_ballot(cycle, projects["infrastruktura"][1], other_voter)

    implementation_update(actor=officer, implementation=implementation, status="works", progress=40)
    rows = Notification.objects.filter(kind=NOTIFICATION_KIND)
    assert sorted(r.recipient_id for r in rows) == sorted([follower.pk, both.pk, voter.pk])
    note = rows.first()
    assert idea.title in note.title
    assert "40" in note.title
    assert note.url == f"/budget/{cycle.slug}/ideas/{idea.pk}/"


def test_notifying_thousands_of_voters_does_not_query_per_voter(
    counted, implementation, officer, municipality
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lidzdaliba.accounts.models import User
    from lidzdaliba.budgeting.models import Ballot, BallotChoice

    cycle, projects = counted
    idea = projects["infrastruktura"][0]
    users = User.objects.bulk_create(
        [User(email=f"voter{i}@example.lv", municipality=municipality) for i in range(2500)]
    )
    ballots = Ballot.objects.bulk_create(
        [
            Ballot(
                cycle=cycle,
                identity_key=f"{i:064x}",
                voter=user,
                receipt_code=f"B{i:010d}",
                public_id=f"b{i:010d}",
            )
            for i, user in enumerate(users)
        ]
    )
    BallotChoice.objects.bulk_create(
        [BallotChoice(ballot=b, category=idea.category, idea=idea) for b in ballots]
    )
    with CaptureQueriesContext(connection) as queries:
        implementation_update(actor=officer, implementation=implementation, progress=10)
    # a few queries per chunk of 1 000 (SQLite splits a bulk insert into batches)
    assert len(queries) < 80
    assert Notification.objects.filter(kind=NOTIFICATION_KIND).count() == 2500
    assert implementation_recipients(idea).count() == 2500


def test_maintenance_cost_is_one_row_per_project_and_year(counted, implementation, officer):
    idea = implementation.idea
    maintenance_cost_record(actor=officer, idea=idea, year=YEAR, amount_cents=1_200_00)
    cost = maintenance_cost_record(
        actor=officer, idea=idea, year=YEAR, amount_cents=1_450_50, note="Zāles pļaušana"
    )
    assert MaintenanceCost.objects.filter(idea=idea).count() == 1
    assert (cost.amount_cents, cost.note) == (1_450_50, "Zāles pļaušana")
    events = AuditEvent.objects.filter(verb="budgeting.maintenance_recorded").order_by("id")
    assert [e.data["previous_cents"] for e in events] == [None, 1_200_00]


def test_maintenance_cost_validation(counted, implementation, officer, verified_resident):
    _cycle, projects = counted
    idea = implementation.idea
    with pytest.raises(ValidationError) as caught:
        maintenance_cost_record(actor=officer, idea=idea, year=YEAR, amount_cents=-1)
    assert "amount_cents" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        maintenance_cost_record(actor=officer, idea=idea, year=1999, amount_cents=100)
    assert "year" in caught.value.error_dict
    with pytest.raises(ValidationError):  # not funded
        maintenance_cost_record(
            actor=officer, idea=projects["infrastruktura"][2], year=YEAR, amount_cents=100
        )
    with pytest.raises(PermissionDenied):
        maintenance_cost_record(actor=verified_resident, idea=idea, year=YEAR, amount_cents=100)
    assert not MaintenanceCost.objects.exists()
