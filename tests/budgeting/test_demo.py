"""The participatory-budget demo data reproduces Liepāja 2025 as the source reports it."""

import time
from collections import Counter

import pytest
from django.db.models import Count, Sum
from django.utils import timezone

import pbvote
from lidzdaliba.budgeting.demo import THEMES, load_budgeting
from lidzdaliba.budgeting.models import (
    Ballot,
    BallotChoice,
    Cycle,
    CycleStatus,
    Idea,
    IdeaStatus,
    Implementation,
    MaintenanceCost,
    ProjectResult,
    Tally,
)
from lidzdaliba.core.money import format_money
from tests.conftest import make_resident
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(municipality):
    """The demo users the PB demo refers to (as core's demo loader makes them), then the
    PB demo itself."""
    vecliepaja = municipality.neighbourhoods.get(slug="vecliepaja")
    karosta = municipality.neighbourhoods.get(slug="karosta")
    make_resident(municipality, vecliepaja, code="010190-10001", email="anna@liepaja.example")
    make_resident(municipality, karosta, code="150385-10009", email="peteris@liepaja.example")
    UserFactory(municipality=municipality, email="officer@liepaja.example", is_staff=True)
    started = time.perf_counter()
    cycles = load_budgeting(municipality)
    cycles["seconds"] = time.perf_counter() - started
    return cycles


def test_2025_ideas_themes_and_ballot(demo):
    cycle = demo["2025"]
    assert cycle.title_lv == "Liepājas līdzdalības budžets 2025"
    ideas = Idea.objects.filter(cycle=cycle)
    assert ideas.count() == 43
    by_category = dict(ideas.values_list("category__slug").annotate(n=Count("id")))
    assert by_category == {"infrastruktura": 35, "pasakumi": 8}
    themes = dict(ideas.values_list("theme__name_en").annotate(n=Count("id")))
    assert themes == {en: count for _k, _c, _lv, en, count in THEMES}
    assert ideas.filter(status=IdeaStatus.ADMITTED).count() == 31
    hidden = ideas.exclude(status=IdeaStatus.ADMITTED)
    assert set(hidden.values_list("status", flat=True)) <= {"rejected", "merged"}
    assert all(idea.decision_reason for idea in hidden)
    assert all(i.merged_into_id for i in hidden.filter(status="merged"))
    tagged = Idea.sdg_goals.through.objects.filter(idea__cycle=cycle)
    assert tagged.values("idea").distinct().count() == 43
    # every idea is placed inside the neighbourhood it names
    from lidzdaliba.core.services import neighbourhood_for_point

    for idea in ideas.select_related("neighbourhood"):
        placed = neighbourhood_for_point(
            municipality=cycle.municipality, lat=idea.lat, lon=idea.lon
        )
        assert idea.neighbourhood == placed, idea.title
        assert sum(line.amount_cents for line in idea.cost_lines.all()) == idea.cost_cents


def test_2025_dates_money_and_ballots(demo):
    cycle = demo["2025"]
    assert cycle.status == CycleStatus.FINISHED
    local = timezone.localtime
    assert local(cycle.voting_opens_at).strftime("%d.%m.%Y") == "19.05.2025"
    assert local(cycle.voting_closes_at).strftime("%d.%m.%Y") == "01.06.2025"
    assert cycle.reserve_cents == 22_024_47
    assert format_money(cycle.reserve_cents, language="lv") == "22\xa0024,47\xa0€"
    assert cycle.total_budget_cents == 257_226_00
    assert Ballot.objects.filter(cycle=cycle).count() == 6129
    per_category = dict(
        BallotChoice.objects.filter(ballot__cycle=cycle)
        .values_list("category__slug")
        .annotate(n=Count("ballot", distinct=True))
    )
    assert per_category == {"infrastruktura": 5467, "pasakumi": 662}
    keys = list(Ballot.objects.filter(cycle=cycle).values_list("identity_key", flat=True))
    assert len(set(keys)) == 6129
    assert all(len(k) == 64 for k in keys)
    assert Ballot.objects.filter(cycle=cycle, voter__email="anna@liepaja.example").count() == 1
    spread = Counter(Ballot.objects.filter(cycle=cycle).values_list("age_band", flat=True))
    assert set(spread) == {"16-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"}
    assert Ballot.objects.filter(cycle=cycle, neighbourhood__isnull=True).count() == 0


def test_2025_count_reproduces_the_source_figures(demo):
    cycle = demo["2025"]
    tallies = {t.category.slug: t for t in Tally.objects.filter(cycle=cycle)}
    assert {s: t.status for s, t in tallies.items()} == {
        "infrastruktura": "done",
        "pasakumi": "done",
    }
    infra, events = tallies["infrastruktura"], tallies["pasakumi"]
    assert (len(infra.winners), infra.total_cost_cents) == (6, 184_937_53)
    assert (len(events.winners), events.total_cost_cents) == (6, 50_264_00)
    assert infra.num_ballots == 5467
    assert events.num_ballots == 662
    assert (
        infra.total_cost_cents + events.total_cost_cents + cycle.reserve_cents
        == cycle.total_budget_cents
    )
    top_infra = ProjectResult.objects.filter(tally=infra).order_by("-votes").first()
    assert top_infra.votes == 584
    assert "dresūras" in top_infra.idea.title
    top_event = ProjectResult.objects.filter(tally=events).order_by("-votes").first()
    assert top_event.votes == 187
    assert "Raiņa parkā" in top_event.idea.title
    assert ProjectResult.objects.filter(tally__cycle=cycle, selected=True).count() == 12
    funded = ProjectResult.objects.filter(tally__cycle=cycle, selected=True)
    assert funded.aggregate(s=Sum("idea__ballot_cost_cents"))["s"] == 235_201_53
    # the skatepark, fifth by votes, did not fit in what was left
    skatepark = ProjectResult.objects.get(idea__title__startswith="Skeitparka")
    assert not skatepark.selected
    assert skatepark.reason == "no-money"
    assert cycle.results_confirmed_at is not None


def test_the_published_files_give_the_same_winners(demo):
    for tally in Tally.objects.filter(cycle=demo["2025"]):
        election = pbvote.parse_pabulib_text(tally.ballots_pb)
        assert len(election.ballots) == tally.num_ballots
        assert sorted(pbvote.count(election, "greedy").winners) == sorted(tally.winners)
        assert sorted(pbvote.count(election, "official").winners) == sorted(tally.winners)


def test_pabutools_recomputes_the_published_winners(demo, tmp_path):
    pabulib = pytest.importorskip("pabutools.election.pabulib")
    from pabutools.election import Cost_Sat
    from pabutools.rules import greedy_utilitarian_welfare

    for tally in Tally.objects.filter(cycle=demo["2025"]):
        path = tmp_path / f"{tally.category.slug}.pb"
        path.write_text(tally.ballots_pb, encoding="utf-8")
        instance, profile = pabulib.parse_pabulib(str(path))
        winners = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
        assert sorted(p.name for p in winners) == sorted(tally.winners)


def test_2025_implementation_and_maintenance(demo):
    cycle = demo["2025"]
    implementations = Implementation.objects.filter(idea__cycle=cycle)
    assert implementations.count() == 12
    statuses = Counter(implementations.values_list("status", flat=True))
    assert statuses["done"] >= 5
    assert {"works", "cancelled"} <= set(statuses)
    assert all(i.cancel_reason for i in implementations.filter(status="cancelled"))
    assert all(i.actual_end and i.progress == 100 for i in implementations.filter(status="done"))
    assert all(i.updates.exists() for i in implementations)
    assert MaintenanceCost.objects.filter(idea__cycle=cycle).count() >= 4


def test_voting_and_submission_cycles(demo):
    now = timezone.now()
    voting = demo["2026"]
    assert voting.status == CycleStatus.VOTING
    assert voting.voting_opens_at < now < voting.voting_closes_at
    assert Idea.objects.filter(cycle=voting, status=IdeaStatus.ADMITTED).count() == 12
    assert set(
        Idea.objects.filter(cycle=voting, status="admitted").values_list(
            "category__slug", flat=True
        )
    ) == {"infrastruktura", "pasakumi"}
    assert 0 < Ballot.objects.filter(cycle=voting).count() < 100
    assert not Ballot.objects.filter(cycle=voting, voter__email="anna@liepaja.example").exists()

    submission = demo["2027"]
    assert submission.status == CycleStatus.SUBMISSION
    assert submission.submission_opens_at < now
    assert (submission.submission_closes_at - now).days >= 30
    assert Idea.objects.filter(cycle=submission, status=IdeaStatus.SUBMITTED).count() >= 3
    draft = Idea.objects.get(cycle=submission, status=IdeaStatus.DRAFT)
    assert draft.author.email == "anna@liepaja.example"


def test_anna_may_vote_in_the_open_cycle(demo):
    from lidzdaliba.accounts.models import User
    from lidzdaliba.budgeting.services.cycles import voting_is_open

    anna = User.objects.get(email="anna@liepaja.example")
    voting = demo["2026"]
    assert voting_is_open(voting)
    try:
        from lidzdaliba.budgeting.services.voting import ballot_save
    except ImportError:  # pragma: no cover
        pytest.skip("voting services not available")
    category = voting.categories.get(slug="pasakumi")
    idea = Idea.objects.filter(category=category, status="admitted").first()
    ballot = ballot_save(user=anna, cycle=voting, category=category, choices={idea.pk: 1})
    assert ballot.voter == anna


def test_loading_again_changes_nothing_and_is_quick(demo, municipality):
    assert demo["seconds"] < 30  # generous for a slow CI; ~a few seconds locally
    counts = (Cycle.objects.count(), Idea.objects.count(), Ballot.objects.count())
    load_budgeting(municipality)
    assert (Cycle.objects.count(), Idea.objects.count(), Ballot.objects.count()) == counts
