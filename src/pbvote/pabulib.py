"""Read and write Pabulib ``.pb`` files (https://pabulib.org/format).

A file has three sections, ``META``, ``PROJECTS`` and ``VOTES``, each a header line and
``;``-separated rows (CSV quoting allowed). Both CRLF and LF line ends are read, a UTF-8 BOM is
skipped, empty lines are ignored and the value ``none`` (any case) means "missing", exactly as
pabutools reads them. A file that cannot be read raises :class:`PabulibError` naming the line.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction
from itertools import islice, repeat
from operator import itemgetter
from pathlib import Path
from typing import IO, NamedTuple

from ._gc import gc_paused
from .model import (
    APPROVAL_TYPES,
    POINTS_TYPES,
    Ballot,
    Election,
    LazyBallots,
    Number,
    Project,
    to_fraction,
)

__all__ = [
    "PabulibError",
    "format_number",
    "pabulib_text",
    "parse_pabulib",
    "parse_pabulib_text",
    "write_pabulib",
]

_SECTIONS = ("meta", "projects", "votes")


class PabulibError(ValueError):
    """A Pabulib file could not be read.

    Attributes
    ----------
    line:
        1-based line number of the problem (0 when it concerns the whole file).
    problem:
        What is wrong, in plain words.
    """

    def __init__(self, line: int, problem: str, source: str = "") -> None:
        self.line = line
        self.problem = problem
        self.source = source
        where = f"{source}:" if source else "line "
        super().__init__(f"{where}{line}: {problem}" if line else f"{source or 'file'}: {problem}")


def _split(line: str) -> list[str]:
    if '"' in line:
        return next(csv.reader([line], delimiter=";"))
    return line.split(";")


def _is_missing(value: str) -> bool:
    return value.lower() == "none"


def _points(text: str) -> Number:
    try:
        return int(text)
    except ValueError:
        value = to_fraction(text)
        return value.numerator if value.denominator == 1 else value


class _VoteLayout(NamedTuple):
    width: int
    vote: int
    points: int
    voter: int
    extra: list[int]
    points_mode: bool


def _section_end(lines: list[str], start: int) -> int:
    """Index of the next section header line at or after ``start`` (or ``len(lines)``)."""
    for index in range(start, len(lines)):
        line = lines[index]
        if line[:1] in "MPVmpv ﻿" and line.strip().strip(";").strip().lower() in _SECTIONS:
            return index
    return len(lines)


def _read_votes_fast(
    lines: list[str],
    start: int,
    end: int,
    layout: _VoteLayout,
    project_ids: set[str],
) -> LazyBallots | None:
    """Read well-formed VOTES rows ``lines[start:end]`` column by column.

    Only the ``vote`` (and ``points``) columns are cut out now; voter ids and other columns
    are taken from the kept lines when the ballots are first looked at. Returns None when
    anything looks unusual (quotes, rows with another number of cells, unknown ids, points
    that are not whole numbers...): the careful line-by-line reader then reports the exact
    line and problem.
    """
    body = lines[start:end]
    width, vote_col, points_col, voter_col, extra_cols, points_mode = layout
    if not body:
        return LazyBallots([], [], [], voter_col, extra_cols)
    if '"' in "".join(body):
        return None
    separators = list(map(str.count, body, repeat(";")))
    if min(separators) != width - 1 or max(separators) != width - 1:
        return None
    cut = max(vote_col, points_col) + 1
    rows = [line.split(";", cut) for line in body]
    votes = list(map(itemgetter(vote_col), rows))
    pids = [tuple(v.split(",")) if v else () for v in votes]
    seen: set[str] = set().union(*pids)
    if not seen <= project_ids:
        return None
    lengths = list(map(len, pids))
    if lengths != list(map(len, map(set, pids))):
        return None  # a project repeated in a vote
    points: list[tuple[Number, ...] | None]
    if points_mode:
        texts = list(map(itemgetter(points_col), rows))
        counts = [text.count(",") + 1 if text else 0 for text in texts]
        if counts != lengths:
            return None
        try:  # all numbers at once, then cut back into ballots
            joined = ",".join(filter(None, texts))
            values = list(map(int, joined.split(","))) if joined else []
        except ValueError:
            return None
        if values and min(values) < 0:
            return None
        flow = iter(values)
        points = [tuple(islice(flow, n)) for n in lengths]
    else:
        points = [None] * len(rows)
    return LazyBallots(pids, points, body, voter_col, extra_cols)


def _read_votes(
    lines: list[str],
    start: int,
    layout: _VoteLayout,
    project_ids: set[str],
    ballots: list[Ballot],
    source: str,
) -> int:
    """Read VOTES rows from ``lines[start]`` up to the next section; return the next index."""
    width, vote_col, points_col, voter_col, extra_cols, points_mode = layout
    append = ballots.append
    extra_get: Callable[[list[str]], tuple[str, ...]] | None = None
    if len(extra_cols) > 1:
        extra_get = itemgetter(*extra_cols)
    elif len(extra_cols) == 1:
        only = extra_cols[0]

        def extra_get(row: list[str]) -> tuple[str, ...]:
            return (row[only],)
    else:

        def extra_get(row: list[str]) -> tuple[str, ...]:
            return ()

    known = project_ids.issuperset
    n = len(lines)
    i = start
    while i < n:
        line = lines[i]
        i += 1
        row = next(csv.reader([line], delimiter=";")) if '"' in line else line.split(";")
        if len(row) > width:
            if not line.strip():
                continue
            raise PabulibError(i, f"{len(row)} values but the VOTES header has {width}", source)
        if len(row) < 2:
            if not line.strip():
                continue
            head = row[0].strip().lower()
            if head in _SECTIONS:
                return i - 1
        vote_text = row[vote_col] if vote_col < len(row) else ""
        pids = tuple(vote_text.split(",")) if vote_text else ()
        if not known(pids):
            pids = tuple(p.strip() for p in pids if p.strip())
            if len(pids) == 1 and pids[0].lower() == "none":
                pids = ()
            for pid in pids:
                if pid not in project_ids:
                    raise PabulibError(i, f"vote for unknown project {pid!r}", source)
        if len(pids) > 1 and len(set(pids)) != len(pids):
            raise PabulibError(i, "a project appears twice in the vote", source)
        points: tuple[Number, ...] | None = None
        if points_mode:
            ptext = row[points_col].strip() if 0 <= points_col < len(row) else ""
            if _is_missing(ptext):
                ptext = ""
            values = ptext.split(",") if ptext else []
            if len(values) != len(pids):
                raise PabulibError(
                    i, f"{len(pids)} projects in the vote but {len(values)} points", source
                )
            try:
                points = tuple(_points(v.strip()) for v in values)
            except (ValueError, ZeroDivisionError):
                raise PabulibError(i, f"points {ptext!r} are not numbers", source) from None
            if any(v < 0 for v in points):
                raise PabulibError(i, "negative points", source)
        voter_id = row[voter_col].strip() if 0 <= voter_col < len(row) else ""
        if len(row) == width and extra_get is not None:
            extra = extra_get(row)
        else:
            extra = tuple(row[k] if k < len(row) else "" for k in extra_cols)
        append(Ballot(pids, points, voter_id, extra))
    return i


def parse_pabulib_text(text: str, source: str = "") -> Election:
    """Parse the text of a Pabulib file into an :class:`~pbvote.model.Election`.

    ``source`` (a file name) is only used in error messages. Raises :class:`PabulibError`
    (with the line number) for a missing section, a missing or non-numeric budget or cost, a
    duplicate project, a vote naming an unknown project or repeating one, points that do not
    match the projects, or a row with more cells than its header.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.splitlines()
    meta: dict[str, str] = {}
    projects: list[Project] = []
    project_ids: set[str] = set()
    ballots: list[Ballot] = []
    lazy: LazyBallots | None = None
    section = ""
    header: list[str] = []
    seen_sections: set[str] = set()
    vote_col = points_col = voter_col = -1
    extra_cols: list[int] = []
    voter_columns: list[str] = []
    vote_type = ""
    points_mode = False
    n = len(lines)
    i = 0
    while i < n:
        line = lines[i]
        i += 1
        if not line.strip():
            continue
        row = _split(line)
        head = row[0].strip().lower()
        if head in _SECTIONS and (len(row) == 1 or not any(c.strip() for c in row[1:])):
            section = head
            if section in seen_sections:
                raise PabulibError(i, f"section {head.upper()} appears twice", source)
            seen_sections.add(section)
            while i < n and not lines[i].strip():
                i += 1
            if i >= n:
                raise PabulibError(i, f"section {head.upper()} has no header line", source)
            header = [h.strip() for h in _split(lines[i])]
            i += 1
            if section == "projects":
                if "project_id" not in header or "cost" not in header:
                    raise PabulibError(
                        i, "PROJECTS header needs the columns project_id and cost", source
                    )
            elif section == "votes":
                if "meta" not in seen_sections:
                    raise PabulibError(i, "VOTES section before META", source)
                if "vote" not in header:
                    raise PabulibError(i, "VOTES header needs the column vote", source)
                vote_type = meta.get("vote_type", "").strip()
                points_mode = vote_type in POINTS_TYPES or (
                    vote_type not in APPROVAL_TYPES
                    and vote_type != "ordinal"
                    and "points" in header
                )
                vote_col = header.index("vote")
                points_col = header.index("points") if "points" in header else -1
                voter_col = header.index("voter_id") if "voter_id" in header else -1
                extra_cols = [
                    k for k, h in enumerate(header) if h not in ("vote", "points", "voter_id")
                ]
                voter_columns = [header[k] for k in extra_cols]
                if points_mode and points_col < 0:
                    raise PabulibError(
                        i, f"vote_type {vote_type} needs a points column in VOTES", source
                    )
            continue
        if not section:
            raise PabulibError(i, "data before the first section (META, PROJECTS, VOTES)", source)
        if len(row) > len(header):
            raise PabulibError(
                i, f"{len(row)} values but the {section.upper()} header has {len(header)}", source
            )
        if section == "meta":
            if len(row) < 2:
                raise PabulibError(i, "META line needs a key and a value", source)
            meta[row[0].strip()] = row[1].strip()
        elif section == "projects":
            fields: dict[str, str] = {}
            for key, value in zip(header, row, strict=False):
                value = value.strip()
                if not _is_missing(value):
                    fields[key] = value
            pid = fields.pop("project_id", "")
            if not pid:
                raise PabulibError(i, "project without project_id", source)
            if pid in project_ids:
                raise PabulibError(i, f"project {pid!r} listed twice", source)
            cost_text = fields.get("cost", "")
            try:
                cost = to_fraction(cost_text)
            except (ValueError, ZeroDivisionError):
                raise PabulibError(
                    i, f"project {pid}: cost {cost_text!r} is not a number", source
                ) from None
            if cost < 0:
                raise PabulibError(i, f"project {pid}: negative cost {cost_text}", source)
            project_ids.add(pid)
            projects.append(Project(pid, cost, fields.get("name", ""), fields))
        else:
            if "projects" not in seen_sections:
                raise PabulibError(i, "VOTES before PROJECTS", source)
            layout = _VoteLayout(
                len(header), vote_col, points_col, voter_col, extra_cols, points_mode
            )
            end = _section_end(lines, i - 1)
            fast = _read_votes_fast(lines, i - 1, end, layout, project_ids)
            if fast is None:
                _read_votes(lines, i - 1, layout, project_ids, ballots, source)
            else:
                lazy = fast
            i = end
    for name in _SECTIONS:
        if name not in seen_sections:
            raise PabulibError(0, f"section {name.upper()} is missing", source)
    if "budget" not in meta:
        raise PabulibError(0, "META has no budget", source)
    if not meta.get("vote_type"):
        raise PabulibError(0, "META has no vote_type", source)
    try:
        budget = to_fraction(meta["budget"])
    except (ValueError, ZeroDivisionError):
        raise PabulibError(0, f"budget {meta['budget']!r} is not a number", source) from None
    votes: Sequence[Ballot] = lazy if lazy is not None else ballots
    return Election(projects, votes, budget, vote_type, meta, voter_columns, validate=False)


def parse_pabulib(path: str | os.PathLike[str]) -> Election:
    """Read a Pabulib file from ``path`` (UTF-8). See :func:`parse_pabulib_text`.

    Raises :class:`PabulibError` for unreadable content and :class:`OSError` when the file
    cannot be opened.
    """
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PabulibError(line, "the file is not UTF-8 text", os.fspath(path)) from exc
    with gc_paused():
        return parse_pabulib_text(text, os.fspath(path))


def format_number(value: int | Fraction) -> str:
    """Write an exact number as Pabulib text: ``12``, ``12.5`` or ``1/3`` (never a float)."""
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    den = value.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        return f"{value.numerator}/{value.denominator}"
    digits = max(twos, fives)
    scaled = value * 10**digits
    sign = "-" if scaled < 0 else ""
    whole, frac = divmod(abs(scaled.numerator), 10**digits)
    return f"{sign}{whole}.{frac:0{digits}d}"


def _same_number(text: str, value: Fraction) -> bool:
    """True when ``text`` (as found in the file) spells exactly ``value``."""
    try:
        return bool(text) and to_fraction(text) == value
    except (ValueError, ZeroDivisionError):
        return False


def _clean(value: str) -> str:
    return " ".join(value.splitlines()) if ("\n" in value or "\r" in value) else value


def _rows(election: Election) -> Iterable[list[str]]:
    meta = dict(election.meta)
    meta["num_projects"] = str(len(election.projects))
    meta["num_votes"] = str(len(election.ballots))
    if not _same_number(meta.get("budget", ""), election.budget):
        meta["budget"] = format_number(election.budget)
    meta["vote_type"] = election.vote_type
    yield ["META"]
    yield ["key", "value"]
    for key, value in meta.items():
        yield [key, _clean(value)]
    columns = ["project_id", "cost"]
    if any(p.name for p in election.projects.values()):
        columns.append("name")
    for project in election.projects.values():
        for key in project.fields:
            if key not in columns and key != "cost":
                columns.append(key)
    yield ["PROJECTS"]
    yield columns
    for project in election.projects.values():
        cost_text = project.fields.get("cost", "")
        if not _same_number(cost_text, project.cost):
            cost_text = format_number(project.cost)
        row = [project.id, cost_text]
        for key in columns[2:]:
            if key == "name" and "name" not in project.fields:
                row.append(_clean(project.name))
            else:
                row.append(_clean(project.fields.get(key, "None")))
        yield row
    with_points = election.uses_points
    vote_cols = ["voter_id", "vote"] + (["points"] if with_points else [])
    yield ["VOTES"]
    yield vote_cols + list(election.voter_columns)
    used: set[str] = set()
    for number, ballot in enumerate(election.ballots, start=1):
        voter_id = ballot.voter_id or str(number)
        while voter_id in used:
            voter_id = f"{voter_id}_"
        used.add(voter_id)
        row = [voter_id, ",".join(ballot.projects)]
        if with_points:
            # pabutools reads an empty ballot only with points "None"
            points = ",".join(format_number(v) for v in (ballot.points or ()))
            row.append(points or "None")
        row.extend(_clean(v) for v in ballot.extra)
        yield row


def pabulib_text(election: Election) -> str:
    """Return ``election`` as Pabulib text (LF line ends) that pabutools reads back identically.

    ``num_projects``, ``num_votes``, ``budget`` and ``vote_type`` in META are set from the
    election; other META keys, project columns and voter columns are kept. Missing values are
    written as ``None``; line breaks inside values become spaces.
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(_rows(election))
    return out.getvalue()


def write_pabulib(election: Election, target: str | os.PathLike[str] | IO[str]) -> None:
    """Write ``election`` as a Pabulib file to a path or an open text stream (UTF-8)."""
    text = pabulib_text(election)
    if isinstance(target, (str, os.PathLike)):
        Path(target).write_text(text, encoding="utf-8")
    else:
        target.write(text)
