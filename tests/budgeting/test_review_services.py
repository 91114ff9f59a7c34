"""The officers' review through its services: checklist, proposal, the author's answer
window, the final decision, merging duplicates, permissions, notifications and audit."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from lidzdaliba.budgeting.models import CycleStatus, IdeaFollow, IdeaReview, IdeaStatus
from lidzdaliba.budgeting.services import ideas as idea_services
from lidzdaliba.budgeting.services import review as services
from lidzdaliba.core.models import AuditEvent, Notification

from .factories import make_idea

pytestmark = pytest.mark.django_db

ALL_MET = {"legal": "yes", "ownership": "yes", "cost": "yes"}


@pytest.fixture
def review_cycle(cycle_factory):
    cycle = cycle_factory(CycleStatus.REVIEW, slug="pb-review")
    cycle.author_answer_days = 7
    cycle.save()
    return cycle


@pytest.fixture
def author(voter_factory):
    return voter_factory()[0]


@pytest.fixture
def coauthor(voter_factory):
    return voter_factory()[0]


@pytest.fixture
def idea(review_cycle, author, coauthor):
    infra = review_cycle.categories.get(slug="infrastruktura")
    idea = make_idea(
        review_cycle, infra, status=IdeaStatus.SUBMITTED, author=author, number=1, cost_eur=20_000
    )
    idea.coauthors.add(coauthor)
    return idea


def _propose(officer, idea, proposal="admit", **checks):
    services.review_save(actor=officer, idea=idea, **{**ALL_MET, **checks})
    return services.review_propose(actor=officer, idea=idea, proposal=proposal, reason="Fits.")


def test_the_checklist_is_saved_with_notes_and_audited(idea, budget_officer):
    review = services.review_save(
        actor=budget_officer,
        idea=idea,
        legal="yes",
        ownership="no",
        cost="",
        ownership_note="Private land.",
        officer_cost_cents=2_500_000,
        maintenance_cost_cents=30_000,
    )
    assert (review.legal, review.ownership, review.ownership_note) == ("yes", "no", "Private land.")
    state = services.checklist_state(review)
    assert state["done"] == 3
    assert state["total"] == 4
    assert len(state["failed"]) == 1
    event = AuditEvent.objects.get(verb="budget_idea.review_saved")
    assert event.data["officer_cost_cents"] == 2_500_000


@pytest.mark.parametrize("who", ["author", "verified_resident", "moderator"])
def test_only_budget_officers_review(request, idea, who):
    user = idea.author if who == "author" else request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.review_save(actor=user, idea=idea, **ALL_MET)
    with pytest.raises(PermissionDenied):
        services.review_propose(actor=user, idea=idea, proposal="reject", reason="No.")
    assert not IdeaReview.objects.exists()


def test_an_officer_of_another_municipality_cannot_review(idea, officer_factory, municipality):
    from lidzdaliba.core.models import Municipality

    other = Municipality.objects.create(
        name="Ventspils", slug="ventspils", map_center_lat=57.39, map_center_lon=21.56
    )
    officer = officer_factory("budgeting")
    officer.municipality = other
    officer.save()
    with pytest.raises(PermissionDenied):
        services.review_save(actor=officer, idea=idea, **ALL_MET)


def test_admitting_needs_every_check_met(idea, budget_officer):
    services.review_save(actor=budget_officer, idea=idea, legal="yes", ownership="no", cost="yes")
    with pytest.raises(services.ReviewRejected, match="every check must be met"):
        services.review_propose(actor=budget_officer, idea=idea, proposal="admit", reason="Ok.")
    assert IdeaReview.objects.get(idea=idea).proposal == ""


def test_a_proposal_needs_a_public_reason(idea, budget_officer):
    with pytest.raises(services.ReviewRejected, match="public reason"):
        services.review_propose(actor=budget_officer, idea=idea, proposal="reject", reason=" ")


def test_an_officer_estimate_over_the_cap_cannot_be_admitted(idea, budget_officer):
    services.review_save(actor=budget_officer, idea=idea, officer_cost_cents=6_000_000, **ALL_MET)
    with pytest.raises(services.ReviewRejected, match="over the limit"):
        services.review_propose(actor=budget_officer, idea=idea, proposal="admit", reason="Ok.")


def test_proposing_tells_the_authors_and_opens_the_answer_window(
    idea, budget_officer, author, coauthor
):
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        review = _propose(budget_officer, idea)
    assert review.answer_due_at == now + dt.timedelta(days=7)
    for person in (author, coauthor):
        note = Notification.objects.get(recipient=person, kind="budgeting.idea_own")
        assert "Fits." in note.body
    assert AuditEvent.objects.filter(verb="budget_idea.decision_proposed").exists()


def test_the_decision_is_final_only_after_the_window(idea, budget_officer):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _propose(budget_officer, idea)
        with pytest.raises(services.ReviewRejected, match="may answer until"):
            services.review_finalise(actor=budget_officer, idea=idea)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SUBMITTED
    with time_machine.travel(start + dt.timedelta(days=7, seconds=1), tick=False):
        services.review_finalise(actor=budget_officer, idea=idea)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.ADMITTED
    assert idea.ballot_cost_cents == 2_000_000  # no officer estimate: the author's
    assert idea.decision_reason == "Fits."
    assert idea.decided_at is not None


def test_the_author_answers_once_within_the_window_and_then_it_can_be_final(
    idea, budget_officer, author, coauthor
):
    _propose(budget_officer, idea, proposal="reject")
    with pytest.raises(PermissionDenied):
        services.review_answer(actor=coauthor, idea=idea, answer="I disagree.")
    services.review_answer(actor=author, idea=idea, answer="The land is the city's.")
    with pytest.raises(services.ReviewRejected, match="already answered"):
        services.review_answer(actor=author, idea=idea, answer="Again.")
    assert Notification.objects.filter(recipient=budget_officer, kind="budgeting.staff").exists()
    # after the answer, the officer may decide at once
    services.review_finalise(actor=budget_officer, idea=idea)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.REJECTED
    assert idea.decision_reason == "Fits."
    assert IdeaReview.objects.get(idea=idea).author_answer == "The land is the city's."
    assert AuditEvent.objects.filter(verb="budget_idea.rejected").exists()


def test_no_answer_after_the_window(idea, budget_officer, author):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _propose(budget_officer, idea)
    with (
        time_machine.travel(start + dt.timedelta(days=8), tick=False),
        pytest.raises(services.ReviewRejected, match="time to answer has passed"),
    ):
        services.review_answer(actor=author, idea=idea, answer="Late.")
    assert IdeaReview.objects.get(idea=idea).author_answer == ""


def test_admitted_with_the_officers_estimate(idea, budget_officer, author, voter_factory):
    follower = voter_factory()[0]
    idea_services.idea_follow(actor=follower, idea=idea)
    services.review_save(actor=budget_officer, idea=idea, officer_cost_cents=2_345_600, **ALL_MET)
    services.review_propose(actor=budget_officer, idea=idea, proposal="admit", reason="Fits.")
    services.review_answer(actor=author, idea=idea, answer="Thank you.")
    services.review_finalise(actor=budget_officer, idea=idea)
    idea.refresh_from_db()
    assert (idea.status, idea.ballot_cost_cents) == (IdeaStatus.ADMITTED, 2_345_600)
    assert Notification.objects.filter(recipient=follower, kind="budgeting.idea_followed").exists()
    assert Notification.objects.filter(
        recipient=author, kind="budgeting.idea_own", title__contains="on the ballot"
    ).exists()


def test_a_decided_idea_is_not_reviewed_again(idea, budget_officer, author):
    _propose(budget_officer, idea)
    services.review_answer(actor=author, idea=idea, answer="Ok.")
    services.review_finalise(actor=budget_officer, idea=idea)
    with pytest.raises(services.ReviewRejected, match="already been decided"):
        services.review_propose(actor=budget_officer, idea=idea, proposal="reject", reason="No.")
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.ADMITTED


def test_early_work_during_submission_but_final_decisions_only_in_review(
    submission_cycle, verified_resident, budget_officer, idea_factory
):
    # given an idea submitted while submission is still open
    idea = idea_factory(verified_resident, submission_cycle)
    # the checklist and a proposal may be prepared
    _propose(budget_officer, idea)
    services.review_answer(actor=verified_resident, idea=idea, answer="Fine.")
    # but the decision cannot be made final before submission closes
    with pytest.raises(services.ReviewRejected, match="review phase"):
        services.review_finalise(actor=budget_officer, idea=idea)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SUBMITTED


def test_no_review_once_voting_started(cycle_factory, author, budget_officer):
    cycle = cycle_factory(CycleStatus.VOTING, slug="pb-v")
    idea = make_idea(
        cycle, cycle.categories.first(), status=IdeaStatus.SUBMITTED, author=author, number=1
    )
    with pytest.raises(services.ReviewRejected):
        services.review_save(actor=budget_officer, idea=idea, **ALL_MET)


def test_merging_a_duplicate(idea, budget_officer, author, review_cycle, voter_factory):
    # given a duplicate with its own follower
    other_author = voter_factory()[0]
    duplicate = make_idea(
        review_cycle,
        idea.category,
        title="Benches again",
        status=IdeaStatus.SUBMITTED,
        author=other_author,
        number=2,
    )
    follower = voter_factory()[0]
    idea_services.idea_follow(actor=follower, idea=duplicate)
    # when it is merged into the first idea
    services.idea_merge(actor=budget_officer, idea=duplicate, into=idea, reason="Same benches.")
    # then it shows "merged into" with the reason, and the target stays as it was
    duplicate.refresh_from_db()
    idea.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into, duplicate.decision_reason) == (
        IdeaStatus.MERGED,
        idea,
        "Same benches.",
    )
    assert duplicate.decided_at is not None
    assert duplicate.is_public
    assert idea.status == IdeaStatus.SUBMITTED
    # the follower now follows the target too, and both authors are told
    assert IdeaFollow.objects.filter(idea=idea, user=follower).exists()
    assert idea.follower_count == 1
    for person in (author, other_author):
        assert Notification.objects.filter(recipient=person, kind="budgeting.idea_own").exists()
    assert AuditEvent.objects.filter(
        verb="budget_idea.merged", target_id=str(duplicate.pk)
    ).exists()
    assert AuditEvent.objects.filter(
        verb="budget_idea.merge_target", target_id=str(idea.pk)
    ).exists()


def test_merge_refusals(idea, budget_officer, review_cycle, cycle_factory):
    with pytest.raises(services.ReviewRejected, match="into itself"):
        services.idea_merge(actor=budget_officer, idea=idea, into=idea, reason="x")
    elsewhere = cycle_factory(CycleStatus.REVIEW, slug="elsewhere")
    foreign = make_idea(elsewhere, elsewhere.categories.first(), status=IdeaStatus.SUBMITTED)
    with pytest.raises(services.ReviewRejected, match="same cycle"):
        services.idea_merge(actor=budget_officer, idea=idea, into=foreign, reason="x")
    other = make_idea(review_cycle, idea.category, status=IdeaStatus.SUBMITTED, number=2)
    with pytest.raises(services.ReviewRejected, match="reason for merging"):
        services.idea_merge(actor=budget_officer, idea=idea, into=other, reason="")
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SUBMITTED
    assert idea.merged_into is None


def test_ideas_ready_to_finalise(idea, budget_officer, author):
    assert services.ideas_awaiting_finalisation(cycle=idea.cycle) == []
    _propose(budget_officer, idea)
    assert services.ideas_awaiting_finalisation(cycle=idea.cycle) == []
    services.review_answer(actor=author, idea=idea, answer="Ok.")
    assert services.ideas_awaiting_finalisation(cycle=idea.cycle) == [idea]
