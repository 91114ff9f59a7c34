"""Cycle pages: public index, archive, cycle page and statistics; staff set-up pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lidzdaliba.budgeting.models import (
    Ballot,
    Category,
    Cycle,
    CycleStatus,
    PhaseChange,
    ProjectResult,
    Tally,
    Theme,
)
from lidzdaliba.core.models import SdgGoal

from .factories import make_ballot_projects, make_idea

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


@pytest.fixture
def officer(officer_factory, client):
    user = officer_factory("budgeting", totp=True)
    client.force_login(user)
    return user


def _ballot(cycle, n, *, neighbourhood=None, age_band="25-34", channel="online"):
    return Ballot.objects.create(
        cycle=cycle,
        identity_key=f"key-{cycle.pk}-{n}",
        receipt_code=f"R{cycle.pk}-{n}",
        public_id=f"P{cycle.pk}-{n}",
        neighbourhood=neighbourhood,
        age_band=age_band,
        channel=channel,
    )


# --- public ------------------------------------------------------------------------------


def test_index_lists_current_cycles_first_then_the_archive(client, cycle_factory):
    cycle_factory(CycleStatus.FINISHED, slug="liepaja-2025")
    cycle_factory(CycleStatus.VOTING, slug="liepaja-2026")
    cycle_factory(CycleStatus.DRAFT, slug="secret-draft")
    html = client.get("/en/budget/").content.decode()
    assert html.index("Test budget liepaja-2026") < html.index("Archive")
    assert html.index("Archive") < html.index("Test budget liepaja-2025")
    assert "secret-draft" not in html


def test_index_is_latvian_by_default(client, cycle_factory):
    cycle_factory(CycleStatus.VOTING, slug="liepaja-2026")
    response = client.get("/budget/")
    assert response.status_code == 200
    assert '<html lang="lv">' in response.content.decode()


def test_index_query_count_does_not_grow_with_cycles(
    client, cycle_factory, django_assert_max_num_queries
):
    for i in range(6):
        cycle = cycle_factory(CycleStatus.FINISHED, slug=f"old-{i}")
        make_ballot_projects(cycle, {"infrastruktura": [10_000, 20_000]})
    with django_assert_max_num_queries(4):
        assert client.get("/en/budget/").status_code == 200


def test_a_draft_cycle_is_hidden_from_the_public(client, cycle_factory, verified_resident):
    cycle_factory(CycleStatus.DRAFT, slug="draft")
    assert client.get("/en/budget/draft/").status_code == 404
    client.force_login(verified_resident)
    assert client.get("/en/budget/draft/").status_code == 404


def test_cycle_page_shows_timeline_money_and_legal_minimum(client, cycle_factory):
    cycle = cycle_factory(CycleStatus.SUBMISSION, slug="liepaja-2027")
    Cycle.objects.filter(pk=cycle.pk).update(
        revenue_year1_cents=60_000_000_00,
        revenue_year2_cents=63_000_000_00,
        revenue_year3_cents=66_000_000_00,
    )
    html = client.get("/budget/liepaja-2027/").content.decode()
    # Latvian dates and money
    assert (
        cycle.voting_opens_at.astimezone(timezone.get_current_timezone()).strftime("%d.%m.%Y.")
        in html
    )
    assert "257\xa0300,00\xa0€" in html  # total
    assert "22\xa0000,00\xa0€" in html  # reserve
    assert "50\xa0000,00\xa0€" in html  # infrastructure cap
    assert "315\xa0000,00\xa0€" in html  # legal minimum
    assert "pb-warning" in html  # the total is below the minimum
    assert 'aria-current="step"' in html


def test_cycle_page_in_english_says_what_a_visitor_can_do(client, cycle_factory):
    cycle_factory(CycleStatus.VOTING, slug="liepaja-2026")
    html = client.get("/en/budget/liepaja-2026/").content.decode()
    assert "What you can do now" in html
    assert "Statistics" in html
    assert "/en/budget/liepaja-2026/statistics/" in html
    assert "The total money" not in html  # no minimum known: no warning


def test_cycle_page_shows_the_reasons_of_manual_moves(client, cycle_factory):
    cycle = cycle_factory(CycleStatus.SUBMISSION, slug="c")
    PhaseChange.objects.create(
        cycle=cycle, from_status="review", to_status="submission", reason="Pagarināts."
    )
    PhaseChange.objects.create(cycle=cycle, from_status="draft", to_status="submission")
    html = client.get("/en/budget/c/").content.decode()
    assert "Pagarināts." in html
    assert html.count("Changes to the schedule") == 1


def test_cycle_page_advances_a_cycle_whose_date_passed(client, cycle_factory):
    cycle = cycle_factory(CycleStatus.SUBMISSION, slug="c")
    Cycle.objects.filter(pk=cycle.pk).update(submission_closes_at=timezone.now() - DAY)
    client.get("/en/budget/c/")
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.REVIEW
    assert PhaseChange.objects.get(cycle=cycle).changed_by is None


def test_cycle_page_query_count_is_constant(client, cycle_factory, django_assert_max_num_queries):
    cycle = cycle_factory(CycleStatus.VOTING, slug="c")
    make_ballot_projects(cycle, {"infrastruktura": [1_000] * 20, "pasakumi": [1_000] * 10})
    for i in range(5):
        Category.objects.create(cycle=cycle, slug=f"x{i}", name=f"X{i}", budget_cents=1)
    with django_assert_max_num_queries(7):
        assert client.get("/en/budget/c/").status_code == 200


def test_statistics_before_voting_hide_turnout_and_money(client, cycle_factory, neighbourhood):
    cycle = cycle_factory(CycleStatus.REVIEW, slug="c")
    infra = cycle.categories.get(slug="infrastruktura")
    make_idea(cycle, infra, status="admitted", neighbourhood=neighbourhood)
    make_idea(cycle, infra, status="rejected")
    make_idea(cycle, infra, status="draft")
    html = client.get("/en/budget/c/statistics/").content.decode()
    assert "Turnout is shown once voting opens." in html
    assert "shown once the results are public" in html
    assert "Karosta" in html


def test_statistics_count_ideas_turnout_and_funded_money(
    client, cycle_factory, neighbourhood, django_assert_max_num_queries
):
    cycle = cycle_factory(CycleStatus.RESULTS, slug="c")
    projects = make_ballot_projects(cycle, {"infrastruktura": [40_000, 60_000]})
    infra = cycle.categories.get(slug="infrastruktura")
    parks = Theme.objects.get(cycle=cycle, name="Parks")
    placed = projects["infrastruktura"][0]
    placed.neighbourhood = neighbourhood
    placed.save()
    placed.sdg_goals.add(SdgGoal.objects.get(number=11))
    make_idea(cycle, infra, status="rejected", title="Rejected")
    make_idea(cycle, infra, status="withdrawn", title="Withdrawn")
    for n in range(3):
        _ballot(cycle, n, neighbourhood=neighbourhood, age_band="16-17")
    _ballot(cycle, 9, channel="paper", age_band="75+")
    tally = Tally.objects.create(cycle=cycle, category=infra, rule="greedy", budget_cents=1)
    ProjectResult.objects.create(tally=tally, idea=placed, votes=3, selected=True, reason="x")
    ProjectResult.objects.create(
        tally=tally, idea=projects["infrastruktura"][1], votes=1, selected=False, reason="x"
    )

    with django_assert_max_num_queries(14):
        response = client.get("/en/budget/c/statistics/")
    stats = response.context["stats"]
    assert stats.ideas["total"] == 4
    assert (stats.ideas["admitted"], stats.ideas["rejected"], stats.ideas["withdrawn"]) == (2, 1, 1)
    assert {r.label: r.count for r in stats.ideas_by_theme}["Parks"] == 4
    assert parks.name == "Parks"
    assert {r.label: r.count for r in stats.ideas_by_neighbourhood}["Karosta"] == 1
    assert [(r.label.split(".")[0], r.count) for r in stats.sdg] == [("11", 1)]
    assert (stats.ballots, stats.ballots_paper) == (4, 1)
    assert {r.label: r.count for r in stats.turnout_by_neighbourhood}["Karosta"] == 3
    assert {r.label: r.count for r in stats.turnout_by_age}["16-17"] == 3
    assert {r.label: r.count for r in stats.turnout_by_age}["75+"] == 1
    assert (stats.funded_count, stats.funded_cents) == (1, 40_000_00)
    assert {r.label: r.cents for r in stats.money_by_neighbourhood}["Karosta"] == 40_000_00
    assert {r.label: r.cents for r in stats.money_by_theme}["Parks"] == 40_000_00
    html = response.content.decode()
    assert "€40,000.00" in html
    assert "4 people voted (1 on paper" in html


def test_statistics_query_count_does_not_grow(client, cycle_factory, django_assert_max_num_queries):
    cycle = cycle_factory(CycleStatus.RESULTS, slug="c")
    make_ballot_projects(cycle, {"infrastruktura": [1_000] * 30})
    for n in range(40):
        _ballot(cycle, n)
    with django_assert_max_num_queries(14):
        assert client.get("/budget/c/statistics/").status_code == 200


# --- staff -------------------------------------------------------------------------------


STAFF_PATHS = (
    "staff/",
    "staff/new/",
    "staff/c/",
    "staff/c/edit/",
    "staff/c/categories/new/",
    "staff/c/themes/new/",
)


@pytest.mark.parametrize("who", ["verified_resident", "moderator"])
def test_staff_pages_refuse_others(request, client, cycle_factory, who):
    from tests.petitions.conftest import with_totp

    cycle_factory(CycleStatus.SUBMISSION, slug="c")
    client.force_login(with_totp(request.getfixturevalue(who)))
    for path in STAFF_PATHS:
        assert client.get(f"/en/budget/{path}").status_code == 403, path
    assert (
        client.post("/budget/staff/c/phase/", {"to_status": "voting", "reason": "x"}).status_code
        == 403
    )
    assert Cycle.objects.get().status == CycleStatus.SUBMISSION


def test_staff_pages_send_anonymous_visitors_to_log_in(client, cycle_factory):
    cycle_factory(CycleStatus.SUBMISSION, slug="c")
    response = client.get("/en/budget/staff/c/")
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_staff_pages_open_for_budget_officers(client, officer, cycle_factory):
    cycle = cycle_factory(CycleStatus.SUBMISSION, slug="c")
    for path in STAFF_PATHS:
        assert client.get(f"/en/budget/{path}").status_code == 200, path
    category = cycle.categories.first()
    theme = cycle.themes.first()
    assert client.get(f"/en/budget/staff/c/categories/{category.pk}/").status_code == 200
    assert client.get(f"/en/budget/staff/c/themes/{theme.pk}/").status_code == 200


def test_staff_pages_open_for_administrators(client, administrator, cycle_factory):
    from tests.petitions.conftest import with_totp

    cycle_factory(CycleStatus.SUBMISSION, slug="c")
    client.force_login(with_totp(administrator))
    assert client.get("/budget/staff/c/").status_code == 200


def test_staff_list_query_count(client, officer, cycle_factory, django_assert_max_num_queries):
    for i in range(5):
        cycle_factory(CycleStatus.SUBMISSION, slug=f"c{i}")
    with django_assert_max_num_queries(8):
        assert client.get("/en/budget/staff/").status_code == 200


def test_dashboard_query_count(client, officer, cycle_factory, django_assert_max_num_queries):
    cycle = cycle_factory(CycleStatus.SUBMISSION, slug="c")
    for i in range(6):
        Theme.objects.create(cycle=cycle, name=f"T{i}", category=cycle.categories.first())
        PhaseChange.objects.create(cycle=cycle, from_status="draft", to_status="submission")
    with django_assert_max_num_queries(12):
        html = client.get("/en/budget/staff/c/").content.decode()
    assert "Move the phase" in html


def _cycle_post(**overrides):
    start = timezone.localtime() + 5 * DAY
    fmt = "%Y-%m-%dT%H:%M"
    data = {
        "title": "Liepājas līdzdalības budžets 2027",
        "slug": "liepaja-2027",
        "description": "",
        "total_budget_cents": "257 226,00",
        "reserve_cents": "22 024,47",
        "revenue_year1_cents": "60 000 000",
        "revenue_year2_cents": "63 000 000",
        "revenue_year3_cents": "66 000 000",
        "submission_opens_at": start.strftime(fmt),
        "submission_closes_at": (start + 35 * DAY).strftime(fmt),
        "review_ends_at": (start + 60 * DAY).strftime(fmt),
        "voting_opens_at": (start + 70 * DAY).strftime(fmt),
        "voting_closes_at": (start + 84 * DAY).strftime(fmt),
        "implementation_starts_at": "",
        "finished_at": "",
        "submitters": "people_ngos",
        "min_age": "16",
        "author_answer_days": "7",
    }
    data.update(overrides)
    return data


def test_an_officer_sets_up_a_cycle_through_the_form(client, officer, municipality):
    response = client.post("/budget/staff/new/", _cycle_post())
    assert response.status_code == 302
    cycle = Cycle.objects.get()
    assert response["Location"].endswith("/budget/staff/liepaja-2027/")
    assert (cycle.total_budget_cents, cycle.reserve_cents) == (257_226_00, 22_024_47)
    assert cycle.revenue_year3_cents == 66_000_000_00
    page = client.get("/budget/staff/liepaja-2027/edit/").content.decode()
    assert "315\xa0000,00\xa0€" in page  # legal minimum on the staff form
    assert "The total money is below the legal minimum." not in page or "pb-warning" in page


def test_a_short_submission_is_refused_on_the_form(client, officer):
    start = timezone.localtime() + 5 * DAY
    response = client.post(
        "/en/budget/staff/new/",
        _cycle_post(submission_closes_at=(start + 20 * DAY).strftime("%Y-%m-%dT%H:%M")),
    )
    assert response.status_code == 400
    assert "Idea submission must stay open at least 30 days" in response.content.decode()
    assert not Cycle.objects.exists()


def test_bad_money_is_explained(client, officer):
    response = client.post("/en/budget/staff/new/", _cycle_post(total_budget_cents="lots"))
    assert response.status_code == 400
    assert "Give a sum in euros" in response.content.decode()
    assert not Cycle.objects.exists()


def test_an_officer_adds_and_removes_a_category(client, officer, cycle_factory):
    cycle = cycle_factory(CycleStatus.SUBMISSION, slug="c")
    Cycle.objects.filter(pk=cycle.pk).update(
        total_budget_cents=cycle.total_budget_cents + 10_000_00
    )
    data = {
        "name": "Vides projekti",
        "slug": "vide",
        "budget_cents": "5 300",
        "cost_cap_cents": "",
        "ballot_form": "knapsack",
        "rule": "phragmen-skip",
        "neighbourhood": "",
    }
    response = client.post("/en/budget/staff/c/categories/new/", data)
    assert response.status_code == 302, response.context["form"].errors
    category = cycle.categories.get(slug="vide")
    assert (category.budget_cents, category.rule, category.max_picks) == (
        5_300_00,
        "phragmen-skip",
        None,
    )
    # too much money: refused with the sums
    response = client.post(
        f"/en/budget/staff/c/categories/{category.pk}/", {**data, "budget_cents": "90 000"}
    )
    assert response.status_code == 400
    assert "more than the total money" in response.content.decode()
    client.post(f"/budget/staff/c/categories/{category.pk}/delete/")
    assert not cycle.categories.filter(slug="vide").exists()


def test_an_officer_moves_the_phase_with_a_reason(client, officer, cycle_factory):
    cycle = cycle_factory(CycleStatus.REVIEW, slug="c")
    response = client.post("/en/budget/staff/c/phase/", {"to_status": "submission", "reason": ""})
    assert response.status_code == 400
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.REVIEW
    response = client.post(
        "/en/budget/staff/c/phase/", {"to_status": "submission", "reason": "Pagarinām."}
    )
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.SUBMISSION
    html = client.get("/en/budget/staff/c/").content.decode()
    assert "Pagarinām." in html


def test_officers_see_a_draft_cycle_before_it_is_public(client, officer, cycle_factory):
    cycle_factory(CycleStatus.DRAFT, slug="draft")
    assert client.get("/en/budget/draft/").status_code == 200


def test_an_officer_edits_the_dates_through_the_form(client, officer, cycle_factory):
    cycle = cycle_factory(CycleStatus.SUBMISSION, slug="c")
    form = client.get("/en/budget/staff/c/edit/").context["form"]
    data = {
        name: form[name].value() if form[name].value() is not None else "" for name in form.fields
    }
    for name in ("submission_opens_at", "submission_closes_at", "review_ends_at"):
        data[name] = timezone.localtime(getattr(cycle, name)).strftime("%Y-%m-%dT%H:%M")
    for name in ("voting_opens_at", "voting_closes_at", "implementation_starts_at", "finished_at"):
        data[name] = timezone.localtime(getattr(cycle, name) + 7 * DAY).strftime("%Y-%m-%dT%H:%M")
    data["vote_in_own_neighbourhood_only"] = "on"
    response = client.post("/en/budget/staff/c/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    before = cycle.voting_closes_at
    cycle.refresh_from_db()
    assert abs(cycle.voting_closes_at - before - 7 * DAY) < dt.timedelta(minutes=1)
    assert cycle.vote_in_own_neighbourhood_only is True
    assert cycle.total_budget_cents == 257_300_00
