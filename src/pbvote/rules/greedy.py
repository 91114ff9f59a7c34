"""Greedy rules: rank projects, then fund each one that still fits."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from ..model import Number
from .base import CountData, Decision, RuleOutcome

__all__ = ["greedy_by_score", "greedy_welfare"]

_INF = float("inf")


def _run(
    data: CountData,
    order: Sequence[int],
    scores: Sequence[Number | float],
    *,
    skip: bool,
    initial: Sequence[int] = (),
    phase: str = "main",
    excluded: dict[int, Decision] | None = None,
    score_name: str = "score",
) -> RuleOutcome:
    winners = list(initial)
    left = data.budget - sum((data.costs[j] for j in initial), Fraction(0))
    decisions: dict[int, Decision] = dict(excluded or {})
    stopped = False
    stop_left = left
    round_no = len(winners)
    for position, j in enumerate(order, start=1):
        cost = data.costs[j]
        numbers = {
            score_name: scores[j],
            "rank": position,
            "budget_left": left,
            "cost": cost,
        }
        if stopped:
            numbers["budget_left"] = stop_left
            decisions[j] = Decision(data.ids[j], False, "stopped", None, phase, numbers)
        elif cost <= left:
            left -= cost
            winners.append(j)
            round_no += 1
            reason = "funded" if phase == "main" else "funded-completion"
            decisions[j] = Decision(data.ids[j], True, reason, round_no, phase, numbers)
        else:
            decisions[j] = Decision(data.ids[j], False, "no-money", None, phase, numbers)
            if not skip:
                stopped = True
                stop_left = left
    return RuleOutcome(winners, decisions)


def greedy_welfare(
    data: CountData, sat: str, initial: Sequence[int] = (), phase: str = "main"
) -> RuleOutcome:
    """pabutools' ``greedy_utilitarian_welfare`` for an additive satisfaction ``sat``.

    Projects are ranked by total satisfaction divided by cost (exact fractions; a free project
    that someone supports ranks first, a project nobody supports has density 0), ties by the
    tie-break order; each project that still fits is funded. ``initial`` projects are funded
    beforehand (used for the completion after MES). For ``sat="cost"`` the density is the
    number of supporters, i.e. the classic city rule "most votes first".
    """
    totals = data.total_satisfaction(sat)
    taken = set(initial)
    density: list[Number | float] = []
    for j in range(data.m):
        total = totals[j]
        cost = data.costs[j]
        if total > 0:
            density.append(_INF if cost == 0 else Fraction(total) / cost)
        else:
            density.append(0)
    order = sorted(
        (j for j in range(data.m) if j not in taken),
        key=lambda j: (-density[j], data.tie_rank[j]),
    )
    outcome = _run(
        data, order, density, skip=True, initial=initial, phase=phase, score_name="density"
    )
    for j in range(data.m):
        decision = outcome.decisions.get(j)
        if decision is not None:
            decision.numbers["supporters"] = data.votes[j]
    return outcome


def greedy_by_score(
    data: CountData,
    scores: Sequence[Number],
    *,
    skip: bool = True,
    threshold: Number | None = None,
) -> RuleOutcome:
    """The rule cities use: rank by ``scores`` (votes, points or ordinal score), highest
    first, ties by the tie-break order; fund each project that still fits.

    With ``skip=False`` counting stops at the first project that does not fit
    (``greedy-no-skip``). Projects whose score is below ``threshold`` cannot win
    (``greedy-threshold``).
    """
    excluded: dict[int, Decision] = {}
    eligible = []
    for j in range(data.m):
        if threshold is not None and scores[j] < threshold:
            excluded[j] = Decision(
                data.ids[j],
                False,
                "below-threshold",
                None,
                "main",
                {"score": scores[j], "threshold": threshold, "cost": data.costs[j]},
            )
        else:
            eligible.append(j)
    order = sorted(eligible, key=lambda j: (-scores[j], data.tie_rank[j]))
    outcome = _run(data, order, scores, skip=skip, excluded=excluded)
    for j, decision in outcome.decisions.items():
        decision.numbers.setdefault("supporters", data.votes[j])
    return outcome
