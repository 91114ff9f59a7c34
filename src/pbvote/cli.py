"""Command line: ``pbvote tally|compare|validate FILE.pb``.

Exit codes: 0 success, 1 the file is invalid (``validate``), 2 the file cannot be read or the
command line is wrong.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from fractions import Fraction

from .explain import format_money
from .model import Election
from .pabulib import PabulibError, parse_pabulib
from .result import count
from .rules import RULES
from .rules.base import TIE_BREAKS, CountData

__all__ = ["main"]

#: rules shown by ``compare`` (the rest are variants of these)
COMPARE_RULES = (
    "official",
    "greedy",
    "greedy-card",
    "mes",
    "mes-card",
    "mes-add1",
    "mes-add1-city",
    "phragmen",
)


def _load(path: str) -> Election:
    try:
        return parse_pabulib(path)
    except PabulibError as exc:
        print(f"pbvote: invalid Pabulib file: {exc}", file=sys.stderr)
        raise SystemExit(2) from exc
    except OSError as exc:
        print(f"pbvote: cannot read {path}: {exc.strerror or exc}", file=sys.stderr)
        raise SystemExit(2) from exc


def _check_ballots(election: Election) -> list[str]:
    problems = []
    for number, ballot in enumerate(election.ballots, start=1):
        problem = election.ballot_problem(ballot)
        if problem:
            problems.append(f"ballot {number} (voter {ballot.voter_id}): {problem}")
    return problems


def _tie_break(value: str) -> str | list[str]:
    return value.split(",") if "," in value else value


def _tally(args: argparse.Namespace) -> int:
    election = _load(args.file)
    try:
        result = count(election, args.rule, tie_break=_tie_break(args.tie_break))
    except ValueError as exc:
        print(f"pbvote: {exc}", file=sys.stderr)
        return 2
    if args.json:
        json.dump(result.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    currency = election.meta.get("currency", "EUR")
    lang = args.lang
    print(f"{args.file}: rule {args.rule}, {len(result.winners)} winners")
    for pid in result.winners:
        explanation = result.explanations[pid]
        print(f"  {pid}\t{explanation.sentence(lang)}")
    print(
        f"total cost {format_money(result.total_cost, lang, currency)}, "
        f"left {format_money(result.budget_left, lang, currency)} "
        f"of {format_money(result.budget, lang, currency)}"
    )
    if args.explain:
        for pid, explanation in result.explanations.items():
            if not explanation.selected:
                print(f"  {pid}\t{explanation.sentence(lang)}")
    return 0


def _compare(args: argparse.Namespace) -> int:
    election = _load(args.file)
    data = CountData(election, _tie_break(args.tie_break))
    rules = args.rules.split(",") if args.rules else list(COMPARE_RULES)
    currency = election.meta.get("currency", "EUR")
    rows = []
    for rule in rules:
        if rule not in RULES:
            print(f"pbvote: unknown rule {rule!r}", file=sys.stderr)
            return 2
        start = time.perf_counter()
        result = count(election, rule, data=data)
        seconds = time.perf_counter() - start
        index = {pid: j for j, pid in enumerate(data.ids)}
        covered = int(data.iweights[data.hits(index[pid] for pid in result.winners) > 0].sum())
        share = Fraction(covered, data.n_voters) if data.n_voters else Fraction(0)
        rows.append((rule, result, share, seconds))
    if args.json:
        out = {
            rule: {
                "winners": result.winners,
                "total_cost": str(result.total_cost),
                "voters_with_a_funded_project": float(share),
                "seconds": round(seconds, 4),
            }
            for rule, result, share, seconds in rows
        }
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    print(
        f"{args.file}: {len(data.ids)} projects, {data.n_voters} voters, budget "
        f"{format_money(data.budget, 'en', currency)}"
    )
    print(f"{'rule':22s} {'winners':>7s} {'total cost':>16s} {'voters w/ funded':>16s}  ids")
    for rule, result, share, _ in rows:
        ids = ",".join(result.winners)
        print(
            f"{rule:22s} {len(result.winners):7d} "
            f"{format_money(result.total_cost, 'en', currency):>16s} "
            f"{float(share):15.1%}  {ids}"
        )
    return 0


def _validate(args: argparse.Namespace) -> int:
    election = _load(args.file)
    errors = _check_ballots(election)
    warnings = []
    meta = election.meta
    if meta.get("num_projects", "").isdigit() and int(meta["num_projects"]) != len(
        election.projects
    ):
        warnings.append(
            f"META num_projects is {meta['num_projects']} but there are "
            f"{len(election.projects)} projects"
        )
    if meta.get("num_votes", "").isdigit() and int(meta["num_votes"]) != len(election.ballots):
        warnings.append(
            f"META num_votes is {meta['num_votes']} but there are {len(election.ballots)} votes"
        )
    data = CountData(election)
    for j, pid in enumerate(data.ids):
        listed = election.projects[pid].fields.get("votes")
        if listed and listed.isdigit() and int(listed) != data.votes[j]:
            warnings.append(
                f"project {pid}: votes column says {listed}, ballots give {data.votes[j]}"
            )
    for j, pid in enumerate(data.ids):
        if data.costs[j] > data.budget:
            warnings.append(f"project {pid} costs more than the whole budget")
    for key in ("min_length", "max_length"):
        value = meta.get(key, "")
        if value.isdigit():
            limit = int(value)
            bad = sum(
                1
                for b in election.ballots
                if (len(b.projects) < limit if key == "min_length" else len(b.projects) > limit)
            )
            if bad:
                warnings.append(f"{bad} ballots break {key} {limit}")
    for line in errors:
        print(f"error: {line}")
    for line in warnings:
        print(f"warning: {line}")
    status = "invalid" if errors else "valid"
    print(
        f"{args.file}: {status}: {len(election.projects)} projects, {len(election.ballots)} "
        f"votes, vote_type {election.vote_type}, {len(errors)} errors, "
        f"{len(warnings)} warnings"
    )
    return 1 if errors else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pbvote", description="Count participatory-budget elections (Pabulib files)."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    tie_help = f"tie-break order: {', '.join(TIE_BREAKS)} or comma-separated project ids"

    tally = sub.add_parser("tally", help="count one file with one rule")
    tally.add_argument("file")
    tally.add_argument("--rule", default="official", choices=list(RULES))
    tally.add_argument("--json", action="store_true", help="print the traceable JSON result")
    tally.add_argument("--lang", default="en", choices=["lv", "en"])
    tally.add_argument("--explain", action="store_true", help="also explain unfunded projects")
    tally.add_argument("--tie-break", default="id", help=tie_help)
    tally.set_defaults(func=_tally)

    compare = sub.add_parser("compare", help="all rules side by side")
    compare.add_argument("file")
    compare.add_argument("--rules", help="comma-separated rules (default: the main ones)")
    compare.add_argument("--json", action="store_true")
    compare.add_argument("--tie-break", default="id", help=tie_help)
    compare.set_defaults(func=_compare)

    validate = sub.add_parser("validate", help="check a file")
    validate.add_argument("file")
    validate.set_defaults(func=_validate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``pbvote`` command line; returns the exit code."""
    args = _parser().parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
