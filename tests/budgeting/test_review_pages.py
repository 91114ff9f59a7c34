"""Officers' review pages: permissions and the second factor, the queue (with a constant
number of queries), the checklist, proposal, final decision and merge forms."""

import pytest

from lidzdaliba.budgeting.models import CycleStatus, IdeaReview, IdeaStatus

from .factories import make_idea

pytestmark = pytest.mark.django_db


@pytest.fixture
def review_cycle(cycle_factory):
    return cycle_factory(CycleStatus.REVIEW, slug="pb-review")


@pytest.fixture
def idea(review_cycle, voter_factory):
    infra = review_cycle.categories.get(slug="infrastruktura")
    return make_idea(
        review_cycle,
        infra,
        status=IdeaStatus.SUBMITTED,
        author=voter_factory()[0],
        number=1,
        title="Lake benches",
    )


def queue(cycle, lang=""):
    return f"{'/' + lang if lang else ''}/budget/staff/{cycle.slug}/review/"


def one(cycle, idea, lang=""):
    return f"{queue(cycle, lang)}{idea.pk}/"


def test_residents_and_anonymous_people_cannot_open_the_review(
    client, review_cycle, idea, verified_resident
):
    assert client.get(queue(review_cycle)).status_code == 302  # to the login
    client.force_login(verified_resident)
    assert client.get(queue(review_cycle)).status_code == 403
    assert client.get(one(review_cycle, idea)).status_code == 403
    response = client.post(one(review_cycle, idea), {"action": "checklist", "check-legal": "yes"})
    assert response.status_code == 403
    assert not IdeaReview.objects.exists()


def test_officers_need_the_second_factor(client, review_cycle, officer_factory):
    client.force_login(officer_factory("budgeting"))
    response = client.get(queue(review_cycle))
    assert response.status_code == 302
    assert "totp" in response["Location"]


def test_the_queue_shows_submitted_ideas_with_their_checklist(
    client, review_cycle, idea, budget_officer
):
    IdeaReview.objects.create(idea=idea, legal="yes", ownership="no", maintenance_cost_cents=0)
    client.force_login(budget_officer)
    html = client.get(queue(review_cycle, "en")).content.decode()
    assert "Lake benches" in html
    assert "3 of 4" in html
    lv = client.get(queue(review_cycle))
    assert lv.status_code == 200
    assert '<html lang="lv">' in lv.content.decode()


def test_the_queue_uses_a_constant_number_of_queries(
    client, review_cycle, idea, budget_officer, django_assert_max_num_queries
):
    client.force_login(budget_officer)
    client.get(queue(review_cycle))
    with django_assert_max_num_queries(15) as few:
        client.get(queue(review_cycle))
    infra = idea.category
    for n in range(2, 30):
        made = make_idea(review_cycle, infra, status=IdeaStatus.SUBMITTED, number=n)
        IdeaReview.objects.create(idea=made, legal="yes")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(queue(review_cycle))
    assert response.content.decode().count("<tr>") == 30  # header + 29 ideas


def test_an_officer_reviews_admits_and_the_decision_is_final_after_the_answer(
    client, review_cycle, idea, budget_officer
):
    client.force_login(budget_officer)
    page = one(review_cycle, idea, "en")
    assert "Save the checklist" in client.get(page).content.decode()
    # admitting before the checks are met is explained, nothing is proposed
    response = client.post(
        page, {"action": "propose", "propose-proposal": "admit", "propose-reason": "Fits."}
    )
    assert response.status_code == 400
    assert "every check must be met" in response.content.decode()
    # the checklist with the officers' estimate
    client.post(
        page,
        {
            "action": "checklist",
            "check-legal": "yes",
            "check-ownership": "yes",
            "check-cost": "yes",
            "check-officer_cost": "21 000",
            "check-maintenance_cost": "500",
            "check-maintenance_note": "Painting every year.",
        },
    )
    review = IdeaReview.objects.get(idea=idea)
    assert (review.officer_cost_cents, review.maintenance_cost_cents) == (2_100_000, 50_000)
    client.post(page, {"action": "propose", "propose-proposal": "admit", "propose-reason": "Fits."})
    review.refresh_from_db()
    assert review.proposal == "admit"
    assert review.answer_due_at
    # finalising inside the answer window is refused with the date
    client.post(page, {"action": "finalise"})
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SUBMITTED
    assert "may answer until" in client.get(page).content.decode()
    # once the author has answered, it can be made final
    review.author_answer = "Thanks."
    review.author_answered_at = review.proposed_at
    review.save()
    client.post(page, {"action": "finalise"})
    idea.refresh_from_db()
    assert (idea.status, idea.ballot_cost_cents) == (IdeaStatus.ADMITTED, 2_100_000)


def test_merging_from_the_review_page(client, review_cycle, idea, budget_officer):
    other = make_idea(
        review_cycle, idea.category, status=IdeaStatus.SUBMITTED, number=2, title="Benches 2"
    )
    client.force_login(budget_officer)
    page = one(review_cycle, other, "en")
    response = client.post(page, {"action": "merge", "merge-into": idea.pk, "merge-reason": ""})
    assert response.status_code == 400
    client.post(page, {"action": "merge", "merge-into": idea.pk, "merge-reason": "Same benches."})
    other.refresh_from_db()
    assert other.status == IdeaStatus.MERGED
    assert other.merged_into == idea


def test_a_bad_amount_in_the_checklist_is_explained(client, review_cycle, idea, budget_officer):
    client.force_login(budget_officer)
    response = client.post(
        one(review_cycle, idea, "en"), {"action": "checklist", "check-officer_cost": "a lot"}
    )
    assert response.status_code == 400
    assert "Write an amount in euros" in response.content.decode()
    assert not IdeaReview.objects.exists()


def test_drafts_are_not_in_the_review(
    client, submission_cycle, budget_officer, idea_factory, verified_resident
):
    draft = idea_factory(verified_resident, submission_cycle, submit=False)
    client.force_login(budget_officer)
    assert client.get(one(submission_cycle, draft)).status_code == 404
