"""Every PB page leads on to the obvious next page (found missing when walking the demo as a
resident and as a journalist): idea → ballot, ideas → vote, results-not-yet → vote,
statistics → ideas / turnout / results, results → statistics; and what the pages say once a
phase is over (the review queue after the review, a cancelled project, a result confirmed
without an officer on record)."""

import pytest
from django.utils import timezone

from lidzdaliba.budgeting.models import CycleStatus, IdeaStatus, Implementation
from tests.budgeting.factories import make_ballot_projects
from tests.budgeting.results_factories import counted_cycle

pytestmark = pytest.mark.django_db


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_an_idea_on_the_ballot_links_to_its_ballot_while_voting_is_open(client, voting_cycle):
    idea = voting_cycle.ideas.filter(category__slug="pasakumi").first()

    html = page(client, f"/en/budget/{voting_cycle.slug}/ideas/{idea.pk}/")

    assert f'href="/en/budget/{voting_cycle.slug}/vote/pasakumi/"' in html
    # and the breadcrumbs lead back to the cycle, not only to the list
    assert f'href="/en/budget/{voting_cycle.slug}/"' in html


def test_no_ballot_link_before_voting(client, cycle_factory):
    cycle = cycle_factory(CycleStatus.REVIEW, slug="pb-review")
    idea = make_ballot_projects(cycle, {"pasakumi": [10_000]})["pasakumi"][0]

    html = page(client, f"/en/budget/{cycle.slug}/ideas/{idea.pk}/")

    assert "/vote/" not in html


def test_the_ideas_list_and_the_waiting_results_page_lead_to_the_vote(client, voting_cycle):
    vote = f'href="/en/budget/{voting_cycle.slug}/vote/"'

    assert vote in page(client, f"/en/budget/{voting_cycle.slug}/ideas/")
    results = page(client, f"/en/budget/{voting_cycle.slug}/results/")
    assert vote in results
    assert f'href="/en/budget/{voting_cycle.slug}/turnout/"' in results
    assert f'href="/en/budget/{voting_cycle.slug}/statistics/"' in results


def test_statistics_lead_on_to_the_pages_of_the_phase(client, voting_cycle, municipality):
    html = page(client, f"/en/budget/{voting_cycle.slug}/statistics/")
    assert f'href="/en/budget/{voting_cycle.slug}/ideas/"' in html
    assert f'href="/en/budget/{voting_cycle.slug}/turnout/"' in html
    assert f'href="/en/budget/{voting_cycle.slug}/results/"' not in html

    counted = counted_cycle(municipality, slug="pb-done")
    html = page(client, f"/en/budget/{counted.slug}/statistics/")
    assert f'href="/en/budget/{counted.slug}/results/"' in html


def test_after_the_review_the_queue_shows_the_whole_record(client, voting_cycle, budget_officer):
    client.force_login(budget_officer)
    idea = voting_cycle.ideas.filter(status=IdeaStatus.ADMITTED).first()

    html = page(client, f"/en/budget/staff/{voting_cycle.slug}/review/")

    assert idea.title in html
    assert "The review phase is over" in html
    assert "final decisions and merges are made in the review phase" not in html


def test_a_cancelled_project_shows_no_progress_bar(client, municipality):
    cycle = counted_cycle(municipality, slug="pb-impl")
    idea = cycle.ideas.filter(status=IdeaStatus.ADMITTED).first()
    Implementation.objects.update_or_create(
        idea=idea,
        defaults={
            "status": "cancelled",
            "progress": 0,
            "cancel_reason": "No site.",
            "planned_cost_cents": idea.ballot_cost_cents or idea.cost_cents,
        },
    )
    cycle.status = CycleStatus.IMPLEMENTATION
    cycle.save(update_fields=["status"])

    html = page(client, f"/en/budget/{cycle.slug}/projects/")

    assert "Cancelled" in html
    assert "0 % done" not in html
    assert "<progress" not in html


def test_a_result_confirmed_with_no_officer_on_record_never_says_none(
    client, municipality, budget_officer
):
    cycle = counted_cycle(municipality, slug="pb-conf")
    cycle.results_confirmed_at = timezone.now()
    cycle.results_decision = "Decision No. 7"
    cycle.results_confirmed_by = None
    cycle.save()
    client.force_login(budget_officer)

    html = page(client, f"/en/budget/staff/{cycle.slug}/results/")

    assert "Decision No. 7" in html
    assert "None" not in html


def test_the_cycle_page_leads_a_signed_in_author_to_their_ideas(
    client, submission_cycle, verified_resident
):
    url = f"/en/budget/{submission_cycle.slug}/"
    mine = f'href="/en/budget/{submission_cycle.slug}/ideas/mine/"'
    assert mine not in page(client, url)

    client.force_login(verified_resident)

    assert mine in page(client, url)


def test_ideas_of_a_counted_cycle_say_funded_or_not_funded(client, municipality):
    """Once counted, "On the ballot" is no longer the news: each ballot idea says whether
    it was funded."""
    from lidzdaliba.budgeting.demo import load_budgeting

    load_budgeting(municipality)
    page = client.get("/en/budget/2025/ideas/").content.decode()
    assert page.count("idea-status-funded") == 12
    assert page.count("idea-status-not-funded") == 31 - 12
    assert "idea-status-admitted" not in page
