"""Idea pages: the list with filters and map, an idea's page, the form (with cost lines that
work without JavaScript), my ideas, the POST actions; in Latvian and English; query counts."""

import datetime as dt
import json
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from lidzdaliba.budgeting.models import CycleStatus, Idea, IdeaReview, IdeaStatus
from lidzdaliba.budgeting.services import ideas as services
from lidzdaliba.budgeting.services import review as review_services

from .factories import make_idea

pytestmark = pytest.mark.django_db


def url(cycle, rest="", lang=""):
    prefix = f"/{lang}" if lang else ""
    return f"{prefix}/budget/{cycle.slug}/ideas/{rest}"


def form_data(cycle, **over):
    data = {
        "title": "Soliņi pie ezera",
        "summary": "Četri soliņi.",
        "description": "Četri soliņi pie Liepājas ezera.",
        "category": cycle.categories.get(slug="infrastruktura").pk,
        "theme": "",
        "address": "Ezera krasts",
        "lat": "56.5110",
        "lon": "21.0137",
        "coauthors": "",
        "cost-TOTAL_FORMS": "3",
        "cost-INITIAL_FORMS": "0",
        "cost-MIN_NUM_FORMS": "0",
        "cost-MAX_NUM_FORMS": "30",
        "cost-0-description": "Soliņi",
        "cost-0-amount": "1 200,50",
        "cost-1-description": "Atkritumu urna",
        "cost-1-amount": "300",
        "cost-2-description": "",
        "cost-2-amount": "",
        "save": "1",
    }
    data.update(over)
    return data


# --- list ------------------------------------------------------------------------------


def test_the_list_shows_public_ideas_with_filters_and_a_map(
    client, submission_cycle, verified_resident, idea_factory
):
    # given a submitted idea, an event idea and someone's draft
    idea = idea_factory(verified_resident, submission_cycle)
    events = submission_cycle.categories.get(slug="pasakumi")
    event = idea_factory(
        verified_resident, submission_cycle, title="Summer concert", category=events
    )
    draft = idea_factory(verified_resident, submission_cycle, submit=False, title="Secret draft")
    # when
    html = client.get(url(submission_cycle)).content.decode()
    # then
    assert '<html lang="lv">' in html
    assert idea.title in html
    assert event.title in html
    assert draft.title not in html
    features = json.loads(
        re.search(r'id="ideas-map-data"[^>]*>(.*?)</script>', html, re.S).group(1)
    )["features"]
    assert {f["properties"]["url"] for f in features} == {
        url(submission_cycle, f"{idea.pk}/"),
        url(submission_cycle, f"{event.pk}/"),
    }
    filtered = client.get(url(submission_cycle), {"category": events.pk}).content.decode()
    assert event.title in filtered
    assert idea.title not in filtered
    assert (
        idea.title not in client.get(url(submission_cycle), {"status": "admitted"}).content.decode()
    )
    nbh = Idea.objects.get(pk=idea.pk).neighbourhood
    by_place = client.get(url(submission_cycle), {"neighbourhood": nbh.pk}).content.decode()
    assert idea.title in by_place


def test_bad_filters_do_not_break_the_list(client, submission_cycle):
    response = client.get(url(submission_cycle), {"category": "x<script>", "status": "nope"})
    assert response.status_code == 200
    assert "x<script>" not in response.content.decode()


def test_the_list_in_english(client, submission_cycle, verified_resident, idea_factory):
    idea_factory(verified_resident, submission_cycle)
    html = client.get(url(submission_cycle, lang="en")).content.decode()
    assert '<html lang="en">' in html
    assert "1 idea" in html
    assert "Submit an idea" in html


def test_the_list_uses_a_constant_number_of_queries(
    client, submission_cycle, voter_factory, django_assert_max_num_queries
):
    infra = submission_cycle.categories.get(slug="infrastruktura")
    for n in range(3):
        make_idea(submission_cycle, infra, status=IdeaStatus.SUBMITTED, number=n + 1)
    filters = {"category": infra.pk, "status": ""}
    client.get(url(submission_cycle), filters)
    cache.clear()  # the list is a cached fragment: measure the rendering, not a hit
    with django_assert_max_num_queries(12) as few:
        client.get(url(submission_cycle), filters)
    for n in range(3, 40):
        make_idea(submission_cycle, infra, status=IdeaStatus.MERGED, number=n + 1)
    cache.clear()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url(submission_cycle), filters)
    assert response.content.decode().count('class="idea-item"') == 40


def test_a_draft_cycle_is_hidden_from_the_public(client, cycle_factory):
    cycle = cycle_factory(CycleStatus.DRAFT, slug="pb-draft")
    assert client.get(url(cycle)).status_code == 404


# --- detail ----------------------------------------------------------------------------


def test_the_idea_page_shows_everything(
    client, submission_cycle, verified_resident, idea_factory, voter_factory
):
    idea = idea_factory(
        verified_resident,
        submission_cycle,
        cost_lines=[("Soliņi", 120_050), ("Urna", 30_000)],
    )
    html = client.get(url(submission_cycle, f"{idea.pk}/")).content.decode()
    assert idea.title in html
    assert idea.description in html
    assert "Soliņi" in html
    assert "1\xa0200,50\xa0€" in html
    assert "1\xa0500,50\xa0€" in html
    assert idea.neighbourhood.name in html
    assert 'data-idea-point="1"' in html
    assert 'name="action" value="follow"' in html


def test_drafts_are_seen_by_their_authors_only(
    client, submission_cycle, verified_resident, resident, idea_factory
):
    draft = idea_factory(verified_resident, submission_cycle, submit=False)
    assert client.get(url(submission_cycle, f"{draft.pk}/")).status_code == 404
    client.force_login(resident)
    assert client.get(url(submission_cycle, f"{draft.pk}/")).status_code == 404
    client.force_login(verified_resident)
    html = client.get(url(submission_cycle, f"{draft.pk}/", "en")).content.decode()
    assert "This is a draft" in html
    assert "Submit the idea" in html


def test_the_page_escapes_html(client, submission_cycle, verified_resident, idea_factory):
    evil = '<script>alert("x")</script>'
    idea = idea_factory(verified_resident, submission_cycle, title=evil, description=evil)
    html = client.get(url(submission_cycle, f"{idea.pk}/")).content.decode()
    assert "<script>alert" not in html


def test_a_merged_idea_links_to_its_target_with_the_reason(
    client, cycle_factory, budget_officer, voter_factory
):
    cycle = cycle_factory(CycleStatus.REVIEW, slug="pb-r")
    infra = cycle.categories.get(slug="infrastruktura")
    target = make_idea(cycle, infra, status=IdeaStatus.SUBMITTED, number=1, title="Big park")
    dup = make_idea(cycle, infra, status=IdeaStatus.SUBMITTED, number=2, title="Park again")
    review_services.idea_merge(actor=budget_officer, idea=dup, into=target, reason="Same park.")
    html = client.get(url(cycle, f"{dup.pk}/", "en")).content.decode()
    assert "Merged into" in html
    assert "Same park." in html
    assert f'href="/en/budget/{cycle.slug}/ideas/{target.pk}/"' in html
    target_html = client.get(url(cycle, f"{target.pk}/", "en")).content.decode()
    assert "Similar ideas merged into this one" in target_html
    assert "Park again" in target_html


def test_a_rejected_idea_shows_the_public_reason(client, cycle_factory):
    cycle = cycle_factory(CycleStatus.VOTING, slug="pb-v")
    idea = make_idea(cycle, cycle.categories.first(), status=IdeaStatus.REJECTED, number=1)
    html = client.get(url(cycle, f"{idea.pk}/", "en")).content.decode()
    assert "Not admitted" in html
    assert "Reason." in html


def test_a_funded_idea_includes_the_implementation_section(client, voting_cycle):
    from lidzdaliba.budgeting.models import Implementation

    idea = voting_cycle.ideas.first()
    Implementation.objects.create(idea=idea, planned_cost_cents=idea.ballot_cost_cents)
    html = client.get(url(voting_cycle, f"{idea.pk}/", "en")).content.decode()
    assert "pb-impl-section" in html


# --- writing ---------------------------------------------------------------------------


def test_a_resident_writes_and_submits_an_idea(client, submission_cycle, verified_resident):
    client.force_login(verified_resident)
    assert client.get(url(submission_cycle, "new/")).status_code == 200
    response = client.post(url(submission_cycle, "new/"), form_data(submission_cycle, submit="1"))
    idea = Idea.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/ideas/{idea.pk}/")
    assert (idea.status, idea.number, idea.cost_cents) == (IdeaStatus.SUBMITTED, 1, 150_050)
    assert idea.neighbourhood is not None
    assert idea.author == verified_resident


def test_a_draft_is_saved_and_changed(client, submission_cycle, verified_resident):
    client.force_login(verified_resident)
    client.post(url(submission_cycle, "new/"), form_data(submission_cycle))
    idea = Idea.objects.get()
    assert idea.status == IdeaStatus.DRAFT
    page = client.get(url(submission_cycle, f"{idea.pk}/edit/")).content.decode()
    assert 'value="Soliņi"' in page
    assert 'value="1200,50"' in page
    data = form_data(
        submission_cycle,
        title="Seši soliņi",
        **{"cost-INITIAL_FORMS": "2", "cost-0-amount": "2000"},
    )
    client.post(url(submission_cycle, f"{idea.pk}/edit/"), data)
    idea.refresh_from_db()
    assert (idea.title, idea.cost_cents) == ("Seši soliņi", 230_000)


def test_a_place_outside_the_municipality_is_explained(client, submission_cycle, verified_resident):
    client.force_login(verified_resident)
    response = client.post(
        url(submission_cycle, "new/", "en"), form_data(submission_cycle, lat="56.95", lon="24.10")
    )
    assert response.status_code == 200
    assert "This place is outside" in response.content.decode()
    assert not Idea.objects.exists()


def test_the_cost_cap_is_named_in_latvian_money(client, submission_cycle, verified_resident):
    client.force_login(verified_resident)
    response = client.post(
        url(submission_cycle, "new/"), form_data(submission_cycle, **{"cost-0-amount": "60000"})
    )
    html = response.content.decode()
    assert "50\xa0000,00\xa0€" in html
    assert not Idea.objects.exists()


def test_a_wrong_amount_is_explained(client, submission_cycle, verified_resident):
    client.force_login(verified_resident)
    response = client.post(
        url(submission_cycle, "new/", "en"),
        form_data(submission_cycle, **{"cost-0-amount": "twelve"}),
    )
    assert "Write an amount in euros" in response.content.decode()
    assert not Idea.objects.exists()


def test_more_cost_lines_without_javascript(client, submission_cycle, verified_resident):
    client.force_login(verified_resident)
    response = client.post(
        url(submission_cycle, "new/"), form_data(submission_cycle, more_lines="1")
    )
    html = response.content.decode()
    assert 'name="cost-5-amount"' in html
    assert 'value="Soliņi"' in html
    assert not Idea.objects.exists()


def test_a_page_left_open_past_the_deadline_is_refused(
    client, submission_cycle, verified_resident, idea_factory
):
    idea = idea_factory(verified_resident, submission_cycle)
    client.force_login(verified_resident)
    submission_cycle.submission_closes_at = timezone.now() - dt.timedelta(seconds=1)
    submission_cycle.save()
    response = client.post(
        url(submission_cycle, f"{idea.pk}/edit/", "en"),
        form_data(submission_cycle, title="Too late"),
    )
    assert response.status_code == 200
    assert "Idea submission closed on" in response.content.decode()
    idea.refresh_from_db()
    assert idea.title == "Benches by the lake"


def test_the_form_asks_unverified_people_to_declare_their_age(client, submission_cycle, resident):
    client.force_login(resident)
    html = client.get(url(submission_cycle, "new/", "en")).content.decode()
    assert "I am 16 years old or more." in html
    client.post(url(submission_cycle, "new/"), form_data(submission_cycle))
    assert not Idea.objects.exists()
    client.post(url(submission_cycle, "new/"), form_data(submission_cycle, age_declared="on"))
    assert Idea.objects.get().age_declared is True


def test_residents_only_cycles_explain_to_unverified_people(client, submission_cycle, resident):
    submission_cycle.submitters = "residents"
    submission_cycle.save()
    client.force_login(resident)
    html = client.get(url(submission_cycle, "new/", "en")).content.decode()
    assert "only verified residents" in html
    assert 'name="title"' not in html


def test_the_form_needs_a_login(client, submission_cycle):
    response = client.get(url(submission_cycle, "new/"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_strangers_cannot_edit(client, submission_cycle, verified_resident, resident, idea_factory):
    idea = idea_factory(verified_resident, submission_cycle)
    client.force_login(resident)
    assert client.get(url(submission_cycle, f"{idea.pk}/edit/")).status_code == 403
    response = client.post(url(submission_cycle, f"{idea.pk}/edit/"), form_data(submission_cycle))
    assert response.status_code == 403
    assert Idea.objects.get().title == "Benches by the lake"


def test_my_ideas_lists_drafts_too(client, submission_cycle, verified_resident, idea_factory):
    idea_factory(verified_resident, submission_cycle, submit=False, title="My draft")
    idea_factory(verified_resident, submission_cycle, title="My idea")
    client.force_login(verified_resident)
    html = client.get(url(submission_cycle, "mine/")).content.decode()
    assert "My draft" in html
    assert "My idea" in html


# --- actions ---------------------------------------------------------------------------


def test_follow_and_unfollow(client, submission_cycle, verified_resident, resident, idea_factory):
    idea = idea_factory(verified_resident, submission_cycle)
    response = client.post(url(submission_cycle, f"{idea.pk}/follow/"), {"action": "follow"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    client.force_login(resident)
    client.post(url(submission_cycle, f"{idea.pk}/follow/"), {"action": "follow"})
    client.post(url(submission_cycle, f"{idea.pk}/follow/"), {"action": "follow"})
    idea.refresh_from_db()
    assert idea.follower_count == 1
    html = client.get(url(submission_cycle, f"{idea.pk}/", "en")).content.decode()
    assert "Stop following" in html
    client.post(url(submission_cycle, f"{idea.pk}/follow/"), {"action": "unfollow"})
    idea.refresh_from_db()
    assert idea.follower_count == 0


def test_submit_and_withdraw_buttons(client, submission_cycle, verified_resident, idea_factory):
    idea = idea_factory(verified_resident, submission_cycle, submit=False)
    client.force_login(verified_resident)
    client.post(url(submission_cycle, f"{idea.pk}/submit/"))
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SUBMITTED
    assert idea.number == 1
    client.post(url(submission_cycle, f"{idea.pk}/withdraw/"), {"reason": "Duplicate."})
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.WITHDRAWN
    assert idea.decision_reason == "Duplicate."
    html = client.get(url(submission_cycle, f"{idea.pk}/", "en")).content.decode()
    assert "The author withdrew this idea." in html
    assert "Duplicate." in html


def test_the_author_answers_on_the_idea_page(client, cycle_factory, voter_factory, budget_officer):
    cycle = cycle_factory(CycleStatus.REVIEW, slug="pb-r")
    author = voter_factory()[0]
    idea = make_idea(
        cycle, cycle.categories.first(), status=IdeaStatus.SUBMITTED, author=author, number=1
    )
    review_services.review_propose(
        actor=budget_officer, idea=idea, proposal="reject", reason="Private land."
    )
    # a visitor sees the proposal but no form
    page = client.get(url(cycle, f"{idea.pk}/", "en")).content.decode()
    assert "Private land." in page
    assert "Send my answer" not in page
    client.force_login(author)
    page = client.get(url(cycle, f"{idea.pk}/", "en")).content.decode()
    assert "Send my answer" in page
    response = client.post(url(cycle, f"{idea.pk}/answer/"), {"answer": ""})
    assert response.status_code == 400
    client.post(url(cycle, f"{idea.pk}/answer/"), {"answer": "The land is the city's."})
    assert IdeaReview.objects.get(idea=idea).author_answer == "The land is the city's."


def test_delete_a_draft(client, submission_cycle, verified_resident, idea_factory):
    draft = idea_factory(verified_resident, submission_cycle, submit=False)
    client.force_login(verified_resident)
    response = client.post(url(submission_cycle, f"{draft.pk}/delete/"))
    assert response.status_code == 302
    assert not Idea.objects.exists()


def test_get_is_not_allowed_on_actions(client, submission_cycle, verified_resident, idea_factory):
    idea = idea_factory(verified_resident, submission_cycle)
    client.force_login(verified_resident)
    for action in ("submit", "withdraw", "follow", "answer", "delete"):
        assert client.get(url(submission_cycle, f"{idea.pk}/{action}/")).status_code == 405
    assert services.is_author(verified_resident, idea)


def test_the_idea_page_uses_a_constant_number_of_queries(
    client,
    submission_cycle,
    verified_resident,
    voter_factory,
    idea_factory,
    django_assert_max_num_queries,
):
    from lidzdaliba.core.services import comment_post

    idea = idea_factory(verified_resident, submission_cycle)
    page = url(submission_cycle, f"{idea.pk}/")
    client.get(page)
    with django_assert_max_num_queries(20) as few:
        client.get(page)
    people = [voter_factory()[0] for _ in range(6)]
    services.idea_update(
        actor=verified_resident,
        idea=idea,
        cost_lines=[(f"Item {n}", 1_000) for n in range(20)],
        coauthor_emails=[p.email for p in people[:3]],
    )
    for person in people:
        services.idea_follow(actor=person, idea=idea)
        comment_post(actor=person, target=idea, body="Labi!")
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(page).content.decode()
    assert html.count("Labi!") == 6
    assert "Item 19" in html


def test_an_ngo_representative_chooses_the_organisation_on_the_form(
    client, submission_cycle, resident, municipality
):
    from lidzdaliba.accounts.models import Organisation, OrganisationMembership

    ngo = Organisation.objects.create(municipality=municipality, name="Zaļā Liepāja", slug="zl")
    OrganisationMembership.objects.create(
        user=resident,
        organisation=ngo,
        role=OrganisationMembership.Role.REPRESENTATIVE,
        approved_at=timezone.now(),
    )
    client.force_login(resident)
    html = client.get(url(submission_cycle, "new/", "en")).content.decode()
    assert "Zaļā Liepāja" in html
    client.post(url(submission_cycle, "new/"), form_data(submission_cycle, organisation=ngo.pk))
    idea = Idea.objects.get()
    assert idea.organisation == ngo
    assert idea.author_name == "Zaļā Liepāja"


def test_a_counted_idea_shows_its_voting_result(client, municipality):
    from .results_factories import counted_cycle

    cycle = counted_cycle(municipality)
    idea = cycle.ideas_by_name["b"]
    html = client.get(url(cycle, f"{idea.pk}/", "en")).content.decode()
    assert "Voting result" in html
    assert "Not funded" in html
