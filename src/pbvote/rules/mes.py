"""Method of Equal Shares (MES), exactly as pabutools 1.2.3 computes it, but fast.

Every voter gets an equal share of the budget. In each round, each remaining project ``p``
has an affordability ``rho``: the smallest number such that its supporters, each paying
``min(own money left, rho * satisfaction)``, cover its cost. The project with the smallest
``rho`` is funded (ties: the tie-break order); supporters pay; projects whose supporters hold
less money than their cost drop out. Counting ends when no project is affordable.

Speed without losing exactness:

* identical ballots are counted once, with a weight;
* ``rho`` values are kept as lower bounds between rounds (they only grow as money is spent),
  so a round evaluates only the projects that could still be the cheapest (as pabutools);
* rounds run on float64 NumPy arrays, and every decision (which ``rho`` is smallest, whether
  supporters can afford a project, whether a supporter pays all they have) is
  **certified**: when compared values are closer than a relative 1e-9 the decision is taken
  with exact fractions when a cheap exact form exists (identical projects; every supporter
  with money left paying in full, where ``rho = cost / their total satisfaction``), and
  otherwise the whole count is redone in exact rational arithmetic (:func:`_run_exact`);
* the "add one" completion (shares ``budget/voters``, ``+1``, ``+2``... until the outcome is
  exhaustive or over budget, as pabutools' ``voter_budget_increment=1``) runs exactly that
  loop, but many shares at a time (:func:`_run_lanes`): one NumPy column per share, so the
  Python work of a round is shared by all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from ..model import Number
from .base import CountData, Decision, RuleOutcome

__all__ = ["mes", "mes_increment"]

FloatArray = npt.NDArray[np.float64]
_TOL = 1e-9
_INF = float("inf")


class _Ambiguous(Exception):
    """A float comparison was too close to call; redo exactly."""


def money(value: float | Fraction | int) -> Decimal:
    """Round an amount to cents for display (decisions never use this)."""
    amount: Decimal
    if isinstance(value, Fraction):
        amount = Decimal(value.numerator) / Decimal(value.denominator)
    elif isinstance(value, float):
        amount = Decimal(repr(value))
    else:
        amount = Decimal(value)
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class _Setup:
    """The candidates of one MES count (supported, positive cost, not pre-funded)."""

    def __init__(self, data: CountData, sat: str, initial: Sequence[int] = ()) -> None:
        self.data = data
        self.sat = sat
        utilities = data.utilities(sat)
        taken = set(initial)
        self.initial = list(initial)
        self.free: list[int] = []
        self.cands: list[int] = []
        for j in range(data.m):
            if j in taken or len(utilities[j].voters) == 0:
                continue
            if data.costs[j] == 0:
                self.free.append(j)
            else:
                self.cands.append(j)
        self.free.sort(key=lambda j: data.tie_rank[j])
        w = data.fweights
        self.sup = [utilities[j].voters for j in self.cands]
        self.sup_list = [s.tolist() for s in self.sup]
        self.u = [utilities[j].fvalues for j in self.cands]
        self.u_exact = [utilities[j].values for j in self.cands]
        self.w = [w[s] for s in self.sup]
        self.wu = [self.w[k] * self.u[k] for k in range(len(self.cands))]
        self.wu_sum = [float(x.sum()) for x in self.wu]
        self.umax = [float(x.max()) for x in self.u]
        self.uniform_u: list[Number | None] = [utilities[j].uniform for j in self.cands]
        self.int_u = [
            isinstance(uni, int) or all(isinstance(v, int) for v in vals)
            for uni, vals in zip(self.uniform_u, self.u_exact, strict=True)
        ]
        self.c = [float(data.costs[j]) for j in self.cands]
        self.c_exact = [data.costs[j] for j in self.cands]
        self.rank = [data.tie_rank[j] for j in self.cands]
        #: costs as ints where whole (fast exact sums)
        self.c_num: list[Number] = [c.numerator if c.denominator == 1 else c for c in self.c_exact]
        self.fixed_cost = sum((data.costs[j] for j in self.initial + self.free), Fraction(0))
        self.tot_exact: list[Number] = []
        for k in range(len(self.cands)):
            uniform = self.uniform_u[k]
            if uniform is not None:
                self.tot_exact.append(uniform * int(data.iweights[self.sup[k]].sum()))
                continue
            total: Number = 0
            for v, value in zip(self.sup_list[k], self.u_exact[k], strict=True):
                total += data.weights[v] * value
            self.tot_exact.append(total)
        self.init_rho = [self.c[k] / self.wu_sum[k] for k in range(len(self.cands))]
        #: projects with the same cost, supporters and satisfactions share a twin class
        classes: dict[tuple[object, ...], int] = {}
        self.twin = [
            classes.setdefault(
                (self.c_exact[k], tuple(self.sup_list[k]), tuple(self.u_exact[k])), len(classes)
            )
            for k in range(len(self.cands))
        ]
        #: exact rho when every supporter pays in full: cost / total satisfaction
        self.static_rho = [
            Fraction(self.c_exact[k]) / self.tot_exact[k] for k in range(len(self.cands))
        ]


@dataclass
class _Run:
    """One MES count at one initial share: selected candidates (indices into ``cands``)."""

    seq: list[int]
    rhos: list[float]
    budgets: FloatArray
    exact: bool
    exact_rhos: list[Fraction | None] | None = None
    #: lanes: denominators of exact rhos (rho = cost / den) where certain, 0 elsewhere
    dens: FloatArray | None = None


def _afford(setup: _Setup, k: int, bs: FloatArray) -> tuple[float, Fraction | None]:
    """Float ``rho`` of candidate ``k`` given its supporters' budgets ``bs``, and its exact
    value when that is certain: supporters with no money left (exactly 0, see the payment
    step) do not count, and every other supporter can certainly pay ``rho * u`` in full, so
    ``rho = cost / (their total satisfaction)``, an exact integer ratio."""
    w, u, wu = setup.w[k], setup.u[k], setup.wu[k]
    c = setup.c[k]
    alive = bs > 0
    den = float(wu[alive].sum())
    if den <= 0:
        raise _Ambiguous
    rho = c / den
    slack = bs - rho * u
    low = float(slack[alive].min())
    if low >= 0:
        if low > _TOL * rho * setup.umax[k] and setup.int_u[k] and den < 2.0**52:
            return rho, Fraction(setup.c_exact[k]) / round(den)
        return rho, None
    rich = alive & (slack >= 0)
    num = c - float(w[~rich] @ bs[~rich])
    den = float(wu[rich].sum())
    while True:
        if den <= 0:
            raise _Ambiguous
        rho = num / den
        poor = rich & (bs < rho * u)
        if not poor.any():
            return rho, None
        num -= float(w[poor] @ bs[poor])
        den -= float(wu[poor].sum())
        rich &= ~poor


def _run_float(setup: _Setup, share: float) -> _Run:
    """One MES count in certified floats; raises :class:`_Ambiguous` when a decision is too
    close to call."""
    b = np.full(setup.data.n_distinct, share, dtype=np.float64)
    stored = list(setup.init_rho)
    alive = list(range(len(setup.cands)))
    seq: list[int] = []
    rhos: list[float] = []
    exact_rhos: list[Fraction | None] = []
    sup, u, w, c = setup.sup, setup.u, setup.w, setup.c
    rank = setup.rank
    while alive:
        alive.sort(key=stored.__getitem__)
        best = _INF
        best_k = -1
        evaluated: list[tuple[float, int, Fraction | None]] = []
        removed: list[int] = []
        for k in alive:
            if stored[k] > best * (1 + _TOL):
                break
            bs = b[sup[k]]
            avail = float(w[k] @ bs)
            ck = c[k]
            if avail < ck * (1 + _TOL):
                if avail > ck * (1 - _TOL):
                    raise _Ambiguous
                removed.append(k)
                continue
            rho, certain = _afford(setup, k, bs)
            stored[k] = rho
            evaluated.append((rho, k, certain))
            if rho < best:
                best = rho
                best_k = k
        for k in removed:
            alive.remove(k)
        if best_k < 0:
            break
        limit = best * (1 + _TOL)
        close = [(k, certain) for rho, k, certain in evaluated if rho <= limit]
        best_exact: Fraction | None = None
        if len(close) > 1:
            twins = {setup.twin[k] for k, _ in close}
            if len(twins) == 1:
                # identical projects: always the same rho, the tie-break order decides
                best_k = min((k for k, _ in close), key=rank.__getitem__)
            elif not all(certain is not None for _, certain in close):
                raise _Ambiguous
            else:
                values = {k: certain for k, certain in close if certain is not None}
                low = min(values.values())
                best_k = min((k for k in values if values[k] == low), key=rank.__getitem__)
                best_exact = low
        else:
            best_exact = next(ex for _, k, ex in evaluated if k == best_k)
        s = sup[best_k]
        bs = b[s]
        due = best * u[best_k]
        slack = bs - due
        if bool((np.abs(slack) <= _TOL * due).any()):
            raise _Ambiguous  # cannot tell whether a supporter pays all they have
        b[s] = np.where(slack > 0, slack, 0.0)
        alive.remove(best_k)
        seq.append(best_k)
        rhos.append(best)
        exact_rhos.append(best_exact)

    return _Run(seq, rhos, b, exact=False, exact_rhos=exact_rhos)


def _run_exact(setup: _Setup, share: Fraction) -> _Run:
    """The same count in exact rational arithmetic (pabutools' algorithm, plainly)."""
    data = setup.data
    weights = data.weights
    b: list[Fraction] = [share] * data.n_distinct
    stored: list[Fraction] = [
        Fraction(setup.c_exact[k]) / setup.tot_exact[k] for k in range(len(setup.cands))
    ]
    alive = list(range(len(setup.cands)))
    seq: list[int] = []
    rhos: list[Fraction | None] = []
    while alive:
        alive.sort(key=stored.__getitem__)
        best: Fraction | None = None
        tied: list[int] = []
        removed = []
        for k in alive:
            if best is not None and stored[k] > best:
                break
            voters = setup.sup_list[k]
            cost = setup.c_exact[k]
            if sum(weights[v] * b[v] for v in voters) < cost:
                removed.append(k)
                continue
            values = setup.u_exact[k]
            order = sorted(range(len(voters)), key=lambda i: b[voters[i]] / values[i])
            paid: Fraction = Fraction(0)
            den: Number = setup.tot_exact[k]
            rho = Fraction(0)
            for i in order:
                v = voters[i]
                rho = (cost - paid) / Fraction(den)
                if rho * values[i] <= b[v]:
                    break
                paid += weights[v] * b[v]
                den -= weights[v] * values[i]
            stored[k] = rho
            if best is None or rho < best:
                best = rho
                tied = [k]
            elif rho == best:
                tied.append(k)
        for k in removed:
            alive.remove(k)
        if best is None:
            break
        k = min(tied, key=setup.rank.__getitem__)
        for v, value in zip(setup.sup_list[k], setup.u_exact[k], strict=True):
            b[v] -= min(b[v], best * value)
        alive.remove(k)
        seq.append(k)
        rhos.append(best)
    budgets = np.array([float(x) for x in b], dtype=np.float64)
    return _Run(seq, [float(r or 0) for r in rhos], budgets, exact=True, exact_rhos=rhos)


def _lanes_afford_uniform(
    setup: _Setup, k: int, bs: FloatArray, low: FloatArray | None = None
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.bool_]]:
    """:func:`_lanes_afford` when every supporter values the project equally (cost or
    cardinality satisfaction): find the payment ``q = rho * u`` with
    ``sum(w * min(b, q)) == cost`` by the poor/rich fixed point
    ``q = (cost - money of those below q) / (weight of the others)``, which rises
    monotonically to the answer from any start below it; voters with no money left are
    simply "below q". ``low`` (a known lower bound of rho per lane: its value in an earlier
    round, since rho never falls) gives a warm start."""
    w = setup.w[k]
    c = setup.c[k]
    unit = float(setup.uniform_u[k])  # type: ignore[arg-type]
    total_w = float(w.sum())
    lanes = bs.shape[1]
    q = np.full(lanes, c / total_w)
    if low is not None:
        np.maximum(q, low * unit, out=q)
    poor_w = np.full(lanes, -1.0)
    poor_money = np.zeros(lanes)
    for _ in range(len(w) + 1):
        below = bs < q
        new_poor_w = w @ below
        if np.array_equal(new_poor_w, poor_w):
            break
        poor_w = new_poor_w
        poor_money = w @ np.where(below, bs, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            q = np.maximum(q, (c - poor_money) / (total_w - poor_w))
    rho = q / unit
    den = (total_w - poor_w) * unit
    # exact form "cost / satisfaction of those with money left" holds when every poor voter
    # is at exactly 0 and every other voter keeps a clear margin above q
    certain = poor_money == 0
    if certain.any():
        above = np.where(bs >= q, bs, np.inf).min(axis=0)
        certain &= above > q * (1 + _TOL)
    return rho, den, certain


def _lanes_afford(
    setup: _Setup, k: int, bs: FloatArray, low: FloatArray | None = None
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.bool_]]:
    """Vectorised :func:`_afford` for several shares at once (columns of ``bs``, one row per
    supporter). Returns rho, the summed satisfaction of supporters with money left, and
    whether that all-rich answer is certain (see :func:`_afford`)."""
    if setup.uniform_u[k] is not None:
        return _lanes_afford_uniform(setup, k, bs, low)
    w, u, wu = setup.w[k], setup.u[k], setup.wu[k]
    c = setup.c[k]
    has = bs > 0
    den0 = wu @ has
    with np.errstate(divide="ignore", invalid="ignore"):
        rho = c / den0
    slack = bs - u[:, None] * rho
    low = np.where(has, slack, np.inf).min(axis=0)
    certain = low > _TOL * rho * setup.umax[k]
    todo = np.flatnonzero(low < 0)
    if len(todo):
        sub = bs[:, todo]
        rich = has[:, todo] & (slack[:, todo] >= 0)
        num = c - w @ np.where(rich, 0.0, sub)
        den = wu @ rich
        r = np.zeros(len(todo))
        pending = np.ones(len(todo), dtype=bool)
        while True:
            with np.errstate(divide="ignore", invalid="ignore"):
                r = np.where(pending, num / den, r)
            poor = rich & (sub < u[:, None] * r) & pending
            changed = poor.any(axis=0)
            if not changed.any():
                break
            num -= w @ np.where(poor, sub, 0.0)
            den -= wu @ poor
            rich &= ~poor
            pending &= changed
        rho[todo] = r
    return rho, den0, certain


def _exact_cheapest(setup: _Setup, close: list[tuple[int, float]]) -> int:
    """Among candidates ``(k, den)`` whose exact rho is ``cost / den`` (every supporter with
    money left pays in full), the one with the smallest exact rho, ties by the tie-break
    order. Compares ``cost_a * den_b`` with ``cost_b * den_a`` in Python integers."""
    best_k, best_den = close[0]
    best_c, best_d = setup.c_num[best_k], round(best_den)
    for k, den in close[1:]:
        c, d = setup.c_num[k], round(den)
        left, right = c * best_d, best_c * d
        if left < right or (left == right and setup.rank[k] < setup.rank[best_k]):
            best_k, best_c, best_d = k, c, d
    return best_k


def _run_lanes(setup: _Setup, shares: Sequence[Fraction]) -> list[_Run | None]:
    """Run MES for several initial shares at once, one share per column ("lane") of NumPy
    arrays: the same rounds, decisions and certification as :func:`_run_float`, with the
    Python work shared by all lanes. A project is evaluated for every lane as soon as one
    lane needs it (a fresh value is also a valid lower bound for the others); projects
    funded or unaffordable in every lane are dropped from the arrays. A lane whose decision
    is too close to call gives ``None``: the caller reruns that share with :func:`_run`."""
    data = setup.data
    lanes = len(shares)
    budgets = np.repeat(
        np.array([float(s) for s in shares], dtype=np.float64)[None, :], data.n_distinct, axis=0
    )
    cols = np.arange(len(setup.cands))  # column -> candidate
    alive = np.ones((lanes, len(cols)), dtype=bool)
    stored = np.repeat(np.array(setup.init_rho, dtype=np.float64)[None, :], lanes, axis=0)
    active = np.ones(lanes, dtype=bool)
    bad = np.zeros(lanes, dtype=bool)
    picked: list[FloatArray] = []  # per round: winner per lane (-1: none)
    picked_rho: list[FloatArray] = []
    picked_den: list[FloatArray] = []
    rows = np.arange(lanes)
    sup = setup.sup
    while active.any():
        live = alive[active].any(axis=0)
        if live.sum() < 0.8 * len(cols):
            cols, alive, stored = cols[live], alive[:, live], stored[:, live]
        cand_of = cols.tolist()
        width = len(cand_of)
        if not width:
            break  # nothing left to fund in any lane
        value = np.full((lanes, width), np.inf)
        masked = np.where(alive, stored, np.inf)
        den_of = np.zeros((lanes, width))
        best = np.full(lanes, np.inf)
        while True:
            pick = masked.argmin(axis=1)
            low = masked[rows, pick]
            need = np.isfinite(low) & (low <= best * (1 + _TOL)) & active
            if not need.any():
                break
            for col in np.unique(pick[need]).tolist():
                k = cand_of[col]
                masked[:, col] = np.inf
                bs = budgets[sup[k]]
                avail = setup.w[k] @ bs
                ck = setup.c[k]
                close = (np.abs(avail - ck) <= _TOL * ck) & alive[:, col] & active
                bad |= close
                short = avail < ck
                alive[short, col] = False
                ok = np.flatnonzero(~short & ~close & alive[:, col])
                if not len(ok):
                    continue
                rho, den, certain = _lanes_afford(
                    setup, k, bs if len(ok) == lanes else bs[:, ok], stored[ok, col]
                )
                stored[ok, col] = rho
                value[ok, col] = rho
                best[ok] = np.minimum(best[ok], rho)
                if setup.int_u[k]:
                    den_of[ok, col] = np.where(certain & (den < 2.0**52), den, 0.0)
        active &= ~bad
        active &= np.isfinite(best)
        if not active.any():
            break
        winner = value.argmin(axis=1)
        limit = (best * (1 + _TOL))[:, None]
        ties = ((value <= limit).sum(axis=1) > 1) & active
        for lane in np.flatnonzero(ties).tolist():
            close_cols = np.flatnonzero(value[lane] <= limit[lane]).tolist()
            close_k = [cand_of[col] for col in close_cols]
            if len({setup.twin[k] for k in close_k}) == 1:
                first = min(close_k, key=setup.rank.__getitem__)
                winner[lane] = close_cols[close_k.index(first)]
                continue
            if not all(den_of[lane, col] > 0 for col in close_cols):
                bad[lane] = True
                continue
            first = _exact_cheapest(
                setup, [(cand_of[col], float(den_of[lane, col])) for col in close_cols]
            )
            winner[lane] = close_cols[close_k.index(first)]
        active &= ~bad
        round_winner = np.where(active, cols[winner], -1)
        round_rho = value[rows, winner]
        round_den = den_of[rows, winner]
        for col in np.unique(winner[active]).tolist():
            k = cand_of[col]
            idx = np.flatnonzero(active & (winner == col))
            everyone = len(idx) == lanes
            bs = budgets[sup[k]] if everyone else budgets[np.ix_(sup[k], idx)]
            due = setup.u[k][:, None] * value[idx, col]
            slack = bs - due
            unsure = (np.abs(slack) <= _TOL * due).any(axis=0)
            bad[idx[unsure]] = True
            np.maximum(slack, 0.0, out=slack)
            if everyone:
                budgets[sup[k]] = slack
            else:
                budgets[np.ix_(sup[k], idx)] = slack
            alive[idx, col] = False
        active &= ~bad
        picked.append(round_winner)
        picked_rho.append(round_rho)
        picked_den.append(round_den)
    out: list[_Run | None] = []
    if picked:
        table = np.array(picked).T
        table_rho = np.array(picked_rho).T
        table_den = np.array(picked_den).T
    for lane in range(lanes):
        if bad[lane]:
            out.append(None)
            continue
        if not picked:
            out.append(_Run([], [], budgets[:, lane].copy(), False, []))
            continue
        mask = table[lane] >= 0
        out.append(
            _Run(
                table[lane][mask].tolist(),
                table_rho[lane][mask].tolist(),
                budgets[:, lane].copy(),
                False,
                None,
                table_den[lane][mask],
            )
        )
    return out


def _run(setup: _Setup, share: Fraction, exact: bool | None) -> _Run:
    if exact:
        return _run_exact(setup, share)
    try:
        return _run_float(setup, float(share))
    except _Ambiguous:
        return _run_exact(setup, share)


def _outcome(setup: _Setup, run: _Run, share: Fraction, phase: str = "main") -> RuleOutcome:
    data = setup.data
    winners = setup.initial + setup.free + [setup.cands[k] for k in run.seq]
    decisions: dict[int, Decision] = {}
    start = len(setup.initial)
    for r, j in enumerate(setup.free, start=start + 1):
        decisions[j] = Decision(data.ids[j], True, "funded-free", r, phase, {"cost": data.costs[j]})
    first = start + len(setup.free) + 1
    w = data.fweights
    for r, k in enumerate(run.seq):
        j = setup.cands[k]
        exact_rho = run.exact_rhos[r] if run.exact_rhos is not None else None
        den = float(run.dens[r]) if run.dens is not None else 0.0
        if den > 0:
            exact_rho = Fraction(setup.c_exact[k]) / round(den)
        rho = exact_rho if exact_rho is not None else run.rhos[r]
        voters = setup.sup[k]
        values = setup.u[k]
        max_pay = float(rho) * float(values.max()) if len(values) else 0.0
        supporters = int(w[voters].sum())
        numbers = {
            "cost": data.costs[j],
            "supporters": supporters,
            "rho": rho,
            "max_payment": money(max_pay),
            "average_payment": money(float(data.costs[j]) / supporters),
            "share": share,
        }
        decisions[j] = Decision(data.ids[j], True, "funded", first + r, phase, numbers)
    selected = set(winners)
    b = run.budgets
    for k, j in enumerate(setup.cands):
        if j in selected:
            continue
        voters = setup.sup[k]
        left = float(w[voters] @ b[voters])
        decisions[j] = Decision(
            data.ids[j],
            False,
            "supporters-short",
            None,
            phase,
            {
                "cost": data.costs[j],
                "supporters": int(w[voters].sum()),
                "supporters_money": money(left),
                "share": share,
            },
        )
    for j in range(data.m):
        if j not in decisions and j not in selected:
            decisions[j] = Decision(
                data.ids[j], False, "no-supporters", None, phase, {"cost": data.costs[j]}
            )
    return RuleOutcome(winners, decisions)


def mes(data: CountData, sat: str = "cost", *, exact: bool | None = None) -> RuleOutcome:
    """pabutools' ``method_of_equal_shares(instance, profile, sat_class)``.

    ``sat`` is ``cost`` (Cost_Sat), ``card`` (Cardinality_Sat) or ``points``
    (Additive_Cardinal_Sat). ``exact=True`` forces rational arithmetic throughout;
    ``None`` (default) uses certified floats and falls back to exact arithmetic on close calls.
    """
    if data.n_voters == 0:
        return RuleOutcome(
            [], {j: Decision(data.ids[j], False, "no-supporters") for j in range(data.m)}
        )
    setup = _Setup(data, sat)
    share = data.budget / data.n_voters
    run = _run(setup, share, exact)
    outcome = _outcome(setup, run, share)
    outcome.parameters = {"satisfaction": sat, "share": share}
    return outcome


def _cost_of(setup: _Setup, run: _Run) -> Fraction:
    return setup.fixed_cost + sum(map(setup.c_num.__getitem__, run.seq))


def _exhaustive(setup: _Setup, run: _Run, total: Fraction) -> bool:
    chosen = set(run.seq)
    left = setup.data.budget - total
    return all(setup.c_exact[k] > left for k in range(len(setup.cands)) if k not in chosen)


def mes_increment(
    data: CountData, sat: str = "cost", *, exact: bool | None = None, until: str = "exhaustive"
) -> RuleOutcome:
    """pabutools' ``method_of_equal_shares(..., sat_class, voter_budget_increment=1)``.

    MES is run with each voter's share ``budget / voters``, then ``+1``, ``+2``... until the
    outcome is exhaustive (no supported project fits in what is left: that outcome is
    returned) or costs more than the budget (the previous outcome is returned). Shares whose
    outcome provably equals the current one are skipped (see the module docstring), so the
    result is that of the increment-by-1 loop at a fraction of the cost.

    ``until="overspend"`` is the variant cities ran (equalshares.net, Pabulib's checker): the
    share keeps rising while the outcome stays within the budget, even past an exhaustive
    outcome; the last outcome within budget is returned.
    """
    if until not in ("exhaustive", "overspend"):
        raise ValueError(f"until must be 'exhaustive' or 'overspend', not {until!r}")
    stop_exhaustive = until == "exhaustive"
    if data.n_voters == 0:
        return mes(data, sat)
    setup = _Setup(data, sat)
    base = data.budget / data.n_voters
    runs = 1
    k = 0
    cur = _run(setup, base, exact)
    cur_total = _cost_of(setup, cur)

    def done(run: _Run, total: Fraction) -> bool:
        if len(run.seq) == len(setup.cands):
            return True  # every supported project is funded: more money changes nothing
        return stop_exhaustive and _exhaustive(setup, run, total)

    if cur_total <= data.budget and not done(cur, cur_total):
        width = max(4, min(256, 2_000_000 // max(1, data.n_distinct)))
        # light counts (few distinct ballots): big first batches save Python rounds; heavy
        # ones grow slowly, so few shares past the stopping one are counted for nothing
        light = data.n_distinct < 5000
        batch = max(4, width // 8) if light else 4
        growth = 2.0 if light else 1.5
        finished = False
        while not finished:
            shares = [base + k + i for i in range(1, batch + 1)]
            if exact:
                batch_runs: list[_Run | None] = [None] * len(shares)
            else:
                batch_runs = _run_lanes(setup, shares)
            for share_i, maybe in zip(shares, batch_runs, strict=True):
                nxt = maybe if maybe is not None else _run(setup, share_i, exact)
                runs += 1
                total = _cost_of(setup, nxt)
                if total > data.budget:
                    finished = True
                    break
                k += 1
                cur, cur_total = nxt, total
                if done(cur, cur_total):
                    finished = True
                    break
            batch = min(width, int(batch * growth) + 1)
    share = base + k
    outcome = _outcome(setup, cur, share)
    outcome.parameters = {
        "satisfaction": sat,
        "share": share,
        "share_start": base,
        "increments": k,
        "mes_runs": runs,
        "until": until,
    }
    return outcome
