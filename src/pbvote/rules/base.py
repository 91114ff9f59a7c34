"""Shared pieces of the rules: the compact counting data, tie-breaking and rule outcomes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from itertools import chain, repeat
from typing import Any

import numpy as np
import numpy.typing as npt

from ..model import Election, Number

__all__ = [
    "SATISFACTIONS",
    "TIE_BREAKS",
    "CountData",
    "Decision",
    "RuleOutcome",
    "Utilities",
    "tie_ranks",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

#: Satisfaction measures (pabutools class in brackets): ``cost`` (Cost_Sat: a supporter
#: values a project at its cost), ``card`` (Cardinality_Sat: 1 per supported project),
#: ``points`` (Additive_Cardinal_Sat: the points given), ``borda`` (Additive_Borda_Sat:
#: ballot length - position - 1).
SATISFACTIONS = ("cost", "card", "points", "borda")

#: Tie-breaking orders. ``id`` (default, as pabutools): project id compared as a string, so
#: "10" < "9"; ``id-natural``: numbers inside ids compared as numbers; ``cost-asc`` /
#: ``cost-desc``: cheaper / dearer first, then id; ``votes-desc``: more supporters first, then
#: id. A list of project ids gives an explicit priority (unlisted projects follow, by id).
TIE_BREAKS = ("id", "id-natural", "cost-asc", "cost-desc", "votes-desc")


def _natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    parts: list[tuple[int, int | str]] = []
    number = ""
    word = ""
    for ch in text:
        if ch.isdigit():
            if word:
                parts.append((1, word))
                word = ""
            number += ch
        else:
            if number:
                parts.append((0, int(number)))
                number = ""
            word += ch
    if number:
        parts.append((0, int(number)))
    if word:
        parts.append((1, word))
    return tuple(parts)


def tie_ranks(
    ids: Sequence[str],
    costs: Sequence[Fraction],
    votes: Sequence[int],
    order: str | Sequence[str] = "id",
) -> list[int]:
    """Return ``rank[i]`` for project ``i``: lower rank wins a tie.

    ``order`` is one of :data:`TIE_BREAKS` or an explicit list of project ids. Raises
    :class:`ValueError` for an unknown order name.
    """
    idx = range(len(ids))
    if isinstance(order, str):
        keys: dict[str, Callable[[int], Any]] = {
            "id": lambda i: ids[i],
            "id-natural": lambda i: (_natural_key(ids[i]), ids[i]),
            "cost-asc": lambda i: (costs[i], ids[i]),
            "cost-desc": lambda i: (-costs[i], ids[i]),
            "votes-desc": lambda i: (-votes[i], ids[i]),
        }
        if order not in keys:
            raise ValueError(f"unknown tie-break order {order!r}; use one of {TIE_BREAKS}")
        ranked = sorted(idx, key=keys[order])
    else:
        position = {pid: k for k, pid in enumerate(order)}
        ranked = sorted(idx, key=lambda i: (position.get(ids[i], len(position)), ids[i]))
    rank = [0] * len(ids)
    for r, i in enumerate(ranked):
        rank[i] = r
    return rank


@dataclass
class Utilities:
    """Supporters of one project under one satisfaction measure (distinct-ballot indices)."""

    voters: IntArray
    values: list[Number]
    uniform: Number | None
    fvalues: FloatArray


class CountData:
    """An election reduced to what the rules need, with identical ballots collapsed.

    Projects are numbered in the election's order. ``weights[v]`` is how many voters cast
    distinct ballot ``v``. Costs and the budget stay exact; float copies serve the fast
    paths, whose every decision is certified or redone exactly. Ballot entries are also kept
    as flat NumPy arrays (``entry_voter``, ``entry_project``, ``entry_pos``, ``entry_len``)
    so totals are one ``bincount`` away.
    """

    def __init__(self, election: Election, tie_break: str | Sequence[str] = "id") -> None:
        self.election = election
        self.ids: list[str] = election.project_ids
        self.m = len(self.ids)
        self.costs: list[Fraction] = [election.projects[p].cost for p in self.ids]
        self.cost_nums: list[Number] = [
            c.numerator if c.denominator == 1 else c for c in self.costs
        ]
        self.fcosts = np.array([float(c) for c in self.costs], dtype=np.float64)
        self.budget: Fraction = election.budget
        # identical ballots (same projects in the same order, same points) counted once
        all_projects, all_points = election.ballot_columns()
        points_mode = election.uses_points
        keys: list[tuple[str, ...]]
        point_keys: list[tuple[Number, ...]] = []
        if points_mode:
            raw = Counter(zip(all_projects, all_points, strict=True))
            keys = [k[0] for k in raw]
            point_keys = [k[1] or () for k in raw]
            self.weights: list[int] = list(raw.values())
        else:
            plain = Counter(all_projects)
            keys = list(plain)
            self.weights = list(plain.values())
        self._keys = keys
        self._point_keys = point_keys
        self.fweights = np.array(self.weights, dtype=np.float64)
        self.iweights = np.array(self.weights, dtype=np.int64)
        self.n_voters: int = len(all_projects)
        self.n_distinct = len(keys)
        lengths = list(map(len, keys))
        total = sum(lengths)
        self.entry_len = np.repeat(np.array(lengths, dtype=np.int64), lengths)
        self.entry_voter = np.repeat(np.arange(self.n_distinct, dtype=np.int64), lengths)
        starts = np.cumsum([0, *lengths[:-1]]) if lengths else np.zeros(0, dtype=np.int64)
        self.entry_pos = np.arange(total, dtype=np.int64) - np.repeat(starts, lengths)
        lookup = {pid: i for i, pid in enumerate(self.ids)}.__getitem__
        self.entry_project = np.fromiter(
            map(lookup, chain.from_iterable(keys)), dtype=np.int64, count=total
        )
        flat_values: list[Number]
        if points_mode:
            flat_values = list(chain.from_iterable(point_keys))
            self.int_points = all(isinstance(v, int) for v in flat_values)
        else:
            flat_values = [1] * total
            self.int_points = True
        self.entry_values = flat_values
        entry_weight = self.iweights[self.entry_voter]
        self.votes: list[int] = (
            np.bincount(self.entry_project, weights=entry_weight, minlength=self.m)
            .astype(np.int64)
            .tolist()
        )
        self.points: list[Number]
        if self.int_points:
            values = np.array(flat_values, dtype=np.int64)
            self.points = (
                np.bincount(self.entry_project, weights=entry_weight * values, minlength=self.m)
                .astype(np.int64)
                .tolist()
            )
        else:
            points: list[Number] = [0] * self.m
            for j, value, weight in zip(
                self.entry_project.tolist(), flat_values, entry_weight.tolist(), strict=True
            ):
                points[j] += weight * value
            self.points = points
        self.tie_rank = tie_ranks(self.ids, self.costs, self.votes, tie_break)
        self._utilities: dict[str, list[Utilities]] = {}

    @cached_property
    def ballots(self) -> list[tuple[tuple[int, Number], ...]]:
        """Distinct ballots as ``(project index, points)`` pairs (``weights`` aligned)."""
        lookup = {pid: i for i, pid in enumerate(self.ids)}.__getitem__
        if self._point_keys:
            return [
                tuple(zip(map(lookup, pids), values, strict=True))
                for pids, values in zip(self._keys, self._point_keys, strict=True)
            ]
        ones = repeat(1)
        return [tuple(zip(map(lookup, pids), ones, strict=False)) for pids in self._keys]

    def hits(self, selected: Iterable[int]) -> npt.NDArray[np.int64]:
        """For each distinct ballot, how many of the ``selected`` projects it lists."""
        chosen = np.zeros(self.m, dtype=bool)
        chosen[list(selected)] = True
        return np.bincount(
            self.entry_voter, weights=chosen[self.entry_project], minlength=self.n_distinct
        ).astype(np.int64)

    def positional_scores(self, base: int | None = None) -> list[int]:
        """Ordinal score per project: ``base - position`` on each ballot (``base`` defaults to
        the longest ballot), i.e. 3/2/1 points for a 3-project ballot."""
        if base is None:
            base = int(self.entry_len.max()) if len(self.entry_len) else 0
        points = np.maximum(base - self.entry_pos, 0) * self.iweights[self.entry_voter]
        scores: list[int] = (
            np.bincount(self.entry_project, weights=points, minlength=self.m)
            .astype(np.int64)
            .tolist()
        )
        return scores

    def utilities(self, sat: str) -> list[Utilities]:
        """Per project: supporters and their satisfaction under ``sat`` (cached).

        Only positive satisfaction counts as support, as in pabutools.
        """
        if sat in self._utilities:
            return self._utilities[sat]
        if sat not in SATISFACTIONS:
            raise ValueError(f"unknown satisfaction {sat!r}; use one of {SATISFACTIONS}")
        proj = self.entry_project
        exact_values: list[Number] | None = None
        if sat == "cost":
            whole = all(isinstance(c, int) for c in self.cost_nums)
            if whole:
                ivalues = np.array(self.cost_nums, dtype=np.int64)[proj]
            else:
                exact_values = [self.cost_nums[j] for j in proj.tolist()]
        elif sat == "card":
            ivalues = np.ones(len(proj), dtype=np.int64)
        elif sat == "points":
            if self.int_points:
                ivalues = np.array(self.entry_values, dtype=np.int64)
            else:
                exact_values = list(self.entry_values)
        else:
            ivalues = self.entry_len - self.entry_pos - 1
        if exact_values is not None:
            positive = np.array([v > 0 for v in exact_values], dtype=bool)
            fvalues = np.array([float(v) for v in exact_values], dtype=np.float64)
        else:
            positive = ivalues > 0
            fvalues = ivalues.astype(np.float64)
        keep = np.flatnonzero(positive)
        order = keep[np.argsort(proj[keep], kind="stable")]
        bounds = np.searchsorted(proj[order], np.arange(self.m + 1))
        result = []
        for j in range(self.m):
            part = order[bounds[j] : bounds[j + 1]]
            uniform: Number | None
            if exact_values is not None:
                vals: list[Number] = [exact_values[i] for i in part.tolist()]
                uniform = vals[0] if vals and all(x == vals[0] for x in vals) else None
            else:
                chunk = ivalues[part]
                vals = chunk.tolist()
                uniform = vals[0] if vals and bool((chunk == chunk[0]).all()) else None
            result.append(Utilities(self.entry_voter[part], vals, uniform, fvalues[part]))
        self._utilities[sat] = result
        return result

    def total_satisfaction(self, sat: str) -> list[Number]:
        """Sum over voters of each project's satisfaction (weighted by multiplicity)."""
        if sat == "card":
            return list(self.votes)
        if sat == "cost":
            return [c * v for c, v in zip(self.cost_nums, self.votes, strict=True)]
        if sat == "points" and self.int_points:
            return list(self.points)
        if sat == "borda":
            borda = (self.entry_len - self.entry_pos - 1) * self.iweights[self.entry_voter]
            sums: list[Number] = (
                np.bincount(self.entry_project, weights=borda, minlength=self.m)
                .astype(np.int64)
                .tolist()
            )
            return sums
        totals: list[Number] = []
        weights = self.weights
        for util in self.utilities(sat):
            if util.uniform is not None:
                totals.append(util.uniform * int(self.iweights[util.voters].sum()))
                continue
            total: Number = 0
            for v, value in zip(util.voters.tolist(), util.values, strict=True):
                total += weights[v] * value
            totals.append(total)
        return totals


@dataclass
class Decision:
    """What happened to one project under a rule, with the numbers that explain it.

    ``reason`` codes: ``funded`` (main phase), ``funded-completion`` (greedy completion after
    MES), ``funded-free`` (zero cost), ``no-money`` (did not fit in what was left),
    ``stopped`` (counting stopped before its turn: greedy-no-skip, Phragmén),
    ``below-threshold``, ``supporters-short`` (MES: its supporters' remaining money was less
    than its cost), ``no-supporters``, ``replaced`` (comparison step chose the other outcome).
    ``numbers`` holds exact values (``Fraction``/``int``) or rounded money (``Decimal``).
    """

    project_id: str
    selected: bool
    reason: str
    round: int | None = None
    phase: str = "main"
    numbers: dict[str, Any] = field(default_factory=dict)


@dataclass
class RuleOutcome:
    """What a rule returns: winners (project indices, selection order) and per-project facts."""

    winners: list[int]
    decisions: dict[int, Decision]
    parameters: dict[str, Any] = field(default_factory=dict)
