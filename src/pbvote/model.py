"""Election data: projects, ballots and the compact profile the rules count.

Money is exact everywhere: costs and the budget are :class:`fractions.Fraction` (integers in
practice). Ballots keep the project ids exactly as the file spells them.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from itertools import repeat
from typing import NamedTuple, overload

__all__ = [
    "APPROVAL_TYPES",
    "POINTS_TYPES",
    "Ballot",
    "Election",
    "LazyBallots",
    "Profile",
    "Project",
    "to_fraction",
]

#: ``vote_type`` values whose ballots are sets of approved projects.
APPROVAL_TYPES = frozenset({"approval", "choose-1"})
#: ``vote_type`` values whose ballots give points (a ``points`` column).
POINTS_TYPES = frozenset({"cumulative", "scoring"})

Number = int | Fraction


def to_fraction(value: str | int | Fraction) -> Fraction:
    """Turn ``"12"``, ``"12.50"``, ``"12,5"`` or ``"1/3"`` into an exact fraction.

    Raises :class:`ValueError` when the text is not a number.
    """
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    text = value.strip().replace(",", ".")
    if not text:
        raise ValueError("empty number")
    return Fraction(text)


def _number(value: Fraction) -> int | Fraction:
    """Return ``value`` as an ``int`` when it is whole (cheaper arithmetic)."""
    return value.numerator if value.denominator == 1 else value


@dataclass(frozen=True)
class Project:
    """A project on the ballot.

    Parameters
    ----------
    id:
        The project id exactly as in the file (compared as a string).
    cost:
        Exact cost (a non-negative fraction, normally whole currency units).
    name:
        Display name (may be empty).
    fields:
        The ``PROJECTS`` columns of the file as text (``cost`` as spelled, ``votes``, ``category``,
        ``selected``...), kept so that a written file keeps them.
    """

    id: str
    cost: Fraction
    name: str = ""
    fields: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.cost, Fraction):
            object.__setattr__(self, "cost", to_fraction(self.cost))
        if self.cost < 0:
            raise ValueError(f"project {self.id}: negative cost {self.cost}")


class Ballot(NamedTuple):
    """One voter's ballot.

    ``projects`` lists project ids (in rank order for ordinal ballots); ``points`` has one
    number per project for cumulative/scoring ballots and is ``None`` otherwise; ``extra``
    holds the values of the file's other ``VOTES`` columns (see
    :attr:`Election.voter_columns`).
    """

    projects: tuple[str, ...]
    points: tuple[Number, ...] | None = None
    voter_id: str = ""
    extra: tuple[str, ...] = ()


class LazyBallots(Sequence[Ballot]):
    """The ballots of a parsed file, built into :class:`Ballot` objects only when asked.

    Counting needs just the projects and points of each ballot (:meth:`columns`); voter ids
    and the other ``VOTES`` columns are cut from the kept lines on first access.
    """

    def __init__(
        self,
        projects: list[tuple[str, ...]],
        points: list[tuple[Number, ...] | None],
        lines: list[str],
        voter_col: int,
        extra_cols: Sequence[int],
    ) -> None:
        self._projects = projects
        self._points = points
        self._lines: list[str] | None = lines
        self._voter_col = voter_col
        self._extra_cols = tuple(extra_cols)
        self._built: list[Ballot] | None = None

    def columns(self) -> tuple[list[tuple[str, ...]], list[tuple[Number, ...] | None]]:
        """Projects and points of every ballot, without building the ballots."""
        return self._projects, self._points

    def _all(self) -> list[Ballot]:
        if self._built is None:
            lines = self._lines or []
            voter_col, extra_cols = self._voter_col, self._extra_cols
            built = []
            for pids, points, line in zip(self._projects, self._points, lines, strict=True):
                row = line.split(";")
                voter = row[voter_col].strip() if voter_col >= 0 else ""
                built.append(Ballot(pids, points, voter, tuple(row[k] for k in extra_cols)))
            self._built = built
            self._lines = None
        return self._built

    def __len__(self) -> int:
        return len(self._projects)

    @overload
    def __getitem__(self, index: int) -> Ballot: ...

    @overload
    def __getitem__(self, index: slice) -> list[Ballot]: ...

    def __getitem__(self, index: int | slice) -> Ballot | list[Ballot]:
        return self._all()[index]

    def __iter__(self) -> Iterator[Ballot]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


class Profile(NamedTuple):
    """Identical ballots collapsed: ``ballots[i]`` was cast ``weights[i]`` times.

    Each distinct ballot is a tuple of ``(project index, points)`` pairs in ballot order, where
    points is the voter's number for the project (1 for approval; the points given for
    cumulative/scoring; for ordinal ballots the position is the pair's place in the tuple).
    """

    ballots: list[tuple[tuple[int, Number], ...]]
    weights: list[int]


class Election:
    """One participatory-budget election: projects, a budget and the ballots.

    Several categories or districts are several :class:`Election` objects.

    Parameters
    ----------
    projects:
        The projects, in the order to show them.
    ballots:
        Every ballot cast (one per voter).
    budget:
        The amount to distribute (exact).
    vote_type:
        ``approval`` (default), ``cumulative``, ``scoring``, ``ordinal``, ``choose-1`` or any
        other Pabulib ``vote_type`` (ballots with points are then read as scoring).
    meta:
        The file's ``META`` key/value pairs (``rule``, ``min_project_score_threshold``...).
    voter_columns:
        Names of the ``VOTES`` columns kept in :attr:`Ballot.extra`.

    Raises :class:`ValueError` when a ballot names an unknown project, repeats one, or its
    points do not match its projects.
    """

    def __init__(
        self,
        projects: Iterable[Project],
        ballots: Sequence[Ballot],
        budget: int | Fraction | str,
        vote_type: str = "approval",
        meta: Mapping[str, str] | None = None,
        voter_columns: Sequence[str] = (),
        *,
        validate: bool = True,
    ) -> None:
        self.projects: dict[str, Project] = {}
        for project in projects:
            if project.id in self.projects:
                raise ValueError(f"duplicate project id {project.id!r}")
            self.projects[project.id] = project
        self.ballots: Sequence[Ballot] = ballots
        self.budget: Fraction = to_fraction(budget)
        self.vote_type: str = vote_type
        self.meta: dict[str, str] = dict(meta or {})
        self.voter_columns: tuple[str, ...] = tuple(voter_columns)
        if validate:
            for number, ballot in enumerate(ballots, start=1):
                problem = self.ballot_problem(ballot)
                if problem:
                    raise ValueError(f"ballot {number} ({ballot.voter_id}): {problem}")

    # ------------------------------------------------------------------ helpers
    @property
    def uses_points(self) -> bool:
        """True when ballots carry points (cumulative, scoring or unknown with points)."""
        if self.vote_type in POINTS_TYPES:
            return True
        if self.vote_type in APPROVAL_TYPES or self.vote_type == "ordinal":
            return False
        return any(points is not None for points in self.ballot_columns()[1][:100])

    @property
    def is_ordinal(self) -> bool:
        """True for ranked ballots."""
        return self.vote_type == "ordinal"

    def ballot_problem(self, ballot: Ballot) -> str | None:
        """Say what is wrong with ``ballot`` for this election, or ``None``."""
        seen: set[str] = set()
        for pid in ballot.projects:
            if pid not in self.projects:
                return f"unknown project {pid!r}"
            if pid in seen:
                return f"project {pid!r} appears twice"
            seen.add(pid)
        if ballot.points is not None:
            if len(ballot.points) != len(ballot.projects):
                return f"{len(ballot.projects)} projects but {len(ballot.points)} points values"
            if any(p < 0 for p in ballot.points):
                return "negative points"
        return None

    def ballot_columns(self) -> tuple[list[tuple[str, ...]], list[tuple[Number, ...] | None]]:
        """Projects and points of every ballot (cheap for parsed files)."""
        if isinstance(self.ballots, LazyBallots):
            return self.ballots.columns()
        return [b.projects for b in self.ballots], [b.points for b in self.ballots]

    @cached_property
    def project_ids(self) -> list[str]:
        """Project ids in :attr:`projects` order (index ``i`` = project ``i`` in profiles)."""
        return list(self.projects)

    @cached_property
    def profile(self) -> Profile:
        """The ballots with identical ones collapsed (computed once)."""
        points_mode = self.uses_points
        ordered = self.is_ordinal
        # count identical raw ballots first (C-speed Counter), then put the few distinct
        # ones in canonical form (sets sorted, points paired) and merge
        raw: Counter[tuple[tuple[str, ...], tuple[Number, ...] | None]]
        all_projects, all_points = self.ballot_columns()
        if points_mode:
            raw = Counter(zip(all_projects, all_points, strict=True))
        else:
            raw = Counter(zip(all_projects, repeat(None)))
        counts: dict[tuple[tuple[str, ...], tuple[Number, ...] | None], int] = {}
        get = counts.get
        key: tuple[tuple[str, ...], tuple[Number, ...] | None]
        for (projects, points), weight in raw.items():
            if points_mode:
                pairs = sorted(zip(projects, points or (), strict=False))
                key = (tuple(p for p, _ in pairs), tuple(v for _, v in pairs))
            elif ordered:
                key = (projects, None)
            else:
                key = (tuple(sorted(projects)), None)
            counts[key] = get(key, 0) + weight
        lookup = {pid: i for i, pid in enumerate(self.project_ids)}.__getitem__
        distinct: list[tuple[tuple[int, Number], ...]] = []
        weights: list[int] = list(counts.values())
        if points_mode:
            for pids, points in counts:
                distinct.append(tuple(zip(map(lookup, pids), points or (), strict=True)))
        else:
            ones = repeat(1)
            distinct = [tuple(zip(map(lookup, pids), ones, strict=False)) for pids, _ in counts]
        return Profile(distinct, weights)

    @property
    def num_voters(self) -> int:
        """Number of ballots."""
        return len(self.ballots)

    def ballot_digest(self) -> str:
        """SHA-256 (hex) of the canonical ballot data (computed once).

        Canonical text (UTF-8, ``\\n`` line ends)::

            pbvote-ballots-v1
            budget <budget>
            vote_type <vote_type>
            project <id> <cost>          one line per project, sorted by id
            ballot <count> <ballot>      one line per distinct ballot, lines sorted

        A ballot is its project ids joined by ``,`` (sorted by id, except ordinal ballots,
        which keep their ranking); with points each id is followed by ``:<points>``. Numbers
        are exact (``12``, ``5/2``). Voter ids, demographic columns and the order of the
        ballots are left out, so anyone holding the anonymised ballots can recompute it.
        """
        cached: str | None = self.__dict__.get("_digest")
        if cached is not None:
            return cached
        ids = self.project_ids
        points_mode = self.uses_points
        lines = [
            "pbvote-ballots-v1",
            f"budget {self.budget}",
            f"vote_type {self.vote_type}",
        ]
        lines.extend(
            f"project {p.id} {p.cost}" for p in sorted(self.projects.values(), key=lambda p: p.id)
        )
        profile = self.profile
        body = []
        for entry, weight in zip(profile.ballots, profile.weights, strict=True):
            if points_mode:
                pairs = sorted((ids[j], v) for j, v in entry)
                text = ",".join(f"{pid}:{v}" for pid, v in pairs)
            elif self.is_ordinal:
                text = ",".join(ids[j] for j, _ in entry)
            else:
                text = ",".join(sorted(ids[j] for j, _ in entry))
            body.append(f"ballot {weight} {text}")
        body.sort()
        lines.extend(body)
        digest = hashlib.sha256(("\n".join(lines) + "\n").encode("utf-8")).hexdigest()
        self.__dict__["_digest"] = digest
        return digest

    def __repr__(self) -> str:
        return (
            f"Election({len(self.projects)} projects, {len(self.ballots)} ballots, "
            f"budget={self.budget}, vote_type={self.vote_type!r})"
        )
