"""Voting pages: overview, ballot page (plain form and htmx), turnout, staff paper form."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from lidzdaliba.budgeting.models import Ballot, BallotChoice
from lidzdaliba.budgeting.services import voting as services

from .conftest import voter_code
from .factories import make_ballot_projects

pytestmark = pytest.mark.django_db

VOTE = "/budget/pb-voting/vote/"
INFRA = "/budget/pb-voting/vote/infrastruktura/"
EVENTS = "/budget/pb-voting/vote/pasakumi/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def ideas(cycle, slug):
    return list(cycle.ideas.filter(category__slug=slug).order_by("number"))


def stored():
    return set(BallotChoice.objects.values_list("idea_id", flat=True))


# --- overview -----------------------------------------------------------------------------


def test_overview_asks_a_visitor_to_log_in(client, voting_cycle):
    page = client.get("/en" + VOTE).content.decode()
    assert "Log in to vote" in page
    assert "Infrastructure" in page
    assert "Events" in page
    assert client.get(VOTE).status_code == 200  # Latvian default


def test_overview_sends_an_unverified_resident_to_verification(client, voting_cycle, resident):
    client.force_login(resident)
    page = client.get("/en" + VOTE).content.decode()
    with translation.override("en"):
        verify_url = reverse("accounts:verify")
    assert "Verify your residence" in page
    assert f'href="{verify_url}"' in page


def test_overview_shows_each_category_counted_or_not(client, voting_cycle, verified_resident):
    client.force_login(verified_resident)
    page = client.get("/en" + VOTE).content.decode()
    assert page.count("Not voted yet") == 2
    ballot = services.ballot_save(
        user=verified_resident,
        cycle=voting_cycle,
        category=voting_cycle.categories.get(slug="pasakumi"),
        choices={ideas(voting_cycle, "pasakumi")[0].pk: 1},
    )
    page = client.get("/en" + VOTE).content.decode()
    assert page.count("Not voted yet") == 1
    assert "Your vote is counted" in page
    assert ballot.receipt_code in page


def test_overview_of_a_paper_voter(client, voting_cycle, voter_factory, officer_factory):
    user, code = voter_factory()
    services.paper_ballot_enter(
        officer=officer_factory("budgeting"),
        cycle=voting_cycle,
        category_choices={
            ideas(voting_cycle, "pasakumi")[0].category_id: {
                ideas(voting_cycle, "pasakumi")[0].pk: 1
            }
        },
        personal_code=code,
        id_document_checked=True,
    )
    client.force_login(user)
    assert "client-service centre" in client.get("/en" + VOTE).content.decode()
    page = client.get("/en" + INFRA).content.decode()
    assert "client-service centre" in page
    assert 'name="idea"' in page
    assert "disabled" in page


def test_unknown_cycle_and_category_are_404(client, voting_cycle):
    assert client.get("/budget/nope/vote/").status_code == 404
    assert client.get("/budget/pb-voting/vote/nope/").status_code == 404
    assert client.get("/budget/nope/turnout/").status_code == 404


# --- ballot page --------------------------------------------------------------------------


def test_ballot_page_lists_projects_with_cost_and_links(client, voting_cycle, verified_resident):
    client.force_login(verified_resident)
    page = client.get("/en" + INFRA).content.decode()
    for idea in ideas(voting_cycle, "infrastruktura"):
        assert idea.title in page
        assert idea.summary in page
        assert f'value="{idea.pk}"' in page
    assert "€40,000.00" in page
    assert "Choose up to 3 projects." in page
    assert "You have not voted in this category yet." in page
    assert "Save my vote" in page
    assert 'hx-post="/en/budget/pb-voting/vote/infrastruktura/"' in page


def test_ballot_page_query_count_does_not_grow_with_projects(
    client, voting_cycle, verified_resident, django_assert_max_num_queries
):
    client.force_login(verified_resident)
    services.ballot_save(
        user=verified_resident,
        cycle=voting_cycle,
        category=voting_cycle.categories.get(slug="infrastruktura"),
        choices={ideas(voting_cycle, "infrastruktura")[0].pk: 1},
    )
    with django_assert_max_num_queries(9):
        assert client.get(INFRA).status_code == 200
    make_ballot_projects(voting_cycle, {"infrastruktura": [1_000] * 25})
    with django_assert_max_num_queries(9):
        page = client.get(INFRA).content.decode()
    assert page.count('name="idea"') == 29


def test_plain_post_saves_and_redirects(client, voting_cycle, verified_resident):
    client.force_login(verified_resident)
    infra = ideas(voting_cycle, "infrastruktura")
    response = client.post("/en" + INFRA, {"idea": [infra[0].pk, infra[3].pk]})
    assert response.status_code == 302
    assert response["Location"].endswith(INFRA)
    assert stored() == {infra[0].pk, infra[3].pk}
    page = client.get(response["Location"]).content.decode()
    receipt = Ballot.objects.get().receipt_code
    assert receipt in page
    assert "Your vote is counted" in page
    assert "Picks left" in page


def test_htmx_change_returns_the_status_with_picks_left(client, voting_cycle, verified_resident):
    client.force_login(verified_resident)
    infra = ideas(voting_cycle, "infrastruktura")
    response = client.post("/en" + INFRA, {"idea": [infra[0].pk]}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="ballot-status"')
    assert "Your vote is counted" in body
    assert Ballot.objects.get().receipt_code in body
    assert "Picks left: <strong>2</strong> of 3" in body
    response = client.post("/en" + INFRA, {"idea": [infra[0].pk, infra[1].pk]}, **HTMX)
    assert "Picks left: <strong>1</strong> of 3" in response.content.decode()
    assert stored() == {infra[0].pk, infra[1].pk}


def test_htmx_over_the_limit_swaps_the_form_back_and_saves_nothing(
    client, voting_cycle, verified_resident
):
    client.force_login(verified_resident)
    infra = ideas(voting_cycle, "infrastruktura")
    client.post(INFRA, {"idea": [p.pk for p in infra[:3]]}, **HTMX)
    response = client.post("/en" + INFRA, {"idea": [p.pk for p in infra]}, **HTMX)
    body = response.content.decode()
    assert response["HX-Retarget"] == "#ballot-form"
    assert "You may choose at most 3 projects. Nothing was saved." in body
    assert body.count("checked") == 3  # the stored ballot, not the refused one
    assert stored() == {p.pk for p in infra[:3]}


def test_knapsack_shows_money_left(client, voting_cycle, verified_resident):
    voting_cycle.categories.filter(slug="infrastruktura").update(
        ballot_form="knapsack", max_picks=None
    )
    client.force_login(verified_resident)
    infra = ideas(voting_cycle, "infrastruktura")
    body = client.post("/en" + INFRA, {"idea": [infra[0].pk]}, **HTMX).content.decode()
    assert "Money left: <strong>€145,000.00</strong> of €185,000.00" in body
    body = client.post("/en" + INFRA, {"idea": [p.pk for p in infra[:3]]}, **HTMX).content.decode()
    assert "Nothing was saved" in body
    assert stored() == {infra[0].pk}


def test_cumulative_points_inputs(client, voting_cycle, verified_resident):
    voting_cycle.categories.filter(slug="pasakumi").update(ballot_form="cumulative", points=5)
    client.force_login(verified_resident)
    events = ideas(voting_cycle, "pasakumi")
    page = client.get("/en" + EVENTS).content.decode()
    assert f'name="points-{events[0].pk}"' in page
    body = client.post(
        "/en" + EVENTS, {f"points-{events[0].pk}": "3", f"points-{events[1].pk}": "1"}, **HTMX
    ).content.decode()
    assert "Points left: <strong>1</strong> of 5" in body
    body = client.post("/en" + EVENTS, {f"points-{events[0].pk}": "x"}, **HTMX).content.decode()
    assert "whole numbers" in body
    assert dict(BallotChoice.objects.values_list("idea_id", "points")) == {
        events[0].pk: 3,
        events[1].pk: 1,
    }


def test_single_choice_radio_and_none(client, voting_cycle, verified_resident):
    voting_cycle.categories.filter(slug="pasakumi").update(ballot_form="single")
    client.force_login(verified_resident)
    events = ideas(voting_cycle, "pasakumi")
    page = client.get("/en" + EVENTS).content.decode()
    assert 'type="radio"' in page
    assert "No project" in page
    body = client.post("/en" + EVENTS, {"idea": str(events[2].pk)}, **HTMX).content.decode()
    assert events[2].title in body
    assert "Your vote is counted" in body
    body = client.post("/en" + EVENTS, {"idea": ""}, **HTMX).content.decode()
    assert "not counted" in body
    assert stored() == set()


def test_voting_closed_page_and_post(client, voting_cycle, verified_resident):
    voting_cycle.voting_closes_at = timezone.now() - dt.timedelta(hours=1)
    voting_cycle.save()
    client.force_login(verified_resident)
    page = client.get("/en" + INFRA).content.decode()
    assert "Voting closed on" in page
    assert "Save my vote" not in page
    response = client.post("/en" + INFRA, {"idea": [ideas(voting_cycle, "infrastruktura")[0].pk]})
    assert response.status_code == 400
    assert "Voting closed on" in response.content.decode()
    assert not Ballot.objects.exists()


def test_anonymous_post_goes_to_login(client, voting_cycle):
    response = client.post(INFRA, {"idea": [ideas(voting_cycle, "infrastruktura")[0].pk]})
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert not Ballot.objects.exists()


def test_unverified_post_is_refused_with_a_message(client, voting_cycle, resident):
    client.force_login(resident)
    response = client.post("/en" + INFRA, {"idea": [ideas(voting_cycle, "infrastruktura")[0].pk]})
    assert response.status_code == 400
    assert "verified residence" in response.content.decode()
    assert not Ballot.objects.exists()


def test_garbage_post_is_a_message_not_a_500(client, voting_cycle, verified_resident):
    client.force_login(verified_resident)
    response = client.post("/en" + INFRA, {"idea": ["abc"]})
    assert response.status_code == 400
    response = client.post("/en" + INFRA, {"idea": ["999999"]})
    assert response.status_code == 400
    assert "not on this ballot" in response.content.decode()
    assert not Ballot.objects.exists()


def test_save_query_count_is_constant(
    client, voting_cycle, verified_resident, django_assert_max_num_queries
):
    client.force_login(verified_resident)
    make_ballot_projects(voting_cycle, {"infrastruktura": [1_000] * 25})
    infra = ideas(voting_cycle, "infrastruktura")
    client.post(INFRA, {"idea": [infra[0].pk]}, **HTMX)
    # session, user, category with cycle and residency, projects, upsert, delete, insert
    # (the municipality of the host is cached), and the savepoint + release that the test's
    # own transaction makes of BEGIN/COMMIT
    with django_assert_max_num_queries(9):
        client.post(INFRA, {"idea": [p.pk for p in infra[:3]]}, **HTMX)
    assert len(stored()) == 3


# --- turnout ------------------------------------------------------------------------------


def test_turnout_by_neighbourhood_and_age_band_without_results(
    client, voting_cycle, voter_factory, municipality
):
    other = municipality.neighbourhoods.exclude(slug="karosta").order_by("name").first()
    infra = voting_cycle.categories.get(slug="infrastruktura")
    pick = {ideas(voting_cycle, "infrastruktura")[0].pk: 1}
    today = timezone.localdate()
    for born, nb in [
        (dt.date(1990, 1, 1), None),
        (dt.date(1990, 2, 1), None),
        (today.replace(year=today.year - 17), other),
    ]:
        user, _code = voter_factory(born=born, neighbourhood_=nb)
        services.ballot_save(user=user, cycle=voting_cycle, category=infra, choices=pick)
    # an emptied ballot does not count
    user, _code = voter_factory()
    services.ballot_save(user=user, cycle=voting_cycle, category=infra, choices=pick)
    services.ballot_save(user=user, cycle=voting_cycle, category=infra, choices={})
    page = client.get("/en/budget/pb-voting/turnout/").content.decode()
    assert "<strong>3</strong> people have voted." in page
    assert "Online: 3" in page
    assert '<th scope="row">Karosta</th><td>2</td>' in page
    assert f'<th scope="row">{other.name}</th><td>1</td>' in page
    assert '<th scope="row">16-17</th><td>1</td>' in page
    assert '<th scope="row">35-44</th><td>2</td>' in page
    assert "published only after voting closes" in page
    assert ideas(voting_cycle, "infrastruktura")[0].title not in page  # no votes per project


# --- staff paper ballots -----------------------------------------------------------------


PAPER = "/budget/staff/pb-voting/paper/"


def paper_post(cycle, code, **extra):
    infra = ideas(cycle, "infrastruktura")
    data = {
        "personal_code": code,
        f"cat-{infra[0].category_id}": [infra[0].pk, infra[1].pk],
        "id_document_checked": "on",
    }
    data.update(extra)
    return data


def test_staff_paper_page_enters_a_ballot_and_counts(client, voting_cycle, budget_officer):
    client.force_login(budget_officer)
    page = client.get("/en" + PAPER).content.decode()
    assert "0 paper ballots entered so far." in page
    assert "I checked the voter&#x27;s identity document" in page
    response = client.post("/en" + PAPER, paper_post(voting_cycle, voter_code()), follow=True)
    body = response.content.decode()
    ballot = Ballot.objects.get()
    assert ballot.channel == "paper"
    assert ballot.receipt_code in body
    assert "1 paper ballot entered so far." in body
    assert len(stored()) == 2


def test_staff_paper_double_click_is_refused_clearly(client, voting_cycle, budget_officer):
    client.force_login(budget_officer)
    data = paper_post(voting_cycle, voter_code())
    client.post("/en" + PAPER, data)
    response = client.post("/en" + PAPER, data)
    assert response.status_code == 400
    assert "already been entered" in response.content.decode()
    assert Ballot.objects.count() == 1


def test_staff_paper_requires_the_id_check(client, voting_cycle, budget_officer):
    client.force_login(budget_officer)
    data = paper_post(voting_cycle, voter_code())
    del data["id_document_checked"]
    response = client.post("/en" + PAPER, data)
    assert response.status_code == 400
    assert "Check the identity document first." in response.content.decode()
    assert not Ballot.objects.exists()


def test_staff_paper_refuses_an_online_voter(client, voting_cycle, budget_officer, voter_factory):
    user, code = voter_factory()
    services.ballot_save(
        user=user,
        cycle=voting_cycle,
        category=voting_cycle.categories.get(slug="pasakumi"),
        choices={ideas(voting_cycle, "pasakumi")[0].pk: 1},
    )
    client.force_login(budget_officer)
    response = client.post("/en" + PAPER, paper_post(voting_cycle, code))
    assert "already voted online" in response.content.decode()
    assert Ballot.objects.count() == 1


def test_staff_paper_is_for_budget_officers_with_a_second_factor(
    client, voting_cycle, verified_resident, officer_factory
):
    client.force_login(verified_resident)
    assert client.get(PAPER).status_code == 403
    assert client.post(PAPER, paper_post(voting_cycle, voter_code())).status_code == 403
    client.force_login(officer_factory("budgeting"))  # no authenticator app yet
    response = client.get(PAPER)
    assert response.status_code == 302
    assert "totp" in response["Location"]
    assert not Ballot.objects.exists()


@pytest.mark.parametrize("change", ["revoked", "expired", "other municipality"])
def test_a_residency_no_longer_valid_cannot_vote(
    client, voting_cycle, verified_resident, change, municipality
):
    from lidzdaliba.core.models import Municipality

    residency = verified_resident.residencies.get()
    if change == "revoked":
        residency.revoked_at = timezone.now()
    elif change == "expired":
        residency.expires_at = timezone.now() - dt.timedelta(seconds=1)
    else:
        residency.municipality = Municipality.objects.create(
            slug="other", name="Other", map_center_lat=57.0, map_center_lon=24.0
        )
    residency.save()
    client.force_login(verified_resident)
    response = client.post(
        "/en" + INFRA, {"idea": [ideas(voting_cycle, "infrastruktura")[0].pk]}, **HTMX
    )
    assert "verified residence" in response.content.decode()
    assert not Ballot.objects.exists()


def test_overview_and_turnout_query_counts_are_constant(
    client, voting_cycle, voter_factory, django_assert_max_num_queries
):
    infra = voting_cycle.categories.get(slug="infrastruktura")
    pick = {ideas(voting_cycle, "infrastruktura")[0].pk: 1}
    user, _code = voter_factory()
    services.ballot_save(user=user, cycle=voting_cycle, category=infra, choices=pick)
    client.force_login(user)
    with django_assert_max_num_queries(10):
        assert client.get(VOTE).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/budget/pb-voting/turnout/").status_code == 200
    for n in range(5):
        voter, _code = voter_factory()
        services.ballot_save(user=voter, cycle=voting_cycle, category=infra, choices=pick)
        voting_cycle.categories.create(slug=f"extra-{n}", name=f"Extra {n}", budget_cents=100)
    with django_assert_max_num_queries(10):
        assert client.get(VOTE).status_code == 200
    with django_assert_max_num_queries(10):
        page = client.get("/en/budget/pb-voting/turnout/").content.decode()
    assert "<strong>6</strong> people have voted." in page


def test_staff_paper_page_query_count_is_constant(
    client, voting_cycle, budget_officer, django_assert_max_num_queries
):
    client.force_login(budget_officer)
    client.get(PAPER)
    with django_assert_max_num_queries(14) as first:
        assert client.get(PAPER).status_code == 200
    make_ballot_projects(voting_cycle, {"infrastruktura": [1_000] * 10, "pasakumi": [500] * 10})
    with django_assert_max_num_queries(len(first.captured_queries)):
        page = client.get(PAPER).content.decode()
    assert page.count('type="checkbox"') == 28  # 27 projects and the ID check
