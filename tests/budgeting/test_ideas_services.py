"""Ideas through their services: place, cost cap, deadline, who may submit, numbering,
co-authors, withdrawing, following, photos, comments, notifications and audit records."""

import datetime as dt
import io
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from PIL import Image

from lidzdaliba.accounts.models import Organisation, OrganisationMembership
from lidzdaliba.budgeting.models import CostLine, CycleStatus, Idea, IdeaFollow, IdeaStatus
from lidzdaliba.budgeting.models.cycles import Submitters
from lidzdaliba.budgeting.services import ideas as services
from lidzdaliba.core.models import AuditEvent, Notification
from lidzdaliba.core.services import attachments_of, comment_post
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

INSIDE = {"lat": 56.5110, "lon": 21.0137}
OUTSIDE_RIGA = {"lat": 56.9496, "lon": 24.1052}


def _fields(cycle, **over):
    return {
        "title": "Benches by the lake",
        "summary": "Four benches.",
        "description": "Four benches on the lake shore path.",
        "category": cycle.categories.get(slug="infrastruktura"),
        "address": "Ezera krasts",
        **INSIDE,
        **over,
    }


# --- place ------------------------------------------------------------------------------


def test_a_point_inside_the_municipality_sets_the_neighbourhood(
    submission_cycle, verified_resident
):
    idea = services.idea_create(
        actor=verified_resident,
        cycle=submission_cycle,
        cost_lines=[("Benches", 150_000)],
        **_fields(submission_cycle),
    )
    assert idea.neighbourhood is not None
    assert idea.neighbourhood.municipality == submission_cycle.municipality
    assert (idea.lat, idea.lon) == (INSIDE["lat"], INSIDE["lon"])


def test_a_point_outside_the_municipality_is_refused_and_nothing_is_stored(
    submission_cycle, verified_resident
):
    with pytest.raises(services.IdeaRejected) as exc:
        services.idea_create(
            actor=verified_resident,
            cycle=submission_cycle,
            cost_lines=[("Benches", 150_000)],
            **_fields(submission_cycle, **OUTSIDE_RIGA),
        )
    assert "outside" in exc.value.message
    assert exc.value.field == "lat"
    assert not Idea.objects.exists()


def test_half_a_coordinate_is_refused(submission_cycle, verified_resident):
    with pytest.raises(services.IdeaRejected, match="both the latitude and the longitude"):
        services.idea_create(
            actor=verified_resident,
            cycle=submission_cycle,
            **_fields(submission_cycle, lat=56.51, lon=None),
        )


def test_an_address_without_a_point_is_enough_to_submit(
    submission_cycle, verified_resident, idea_factory
):
    idea = idea_factory(verified_resident, submission_cycle, lat=None, lon=None)
    assert idea.status == IdeaStatus.SUBMITTED
    assert idea.neighbourhood is None


def test_no_place_at_all_cannot_be_submitted(submission_cycle, verified_resident, idea_factory):
    idea = idea_factory(
        verified_resident, submission_cycle, submit=False, lat=None, lon=None, address=""
    )
    with pytest.raises(services.IdeaRejected, match="pick the place on the map"):
        services.idea_submit(actor=verified_resident, idea=idea)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.DRAFT
    assert idea.number is None


# --- cost -------------------------------------------------------------------------------


def test_the_cost_is_the_sum_of_the_lines(submission_cycle, verified_resident):
    idea = services.idea_create(
        actor=verified_resident,
        cycle=submission_cycle,
        cost_lines=[("Benches", 120_000), ("", 0), ("Bin", 30_050)],
        **_fields(submission_cycle),
    )
    assert idea.cost_cents == 150_050
    assert list(idea.cost_lines.values_list("description", "amount_cents")) == [
        ("Benches", 120_000),
        ("Bin", 30_050),
    ]


def test_a_cost_over_the_category_cap_is_refused_naming_the_cap(
    submission_cycle, verified_resident
):
    # given the events category with a 10 000 € cap
    events = submission_cycle.categories.get(slug="pasakumi")
    # when the lines add up to 10 000,01 €
    with pytest.raises(services.IdeaRejected) as exc:
        services.idea_create(
            actor=verified_resident,
            cycle=submission_cycle,
            cost_lines=[("Stage", 600_000), ("Sound", 400_001)],
            **_fields(submission_cycle, category=events),
        )
    # then the message names the cap in money format, and nothing is stored
    assert "€10,000.00" in exc.value.message
    assert "€10,000.01" in exc.value.message
    assert not Idea.objects.exists()
    assert not CostLine.objects.exists()


def test_the_cap_message_uses_latvian_money_in_latvian(submission_cycle, verified_resident):
    from django.utils import translation

    events = submission_cycle.categories.get(slug="pasakumi")
    with translation.override("lv"), pytest.raises(services.IdeaRejected) as exc:
        services.idea_create(
            actor=verified_resident,
            cycle=submission_cycle,
            cost_lines=[("Stage", 1_000_001)],
            **_fields(submission_cycle, category=events),
        )
    assert "10\xa0000,00\xa0€" in exc.value.message


def test_moving_an_idea_to_a_category_with_a_lower_cap_is_refused(
    submission_cycle, verified_resident, idea_factory
):
    idea = idea_factory(verified_resident, submission_cycle, cost_lines=[("Path", 2_000_000)])
    events = submission_cycle.categories.get(slug="pasakumi")
    with pytest.raises(services.IdeaRejected, match="over the limit"):
        services.idea_update(actor=verified_resident, idea=idea, category=events)
    idea.refresh_from_db()
    assert idea.category.slug == "infrastruktura"


def test_a_line_without_an_amount_is_refused(submission_cycle, verified_resident):
    with pytest.raises(services.IdeaRejected, match="needs an amount"):
        services.idea_create(
            actor=verified_resident,
            cycle=submission_cycle,
            cost_lines=[("Benches", 0)],
            **_fields(submission_cycle),
        )


def test_a_theme_of_another_category_is_refused(submission_cycle, verified_resident):
    events_theme = submission_cycle.themes.get(category__slug="pasakumi")
    with pytest.raises(services.IdeaRejected, match="does not belong"):
        services.idea_create(
            actor=verified_resident,
            cycle=submission_cycle,
            **_fields(submission_cycle, theme=events_theme),
        )


def test_submitting_needs_a_cost(submission_cycle, verified_resident, idea_factory):
    idea = idea_factory(verified_resident, submission_cycle, submit=False, cost_lines=())
    with pytest.raises(services.IdeaRejected, match="Estimate the cost"):
        services.idea_submit(actor=verified_resident, idea=idea)


# --- deadline ---------------------------------------------------------------------------


def test_after_the_deadline_a_page_left_open_cannot_save(
    submission_cycle, verified_resident, idea_factory
):
    # given a draft, and the deadline passes while the phase has not moved yet
    idea = idea_factory(verified_resident, submission_cycle, submit=False)
    submission_cycle.submission_closes_at = timezone.now() - dt.timedelta(minutes=1)
    submission_cycle.save()
    idea.cycle.refresh_from_db()
    # when the author saves or submits
    with pytest.raises(services.IdeaRejected, match="Idea submission closed on"):
        services.idea_update(actor=verified_resident, idea=idea, title="Late change")
    with pytest.raises(services.IdeaRejected, match="closed"):
        services.idea_submit(actor=verified_resident, idea=idea)
    # then nothing changed
    idea.refresh_from_db()
    assert idea.title == "Benches by the lake"
    assert idea.status == IdeaStatus.DRAFT


def test_no_ideas_outside_the_submission_phase(cycle_factory, verified_resident):
    cycle = cycle_factory(CycleStatus.REVIEW, slug="pb-review")
    with pytest.raises(services.IdeaRejected):
        services.idea_create(
            actor=verified_resident, cycle=cycle, cost_lines=[("A", 100)], **_fields(cycle)
        )
    assert not Idea.objects.exists()


def test_a_submitted_idea_can_be_changed_until_the_deadline(
    submission_cycle, verified_resident, idea_factory
):
    idea = idea_factory(verified_resident, submission_cycle)
    services.idea_update(
        actor=verified_resident,
        idea=idea,
        title="Six benches",
        cost_lines=[("Benches", 200_000)],
    )
    idea.refresh_from_db()
    assert (idea.title, idea.cost_cents, idea.status) == ("Six benches", 200_000, "submitted")
    assert AuditEvent.objects.filter(verb="budget_idea.edited", target_id=str(idea.pk)).exists()


def test_a_submitted_idea_must_stay_complete(submission_cycle, verified_resident, idea_factory):
    idea = idea_factory(verified_resident, submission_cycle)
    with pytest.raises(services.IdeaRejected, match="Estimate the cost"):
        services.idea_update(actor=verified_resident, idea=idea, cost_lines=[])
    idea.refresh_from_db()
    assert idea.cost_cents == 150_000
    assert idea.cost_lines.count() == 1


# --- who may submit ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("_case", "submitters", "who", "declared", "allowed"),
    [
        ("verified adult, residents only", Submitters.RESIDENTS, "adult", False, True),
        ("unverified, residents only", Submitters.RESIDENTS, "unverified", True, False),
        ("verified 15-year-old, residents only", Submitters.RESIDENTS, "young", False, False),
        ("unverified who declares 16+, anyone", Submitters.PEOPLE, "unverified", True, True),
        ("unverified who does not declare, anyone", Submitters.PEOPLE, "unverified", False, False),
        ("verified 15-year-old may not declare past it", Submitters.PEOPLE, "young", True, False),
        ("verified 16-year-old, anyone", Submitters.PEOPLE, "sixteen", False, True),
    ],
)
def test_who_may_submit(
    submission_cycle, voter_factory, resident, _case, submitters, who, declared, allowed
):
    # given
    submission_cycle.submitters = submitters
    submission_cycle.save()
    today = timezone.localdate()
    people = {
        "adult": lambda: voter_factory()[0],
        "unverified": lambda: resident,
        "young": lambda: voter_factory(born=today.replace(year=today.year - 15))[0],
        "sixteen": lambda: voter_factory(
            born=today.replace(year=today.year - 16) - dt.timedelta(days=1)
        )[0],
    }
    user = people[who]()

    # when
    def create():
        services.idea_create(
            actor=user,
            cycle=submission_cycle,
            age_declared=declared,
            cost_lines=[("A", 100)],
            **_fields(submission_cycle),
        )

    if allowed:
        create()
    else:
        with pytest.raises(services.IdeaRejected):
            create()
    # then
    assert Idea.objects.filter(author=user).exists() is allowed


@pytest.fixture
def ngo(municipality):
    return Organisation.objects.create(municipality=municipality, name="Zaļā Liepāja", slug="zl")


def _represent(user, organisation, approved=True):
    OrganisationMembership.objects.create(
        user=user,
        organisation=organisation,
        role=OrganisationMembership.Role.REPRESENTATIVE,
        approved_at=timezone.now() if approved else None,
    )


def test_an_ngo_representative_submits_on_its_behalf(submission_cycle, resident, ngo):
    _represent(resident, ngo)
    idea = services.idea_create(
        actor=resident,
        cycle=submission_cycle,
        organisation=ngo,
        cost_lines=[("A", 100)],
        **_fields(submission_cycle),
    )
    services.idea_submit(actor=resident, idea=idea)
    assert idea.organisation == ngo
    assert idea.author_name == "Zaļā Liepāja"


def test_an_unapproved_member_cannot_submit_for_the_ngo(submission_cycle, resident, ngo):
    _represent(resident, ngo, approved=False)
    with pytest.raises(services.IdeaRejected, match="not an approved representative"):
        services.idea_create(
            actor=resident, cycle=submission_cycle, organisation=ngo, **_fields(submission_cycle)
        )


def test_ngos_cannot_submit_when_the_cycle_takes_people_only(submission_cycle, resident, ngo):
    submission_cycle.submitters = Submitters.PEOPLE
    submission_cycle.save()
    _represent(resident, ngo)
    with pytest.raises(services.IdeaRejected, match="on behalf of an organisation"):
        services.idea_create(
            actor=resident, cycle=submission_cycle, organisation=ngo, **_fields(submission_cycle)
        )
    assert not Idea.objects.exists()


def test_the_public_name_is_never_the_email(submission_cycle, municipality, idea_factory):
    user = UserFactory(municipality=municipality, full_name="")
    idea = idea_factory(user, submission_cycle, age_declared=True)
    assert idea.author_name == "A resident"


# --- numbering --------------------------------------------------------------------------


def test_numbers_are_given_at_submission_in_order(submission_cycle, voter_factory, idea_factory):
    a, b = voter_factory()[0], voter_factory()[0]
    first_draft = idea_factory(a, submission_cycle, submit=False)
    second = idea_factory(b, submission_cycle)
    assert first_draft.number is None
    services.idea_submit(actor=a, idea=first_draft)
    assert (second.number, first_draft.number) == (1, 2)
    assert AuditEvent.objects.filter(verb="budget_idea.submitted").count() == 2


def test_a_second_submit_is_refused(submission_cycle, verified_resident, idea_factory):
    idea = idea_factory(verified_resident, submission_cycle)
    with pytest.raises(services.IdeaRejected, match="already been submitted"):
        services.idea_submit(actor=verified_resident, idea=idea)
    assert Idea.objects.get().number == 1


def test_numbers_per_cycle_are_separate(cycle_factory, verified_resident, idea_factory):
    one = cycle_factory(CycleStatus.SUBMISSION, slug="one")
    two = cycle_factory(CycleStatus.SUBMISSION, slug="two")
    assert idea_factory(verified_resident, one).number == 1
    assert idea_factory(verified_resident, two).number == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_distinct_numbers(submission_cycle, voter_factory, idea_factory):
    if connection.vendor != "postgresql":
        pytest.skip("threads need a server database")
    drafts = [
        (user, idea_factory(user, submission_cycle, submit=False))
        for user in (voter_factory()[0] for _ in range(8))
    ]
    errors = []

    def submit(user, idea):
        try:
            services.idea_submit(actor=user, idea=idea)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=pair) for pair in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(Idea.objects.values_list("number", flat=True)) == list(range(1, 9))


# --- co-authors -------------------------------------------------------------------------


def test_co_authors_may_edit_but_not_change_the_co_authors(
    submission_cycle, verified_resident, voter_factory, idea_factory
):
    # given an idea with a co-author
    coauthor = voter_factory()[0]
    stranger = voter_factory()[0]
    idea = idea_factory(verified_resident, submission_cycle, submit=False)
    services.idea_update(actor=verified_resident, idea=idea, coauthor_emails=[coauthor.email])
    assert list(idea.coauthors.all()) == [coauthor]
    assert Notification.objects.filter(recipient=coauthor, kind="budgeting.idea_own").exists()
    # when the co-author edits the text
    services.idea_update(actor=coauthor, idea=idea, summary="Better summary.")
    # then it is saved
    idea.refresh_from_db()
    assert idea.summary == "Better summary."
    # but they may not change the co-authors, and a stranger may not edit at all
    with pytest.raises(services.IdeaRejected, match="Only the author may change the co-authors"):
        services.idea_update(actor=coauthor, idea=idea, coauthor_emails=[stranger.email])
    with pytest.raises(PermissionDenied):
        services.idea_update(actor=stranger, idea=idea, summary="Mine now.")
    idea.refresh_from_db()
    assert idea.summary == "Better summary."
    assert list(idea.coauthors.all()) == [coauthor]


def test_a_co_author_needs_an_account(submission_cycle, verified_resident):
    with pytest.raises(services.IdeaRejected, match=r"nobody@example\.lv"):
        services.idea_create(
            actor=verified_resident,
            cycle=submission_cycle,
            coauthor_emails=["nobody@example.lv"],
            **_fields(submission_cycle),
        )
    assert not Idea.objects.exists()


def test_only_the_author_submits(submission_cycle, verified_resident, voter_factory, idea_factory):
    coauthor = voter_factory()[0]
    idea = idea_factory(verified_resident, submission_cycle, submit=False)
    services.idea_update(actor=verified_resident, idea=idea, coauthor_emails=[coauthor.email])
    with pytest.raises(PermissionDenied):
        services.idea_submit(actor=coauthor, idea=idea)


# --- withdraw and delete ----------------------------------------------------------------


def test_withdrawing_keeps_the_idea_public_with_the_reason(
    submission_cycle, verified_resident, idea_factory, voter_factory
):
    idea = idea_factory(verified_resident, submission_cycle)
    follower = voter_factory()[0]
    services.idea_follow(actor=follower, idea=idea)
    services.idea_withdraw(actor=verified_resident, idea=idea, reason="The park will be rebuilt.")
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.WITHDRAWN
    assert idea.is_public
    assert idea.decision_reason == "The park will be rebuilt."
    assert idea.decided_at
    assert Notification.objects.filter(recipient=follower, kind="budgeting.idea_followed").exists()
    assert AuditEvent.objects.filter(verb="budget_idea.withdrawn").exists()


def test_others_cannot_withdraw(submission_cycle, verified_resident, voter_factory, idea_factory):
    idea = idea_factory(verified_resident, submission_cycle)
    with pytest.raises(PermissionDenied):
        services.idea_withdraw(actor=voter_factory()[0], idea=idea)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SUBMITTED


def test_a_draft_can_be_deleted_but_a_submitted_idea_never(
    submission_cycle, verified_resident, idea_factory
):
    draft = idea_factory(verified_resident, submission_cycle, submit=False)
    services.idea_delete_draft(actor=verified_resident, idea=draft)
    assert not Idea.objects.filter(pk=draft.pk).exists()
    submitted = idea_factory(verified_resident, submission_cycle)
    with pytest.raises(services.IdeaRejected, match="never deleted"):
        services.idea_delete_draft(actor=verified_resident, idea=submitted)
    assert Idea.objects.filter(pk=submitted.pk).exists()


# --- following --------------------------------------------------------------------------


def test_follow_counts_stay_right(submission_cycle, verified_resident, voter_factory, idea_factory):
    idea = idea_factory(verified_resident, submission_cycle)
    a, b = voter_factory()[0], voter_factory()[0]
    assert services.idea_follow(actor=a, idea=idea) is True
    assert services.idea_follow(actor=a, idea=idea) is False  # twice: once
    services.idea_follow(actor=b, idea=idea)
    assert idea.follower_count == 2 == IdeaFollow.objects.filter(idea=idea).count()
    assert services.idea_unfollow(actor=a, idea=idea) is True
    assert services.idea_unfollow(actor=a, idea=idea) is False
    idea.refresh_from_db()
    assert idea.follower_count == 1


def test_drafts_cannot_be_followed(submission_cycle, verified_resident, resident, idea_factory):
    draft = idea_factory(verified_resident, submission_cycle, submit=False)
    with pytest.raises(services.IdeaRejected):
        services.idea_follow(actor=resident, idea=draft)
    assert draft.follower_count == 0


# --- photos and comments ----------------------------------------------------------------


def _jpeg_with_gps() -> SimpleUploadedFile:
    image = Image.new("RGB", (40, 30), "green")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0131] = "Camera 1.0"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    assert Image.open(io.BytesIO(buffer.getvalue())).getexif()[0x010F] == "PhoneMaker"
    return SimpleUploadedFile("lake.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_photos_lose_their_exif_and_need_a_description(
    submission_cycle, verified_resident, idea_factory
):
    idea = idea_factory(verified_resident, submission_cycle)
    with pytest.raises(services.IdeaRejected, match="Describe the photo"):
        services.idea_photo_add(
            actor=verified_resident, idea=idea, upload=_jpeg_with_gps(), alt_text=" "
        )
    photo = services.idea_photo_add(
        actor=verified_resident, idea=idea, upload=_jpeg_with_gps(), alt_text="The lake shore"
    )
    stored = Image.open(photo.file)
    assert not stored.getexif()
    assert list(attachments_of(target=idea)) == [photo]
    assert photo.alt_text == "The lake shore"


def test_a_pdf_is_not_a_photo(submission_cycle, verified_resident, idea_factory):
    idea = idea_factory(verified_resident, submission_cycle)
    pdf = SimpleUploadedFile("x.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
    with pytest.raises(services.IdeaRejected, match="Only photos"):
        services.idea_photo_add(actor=verified_resident, idea=idea, upload=pdf, alt_text="Plan")
    assert not attachments_of(target=idea).exists()


def test_strangers_cannot_add_photos(submission_cycle, verified_resident, resident, idea_factory):
    idea = idea_factory(verified_resident, submission_cycle)
    with pytest.raises(PermissionDenied):
        services.idea_photo_add(actor=resident, idea=idea, upload=_jpeg_with_gps(), alt_text="x")


def test_comments_on_public_ideas_only(submission_cycle, verified_resident, resident, idea_factory):
    draft = idea_factory(verified_resident, submission_cycle, submit=False)
    with pytest.raises(PermissionDenied):
        comment_post(actor=resident, target=draft, body="Early!")
    idea = idea_factory(verified_resident, submission_cycle)
    comment = comment_post(actor=resident, target=idea, body="Good idea.")
    assert comment.municipality == submission_cycle.municipality


def test_officers_are_told_of_new_ideas(
    submission_cycle, verified_resident, budget_officer, idea_factory
):
    idea = idea_factory(verified_resident, submission_cycle)
    note = Notification.objects.get(recipient=budget_officer, kind="budgeting.staff")
    assert note.url.endswith(f"/ideas/{idea.pk}/")
