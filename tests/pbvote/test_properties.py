"""Property tests on random small elections against deliberately simple reference code.

The references below follow the textbook definitions one voter at a time, in exact
fractions, with no shortcuts (no collapsed ballots, no floats, no skipped budget steps).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pbvote
from pbvote import Ballot, Election, Project

IDS = ["1", "10", "2", "9", "a", "b", "B"]

Utility = Callable[[int, str], Fraction]


@st.composite
def elections(draw: st.DrawFn, points: bool = False) -> Election:
    """A random election: up to 6 projects, up to 12 voters, small costs and budget."""
    ids = draw(st.lists(st.sampled_from(IDS), min_size=1, max_size=6, unique=True))
    costs = [draw(st.integers(min_value=0, max_value=30) | st.integers(1, 30)) for _ in ids]
    budget = draw(st.integers(min_value=1, max_value=60))
    n = draw(st.integers(min_value=0, max_value=12))
    ballots = []
    for _ in range(n):
        chosen = draw(st.lists(st.sampled_from(ids), unique=True, max_size=len(ids)))
        if points:
            values = tuple(draw(st.integers(1, 3)) for _ in chosen)
            ballots.append(Ballot(tuple(chosen), values))
        else:
            ballots.append(Ballot(tuple(chosen)))
    projects = [Project(pid, Fraction(c)) for pid, c in zip(ids, costs, strict=True)]
    return Election(projects, ballots, budget, "cumulative" if points else "approval")


def _utility(election: Election, sat: str) -> Utility:
    def u(voter: int, pid: str) -> Fraction:
        ballot = election.ballots[voter]
        if pid not in ballot.projects:
            return Fraction(0)
        if sat == "cost":
            return election.projects[pid].cost
        if sat == "card":
            return Fraction(1)
        assert ballot.points is not None
        return Fraction(ballot.points[ballot.projects.index(pid)])

    return u


def _rho(
    money: list[Fraction], supporters: list[int], u: Callable[[int], Fraction], cost: Fraction
) -> Fraction:
    """Smallest rho with sum(min(money_i, rho * u_i)) == cost: try every set of supporters
    who pay all they have (those below a breakpoint) and keep the consistent answers."""
    answers = []
    for t in sorted({money[i] / u(i) for i in supporters}):
        poor = [i for i in supporters if money[i] / u(i) < t]
        rich = [i for i in supporters if i not in poor]
        rho = (cost - sum(money[i] for i in poor)) / sum(u(i) for i in rich)
        if sum(min(money[i], rho * u(i)) for i in supporters) == cost:
            answers.append(rho)
    return min(answers)


def ref_mes(election: Election, sat: str, share: Fraction | None = None) -> list[str]:
    """Method of Equal Shares, plainly: every voter starts with ``share`` (default budget / n),
    the project with the smallest rho wins (ties: smaller id as a string), supporters pay
    min(budget, rho * u); unaffordable projects drop out."""
    n = len(election.ballots)
    if n == 0:
        return []
    u = _utility(election, sat)
    money = [share if share is not None else election.budget / n] * n
    remaining = [
        pid for pid, p in election.projects.items() if any(u(i, pid) > 0 for i in range(n))
    ]
    winners = [pid for pid in sorted(remaining) if election.projects[pid].cost == 0]
    remaining = [pid for pid in remaining if pid not in winners]
    while True:
        best: tuple[Fraction, str] | None = None
        for pid in list(remaining):
            cost = election.projects[pid].cost
            supporters = [i for i in range(n) if u(i, pid) > 0]
            if sum(money[i] for i in supporters) < cost:
                remaining.remove(pid)
                continue
            rho = _rho(money, supporters, lambda i, pid=pid: u(i, pid), cost)
            if best is None or (rho, pid) < best:
                best = (rho, pid)
        if best is None:
            return winners
        rho, pid = best
        for i in range(n):
            money[i] -= min(money[i], rho * u(i, pid))
        winners.append(pid)
        remaining.remove(pid)


def ref_mes_inc(election: Election, sat: str, until: str = "exhaustive") -> list[str]:
    """MES with shares budget/n, +1, +2... until exhaustive (return it) or over budget
    (return the previous outcome), trying every step. ``until="overspend"`` ignores
    exhaustiveness (the cities' add1): only going over budget, or funding every supported
    project, stops it."""
    n = len(election.ballots)
    if n == 0:
        return []
    supported = {pid for b in election.ballots for pid in b.projects}
    candidates = [pid for pid in supported if election.projects[pid].cost > 0]
    share = election.budget / n
    previous: list[str] = []
    while True:
        outcome = ref_mes(election, sat, share)
        total = sum(election.projects[p].cost for p in outcome)
        if total > election.budget:
            return previous
        if set(candidates) <= set(outcome):
            return outcome
        if until == "exhaustive" and all(
            election.projects[p].cost + total > election.budget
            for p in candidates
            if p not in outcome
        ):
            return outcome
        previous = outcome
        share += 1


def ref_greedy(election: Election) -> list[str]:
    """Most votes first (ties: id as a string); fund what still fits."""
    votes = {pid: sum(pid in b.projects for b in election.ballots) for pid in election.projects}
    left = election.budget
    winners = []
    for pid in sorted(election.projects, key=lambda p: (-votes[p], p)):
        if election.projects[pid].cost <= left:
            winners.append(pid)
            left -= election.projects[pid].cost
    return winners


def ref_phragmen(election: Election) -> list[str]:
    """Sequential Phragmén as pabutools: stop when a best project does not fit."""
    n = len(election.ballots)
    load = [Fraction(0)] * n
    spent = Fraction(0)
    remaining = [p for p, proj in election.projects.items() if proj.cost <= election.budget]
    winners: list[str] = []
    while remaining:
        values: dict[str, Fraction | None] = {}
        for pid in remaining:
            supporters = [i for i in range(n) if pid in election.ballots[i].projects]
            if supporters:
                values[pid] = (
                    sum(load[i] for i in supporters) + election.projects[pid].cost
                ) / len(supporters)
            else:
                values[pid] = None
        finite = [v for v in values.values() if v is not None]
        best = min(finite) if finite else None
        tied = sorted(p for p, v in values.items() if v == best)
        if any(spent + election.projects[p].cost > election.budget for p in tied):
            break
        chosen = tied[0]
        if best is not None:
            for i in range(n):
                if chosen in election.ballots[i].projects:
                    load[i] = best
        winners.append(chosen)
        spent += election.projects[chosen].cost
        remaining.remove(chosen)
    return winners


PROPERTY_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,  # no .hypothesis/ folder in the checkout
)


@PROPERTY_SETTINGS
@given(elections())
def test_mes_equals_reference(election: Election) -> None:
    for sat, rule in (("cost", "mes"), ("card", "mes-card")):
        assert pbvote.count(election, rule).winners == ref_mes(election, sat)
        assert pbvote.count(election, rule, exact=True).winners == ref_mes(election, sat)


@PROPERTY_SETTINGS
@given(elections(points=True))
def test_mes_points_equals_reference(election: Election) -> None:
    assert pbvote.count(election, "mes-points").winners == ref_mes(election, "points")


@PROPERTY_SETTINGS
@given(elections())
def test_mes_increment_equals_step_by_step_reference(election: Election) -> None:
    assert pbvote.count(election, "mes-inc").winners == ref_mes_inc(election, "cost")
    assert pbvote.count(election, "mes-card-inc").winners == ref_mes_inc(election, "card")
    city = ref_mes_inc(election, "cost", until="overspend")
    assert pbvote.count(election, "mes-add1-city").winners == city


@PROPERTY_SETTINGS
@given(elections())
def test_greedy_and_phragmen_equal_reference(election: Election) -> None:
    assert pbvote.count(election, "greedy").winners == ref_greedy(election)
    assert pbvote.count(election, "phragmen").winners_sorted == sorted(ref_phragmen(election))


@PROPERTY_SETTINGS
@given(elections(), st.sampled_from(sorted(pbvote.RULES)))
def test_budget_never_exceeded(election: Election, rule: str) -> None:
    result = pbvote.count(election, rule)
    assert result.total_cost <= election.budget
    assert len(set(result.winners)) == len(result.winners)
    assert set(result.explanations) == set(election.projects)
    for pid in result.winners:
        assert result.explanations[pid].selected


@PROPERTY_SETTINGS
@given(elections(), st.sampled_from(sorted(pbvote.RULES)), st.randoms(use_true_random=False))
def test_result_does_not_depend_on_ballot_order(
    election: Election, rule: str, rnd: random.Random
) -> None:
    shuffled = list(election.ballots)
    rnd.shuffle(shuffled)
    again = Election(election.projects.values(), shuffled, election.budget, election.vote_type)
    assert pbvote.count(again, rule).winners == pbvote.count(election, rule).winners
    assert again.ballot_digest() == election.ballot_digest()


@PROPERTY_SETTINGS
@given(elections())
def test_mes_never_funds_a_project_its_supporters_cannot_pay_for(election: Election) -> None:
    n = len(election.ballots)
    result = pbvote.count(election, "mes")
    money = [election.budget / n if n else Fraction(0)] * n
    for pid in result.winners:
        cost = election.projects[pid].cost
        supporters = [i for i in range(n) if pid in election.ballots[i].projects]
        assert sum(money[i] for i in supporters) >= cost
        if cost:
            rho = _rho(money, supporters, lambda i, c=cost: c, cost)
            for i in supporters:
                money[i] -= min(money[i], rho * cost)
        assert all(m >= 0 for m in money)


@PROPERTY_SETTINGS
@given(elections())
def test_greedy_funds_in_score_order(election: Election) -> None:
    result = pbvote.count(election, "greedy")
    votes = {pid: sum(pid in b.projects for b in election.ballots) for pid in election.projects}
    funded = [votes[p] for p in result.winners]
    assert funded == sorted(funded, reverse=True)
    for pid, why in result.explanations.items():
        if not why.selected:
            assert why.reason == "no-money"
            assert election.projects[pid].cost > why.numbers["budget_left"]
