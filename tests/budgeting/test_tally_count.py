"""The count: pbvote elections built from stored ballots, on small hand-computed cases;
explanations, thresholds, Method of Equal Shares, reruns, a count that crashes once."""

import hashlib

import pytest
from django.core.exceptions import ValidationError

import pbvote
from lidzdaliba.budgeting.models import CycleStatus, IdeaStatus, ProjectResult, Tally
from lidzdaliba.budgeting.services import tally as tally_service
from lidzdaliba.budgeting.services.tally import tally_enqueue, tally_run
from lidzdaliba.core.models import AuditEvent

from .factories import make_ballot_projects, make_idea
from .results_factories import cast, close_voting

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def set_category(cycle, slug, **fields):
    category = cycle.categories.get(slug=slug)
    for key, value in fields.items():
        setattr(category, key, value)
    category.save()
    return category


@pytest.fixture
def greedy_cycle(cycle_factory):
    """Infrastructure: 28 120 € for A 20 000 € (5 votes), B 14 900 € (4), C 8 000 € (3)."""
    cycle = cycle_factory(CycleStatus.VOTING, slug="greedy")
    set_category(cycle, "infrastruktura", budget_cents=2_812_000)
    ideas = make_ballot_projects(cycle, {"infrastruktura": [20_000, 14_900, 8_000]})
    a, b, c = ideas["infrastruktura"]
    cast(cycle, [a, b, c], times=3)
    cast(cycle, [a, b])
    cast(cycle, [a])
    close_voting(cycle)
    cycle.abc = (a, b, c)
    return cycle


def results_of(tally):
    return {r.idea_id: r for r in ProjectResult.objects.filter(tally=tally)}


def test_greedy_funds_most_votes_first_and_skips_what_does_not_fit(greedy_cycle):
    a, b, c = greedy_cycle.abc

    tallies = tally_run(greedy_cycle)

    infra = next(t for t in tallies if t.category.slug == "infrastruktura")
    assert infra.status == Tally.Status.DONE
    assert infra.rule == "greedy"
    assert infra.winners == [str(a.pk), str(c.pk)]
    assert infra.total_cost_cents == 2_800_000
    assert infra.num_ballots == 5
    rows = results_of(infra)
    assert (rows[a.pk].votes, rows[b.pk].votes, rows[c.pk].votes) == (5, 4, 3)
    assert rows[b.pk].selected is False
    assert rows[b.pk].reason == "no-money"
    assert rows[b.pk].sentence_en == "not funded: €8,120 left when its turn came, it needed €14,900"
    assert rows[b.pk].sentence_lv == (
        f"nav finansēts: kad pienāca tā kārta, bija atlikuši 8{NBSP}120{NBSP}€, "
        f"bet vajadzēja 14{NBSP}900{NBSP}€"
    )
    assert rows[a.pk].round == 1
    assert rows[c.pk].round == 2
    assert rows[c.pk].numbers["supporters"] == 3


def test_the_file_and_digests_describe_exactly_the_counted_ballots(greedy_cycle):
    tally_run(greedy_cycle)
    tally = Tally.objects.get(category__slug="infrastruktura", cycle=greedy_cycle)

    assert tally.file_sha256 == hashlib.sha256(tally.ballots_pb.encode("utf-8")).hexdigest()
    election = pbvote.parse_pabulib_text(tally.ballots_pb)
    assert election.ballot_digest() == tally.ballots_sha256
    assert election.meta["country"] == "Latvia"
    assert election.meta["currency"] == "EUR"
    assert election.meta["language"] == "lv"
    assert election.meta["rule"] == "greedy"
    assert election.meta["unit"] == "Liepāja"
    assert election.meta["max_length"] == "3"
    assert election.meta["date_end"].count(".") == 2
    assert election.budget == 28_120
    assert pbvote.count(election, "greedy").winners == tally.winners
    assert tally.result_json["ballots_sha256"] == tally.ballots_sha256


def test_costs_with_cents_are_exact(cycle_factory):
    cycle = cycle_factory(CycleStatus.VOTING, slug="cents")
    set_category(cycle, "infrastruktura", budget_cents=1_000_050)
    category = cycle.categories.get(slug="infrastruktura")
    first = make_idea(cycle, category, title="First", cost_eur=5_000)
    first.ballot_cost_cents = 500_025
    first.save()
    second = make_idea(cycle, category, title="Second", cost_eur=5_000)
    second.ballot_cost_cents = 500_025
    second.save()
    cast(cycle, [first, second], times=2)
    close_voting(cycle)

    tally_run(cycle)

    tally = Tally.objects.get(category=category)
    assert tally.winners == sorted([str(first.pk), str(second.pk)])
    assert tally.total_cost_cents == 1_000_050
    assert f"\n{first.pk};5000.25;" in tally.ballots_pb
    assert "budget;10000.5\n" in tally.ballots_pb


def test_cumulative_ballots_count_points(cycle_factory):
    cycle = cycle_factory(CycleStatus.VOTING, slug="cumulative")
    set_category(cycle, "pasakumi", ballot_form="cumulative", points=10, max_picks=None)
    set_category(cycle, "pasakumi", budget_cents=3_000_000)
    ideas = make_ballot_projects(cycle, {"pasakumi": [20_000, 20_000, 10_000]})
    x, y, z = ideas["pasakumi"]
    # x: 3 supporters with 2 points each = 6; y: one supporter with 10 = 10; z: 4
    cast(cycle, {x: 2, z: 8})
    cast(cycle, {x: 2, z: 8})
    cast(cycle, {x: 2})
    cast(cycle, {y: 10})
    close_voting(cycle)

    tally_run(cycle)

    tally = Tally.objects.get(category__cycle=cycle, category__slug="pasakumi")
    rows = results_of(tally)
    assert (rows[x.pk].votes, rows[y.pk].votes, rows[z.pk].votes) == (6, 10, 16)
    assert rows[x.pk].numbers["supporters"] == 3
    # z (16 points, 10 000 €) first, then y (10 points, 20 000 €); x no longer fits
    assert tally.winners == [str(z.pk), str(y.pk)]
    election = pbvote.parse_pabulib_text(tally.ballots_pb)
    assert election.vote_type == "cumulative"
    assert election.meta["max_sum_points"] == "10"
    assert "score;selected" in tally.ballots_pb


def test_minimum_votes_threshold_keeps_unpopular_projects_out(cycle_factory):
    cycle = cycle_factory(CycleStatus.VOTING, slug="threshold")
    set_category(cycle, "infrastruktura", min_votes=3)
    ideas = make_ballot_projects(cycle, {"infrastruktura": [30_000, 20_000]})
    popular, unpopular = ideas["infrastruktura"]
    cast(cycle, [popular], times=3)
    cast(cycle, [unpopular], times=2)
    close_voting(cycle)

    tally_run(cycle)

    tally = Tally.objects.get(category__cycle=cycle, category__slug="infrastruktura")
    assert tally.rule == "greedy-threshold"
    assert tally.winners == [str(popular.pk)]
    row = results_of(tally)[unpopular.pk]
    assert row.reason == "below-threshold"
    assert row.sentence_en == "not funded: 2 votes, below the threshold of 3"
    election = pbvote.parse_pabulib_text(tally.ballots_pb)
    assert election.meta["min_project_score_threshold"] == "3"
    assert pbvote.count(election, "greedy-threshold").winners == tally.winners


def test_method_of_equal_shares(cycle_factory):
    # 10 voters, 100 000 €: 6 voters back A (60 000) and B (40 000), 4 back C (40 000).
    # Greedy would fund A and B; equal shares gives the 4 voters their C:
    # the 6 share 60 000 € (A), the 4 have 40 000 € (C).
    cycle = cycle_factory(CycleStatus.VOTING, slug="mes", rule="mes-add1")
    set_category(cycle, "infrastruktura", budget_cents=10_000_000)
    ideas = make_ballot_projects(cycle, {"infrastruktura": [60_000, 40_000, 40_000]})
    a, b, c = ideas["infrastruktura"]
    cast(cycle, [a, b], times=6)
    cast(cycle, [c], times=4)
    close_voting(cycle)

    tally_run(cycle)

    tally = Tally.objects.get(category__cycle=cycle, category__slug="infrastruktura")
    assert tally.rule == "mes-add1"
    assert set(tally.winners) == {str(a.pk), str(c.pk)}
    rows = results_of(tally)
    assert rows[b.pk].selected is False
    assert rows[a.pk].sentence_en.startswith("funded in round 1: its 6 supporters each paid")


def test_phragmen_and_single_and_knapsack_ballots(cycle_factory):
    cycle = cycle_factory(CycleStatus.VOTING, slug="forms", rule="phragmen-skip")
    set_category(
        cycle, "infrastruktura", ballot_form="single", max_picks=None, budget_cents=12_000_000
    )
    set_category(cycle, "pasakumi", ballot_form="knapsack", max_picks=None)
    ideas = make_ballot_projects(
        cycle, {"infrastruktura": [100_000, 50_000], "pasakumi": [20_000, 20_000]}
    )
    cast(cycle, [ideas["infrastruktura"][1]], times=2)
    cast(cycle, [ideas["pasakumi"][0], ideas["pasakumi"][1]])
    close_voting(cycle)

    tallies = {t.category.slug: t for t in tally_run(cycle)}

    assert tallies["infrastruktura"].rule == "phragmen-skip"
    assert tallies["infrastruktura"].winners == [str(ideas["infrastruktura"][1].pk)]
    infra = pbvote.parse_pabulib_text(tallies["infrastruktura"].ballots_pb)
    assert infra.vote_type == "approval"
    assert infra.meta["max_length"] == "1"
    events = pbvote.parse_pabulib_text(tallies["pasakumi"].ballots_pb)
    assert events.meta["max_sum_cost"] == "50300"
    assert len(tallies["pasakumi"].winners) == 2


def test_ideas_not_on_the_ballot_are_not_counted(cycle_factory):
    cycle = cycle_factory(CycleStatus.VOTING, slug="only-admitted")
    category = cycle.categories.get(slug="infrastruktura")
    admitted = make_idea(cycle, category, title="On the ballot")
    make_idea(cycle, category, title="Rejected", status=IdeaStatus.REJECTED)
    cast(cycle, [admitted])
    close_voting(cycle)

    tally_run(cycle)

    tally = Tally.objects.get(category=category)
    assert list(ProjectResult.objects.filter(tally=tally).values_list("idea_id", flat=True)) == [
        admitted.pk
    ]
    assert "Rejected" not in tally.ballots_pb


def test_count_is_refused_while_voting_is_open(voting_cycle):
    with pytest.raises(ValidationError) as info:
        tally_run(voting_cycle)
    assert "after voting has closed" in str(info.value)
    assert not Tally.objects.filter(cycle=voting_cycle).exists()


def test_rerun_replaces_the_result_and_gives_the_same_file(greedy_cycle):
    first = {t.category_id: t for t in tally_run(greedy_cycle)}
    results_before = ProjectResult.objects.count()

    second = {t.category_id: t for t in tally_run(greedy_cycle)}

    assert ProjectResult.objects.count() == results_before
    for pk, tally in second.items():
        assert tally.status == Tally.Status.DONE
        assert tally.attempts == 2
        assert tally.file_sha256 == first[pk].file_sha256
        assert tally.winners == first[pk].winners
    assert Tally.objects.filter(cycle=greedy_cycle).count() == 2


def test_a_count_that_crashes_once_is_completed_by_the_rerun(greedy_cycle, monkeypatch):
    real_count = pbvote.count
    calls = {"n": 0}

    def crash_once(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise MemoryError("worker ran out of memory")
        return real_count(*args, **kwargs)

    monkeypatch.setattr(tally_service.pbvote, "count", crash_once)

    # first run: the first category fails (kept with its error), the second is counted
    tallies = tally_run(greedy_cycle)

    failed = Tally.objects.get(category__cycle=greedy_cycle, category__slug="infrastruktura")
    assert [t.status for t in tallies] == [Tally.Status.FAILED, Tally.Status.DONE]
    assert failed.error == "MemoryError: worker ran out of memory"
    assert failed.attempts == 1
    assert not ProjectResult.objects.filter(tally=failed).exists()

    # the rerun completes it
    tally_run(greedy_cycle)

    failed.refresh_from_db()
    assert failed.status == Tally.Status.DONE
    assert failed.error == ""
    assert failed.attempts == 2
    assert len(failed.winners) == 2


def test_a_worker_that_died_mid_count_leaves_running_and_the_rerun_completes(greedy_cycle):
    category = greedy_cycle.categories.get(slug="infrastruktura")
    Tally.objects.create(
        cycle=greedy_cycle,
        category=category,
        status=Tally.Status.RUNNING,
        rule="greedy",
        budget_cents=category.budget_cents,
        attempts=1,
    )

    tally_run(greedy_cycle)

    tally = Tally.objects.get(category=category)
    assert tally.status == Tally.Status.DONE
    assert tally.attempts == 2


def test_enqueue_marks_pending_and_the_task_counts_after_commit(
    greedy_cycle, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        tallies = tally_enqueue(greedy_cycle)
    assert [t.status for t in tallies] == [Tally.Status.PENDING, Tally.Status.PENDING]
    from lidzdaliba.budgeting.cache import _new_generation

    count_callbacks = [c for c in callbacks if c is not _new_generation]
    assert len(count_callbacks) == 1

    count_callbacks[0]()  # the immediate task backend runs the count now

    assert set(Tally.objects.filter(cycle=greedy_cycle).values_list("status", flat=True)) == {
        Tally.Status.DONE
    }
    assert AuditEvent.objects.filter(verb="budget.count.done").count() == 2


def test_entering_the_results_phase_starts_the_count(
    cycle_factory, administrator, django_capture_on_commit_callbacks
):
    from lidzdaliba.budgeting.services.cycles import cycle_move

    cycle = cycle_factory(CycleStatus.VOTING, slug="move")
    ideas = make_ballot_projects(cycle, {"infrastruktura": [10_000]})
    cast(cycle, ideas["infrastruktura"])

    with django_capture_on_commit_callbacks(execute=True):
        cycle_move(cycle, CycleStatus.RESULTS, actor=administrator, reason="Voting closed.")

    tally = Tally.objects.get(category__cycle=cycle, category__slug="infrastruktura")
    assert tally.status == Tally.Status.DONE
    assert tally.winners == [str(ideas["infrastruktura"][0].pk)]


def test_confirmed_results_are_never_counted_again(greedy_cycle, administrator):
    from lidzdaliba.budgeting.services.tally import results_confirm
    from lidzdaliba.budgeting.tasks import tally_cycle_task

    tally_run(greedy_cycle)
    results_confirm(greedy_cycle, actor=administrator, decision="Lēmums Nr. 1")
    before = list(Tally.objects.filter(cycle=greedy_cycle).values_list("attempts", flat=True))

    with pytest.raises(ValidationError):
        tally_enqueue(greedy_cycle, actor=administrator)
    with pytest.raises(ValidationError):
        tally_run(greedy_cycle)
    assert tally_cycle_task.call(greedy_cycle.pk) == {}  # a stale queued count does nothing

    after = list(Tally.objects.filter(cycle=greedy_cycle).values_list("attempts", flat=True))
    assert after == before


def test_only_budget_officers_confirm(greedy_cycle, verified_resident, officer_factory):
    from django.core.exceptions import PermissionDenied

    from lidzdaliba.budgeting.services.tally import results_confirm

    tally_run(greedy_cycle)
    for person in (verified_resident, officer_factory("petitions")):
        with pytest.raises(PermissionDenied):
            results_confirm(greedy_cycle, actor=person, decision="Nr. 1")
        with pytest.raises(PermissionDenied):
            tally_enqueue(greedy_cycle, actor=person)
    greedy_cycle.refresh_from_db()
    assert greedy_cycle.results_confirmed_at is None
