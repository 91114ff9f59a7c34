"""Sequential Phragmén, exactly as pabutools 1.2.3 (``sequential_phragmen``) computes it.

Voters earn money continuously; a project is bought as soon as its supporters together hold
its cost, and buying it empties their wallets ("loads" are what they have spent). In each
round the project that can be bought soonest wins: its new maximum load is (supporters'
current loads + cost) / number of supporters. pabutools stops at the first round whose
best project does not fit in the budget and returns winners sorted by project id; the
``skip`` variant instead drops projects that no longer fit and carries on.

Loads take one value per round, so every voter's load is "the load of round r" for the last
round r whose project they support. Floats pick the candidates; the winner is then decided
exactly with fractions among all candidates within a relative 1e-9 of the float minimum.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from .base import CountData, Decision, RuleOutcome
from .mes import money

__all__ = ["phragmen"]

_TOL = 1e-9


def phragmen(data: CountData, *, skip: bool = False) -> RuleOutcome:
    """Count with sequential Phragmén (approval semantics: any listed project is approved).

    Winners are returned in selection order; pabutools lists them sorted by id (use
    :attr:`~pbvote.result.Result.winners_sorted`). ``skip=False`` stops at the first project
    that does not fit (pabutools); ``skip=True`` skips it and continues.
    """
    order = np.argsort(data.entry_project, kind="stable")
    bounds = np.searchsorted(data.entry_project[order], np.arange(data.m + 1))
    supporters = [data.entry_voter[order[bounds[j] : bounds[j + 1]]] for j in range(data.m)]
    w = data.fweights
    budget = data.budget
    cands = [j for j in range(data.m) if data.costs[j] <= budget]
    approval = [data.votes[j] for j in range(data.m)]
    group = np.zeros(data.n_distinct, dtype=np.int64)  # 0: load 0; r: load of round r
    # exact loads are computed only when a close call needs them: load r is
    # (cost of round r's project + loads its supporters carried) / its supporters
    loads_exact: list[Fraction | None] = [Fraction(0)]
    load_recipe: list[tuple[int, list[tuple[int, int]]]] = [(-1, [])]
    loads_float = np.zeros(1, dtype=np.float64)
    spent = Fraction(0)
    winners: list[int] = []
    decisions: dict[int, Decision] = {}
    new_load: dict[int, float] = {}

    def carried(j: int) -> list[tuple[int, int]]:
        voters = supporters[j]
        counts = np.bincount(group[voters], weights=w[voters], minlength=len(loads_float))
        return [(g, round(float(counts[g]))) for g in np.flatnonzero(counts).tolist() if g]

    def exact_load(g: int) -> Fraction:
        value = loads_exact[g]
        if value is None:
            j, parts = load_recipe[g]
            value = (data.costs[j] + sum(exact_load(h) * n for h, n in parts)) / approval[j]
            loads_exact[g] = value
        return value

    def exact_value(j: int) -> Fraction | None:
        if approval[j] == 0:
            return None
        return (data.costs[j] + sum(exact_load(h) * n for h, n in carried(j))) / approval[j]

    remaining = list(cands)
    stop_reason: tuple[int, Fraction] | None = None
    entry_voter = data.entry_voter
    entry_project = data.entry_project
    entry_weight = w[entry_voter]
    approvals = np.array(approval, dtype=np.float64)
    with np.errstate(divide="ignore"):
        inv_approval = np.where(approvals > 0, 1.0 / np.maximum(approvals, 1.0), 0.0)
    while remaining:
        # every project's supporters' total load in one pass over the ballot entries
        loads = np.bincount(
            entry_project, weights=entry_weight * loads_float[group[entry_voter]], minlength=data.m
        )
        every = np.where(approvals > 0, (loads + data.fcosts) * inv_approval, np.inf)
        fvals = every[remaining].tolist()
        fmin = min(fvals)
        best: Fraction | None = None
        if np.isinf(fmin):
            tied = list(remaining)
        else:
            close = [j for j, f in zip(remaining, fvals, strict=True) if f <= fmin * (1 + _TOL)]
            if len(close) == 1:
                tied = close
            else:
                exact = {j: exact_value(j) for j in close}
                best = min(v for v in exact.values() if v is not None)
                tied = [j for j in close if exact[j] == best]
        tied.sort(key=data.tie_rank.__getitem__)
        if skip:
            fitting = [j for j in tied if spent + data.costs[j] <= budget]
            for j in tied:
                if j not in fitting:
                    remaining.remove(j)
                    decisions[j] = Decision(
                        data.ids[j],
                        False,
                        "no-money",
                        None,
                        "main",
                        {
                            "cost": data.costs[j],
                            "budget_left": budget - spent,
                            "supporters": data.votes[j],
                        },
                    )
            if not fitting:
                continue
            tied = fitting
        elif any(spent + data.costs[j] > budget for j in tied):
            blocker = next(j for j in tied if spent + data.costs[j] > budget)
            stop_reason = (blocker, budget - spent)
            break
        chosen = tied[0]
        remaining.remove(chosen)
        winners.append(chosen)
        spent += data.costs[chosen]
        if approval[chosen] > 0:
            value = float(best) if best is not None else float(every[chosen])
            load_recipe.append((chosen, carried(chosen)))
            loads_exact.append(best)
            loads_float = np.append(loads_float, value)
            group[supporters[chosen]] = len(loads_float) - 1
            new_load[chosen] = value
        decisions[chosen] = Decision(
            data.ids[chosen],
            True,
            "funded",
            len(winners),
            "main",
            {
                "cost": data.costs[chosen],
                "supporters": data.votes[chosen],
                "load": money(new_load.get(chosen, 0.0)),
                "budget_left": budget - spent,
            },
        )
    for j in range(data.m):
        if j in decisions:
            continue
        if data.costs[j] > budget:
            decisions[j] = Decision(
                data.ids[j],
                False,
                "no-money",
                None,
                "main",
                {"cost": data.costs[j], "budget_left": budget, "supporters": data.votes[j]},
            )
        else:
            left = stop_reason[1] if stop_reason else budget - spent
            numbers: dict[str, object] = {
                "cost": data.costs[j],
                "budget_left": left,
                "supporters": data.votes[j],
            }
            if stop_reason:
                numbers["blocker"] = data.ids[stop_reason[0]]
            reason = "stopped" if stop_reason and j != stop_reason[0] else "no-money"
            decisions[j] = Decision(data.ids[j], False, reason, None, "main", numbers)
    return RuleOutcome(winners, decisions)
