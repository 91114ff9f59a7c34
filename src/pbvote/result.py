"""The public counting API: :func:`count` returns a traceable :class:`Result`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ._gc import gc_paused
from .explain import sentence
from .model import Election
from .rules import RULES, run_rule
from .rules.base import CountData, Decision

__all__ = ["Explanation", "Result", "count", "json_value"]

_MES_RULES = {
    "mes",
    "mes-card",
    "mes-points",
    "mes-inc",
    "mes-card-inc",
    "mes-add1",
    "mes-add1-comparison",
    "mes-comparison",
}


def json_value(value: Any) -> Any:
    """Make exact numbers JSON-friendly: whole numbers as ints, other fractions as
    ``"p/q"`` strings, money (``Decimal``) as strings."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, Fraction):
        return (
            value.numerator if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
        )
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, float):
        return value
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    return str(value)


@dataclass(frozen=True)
class Explanation:
    """Why one project was or was not funded.

    Attributes: ``project_id``, ``selected``, ``round`` (1-based funding order, ``None`` when
    not funded), ``phase`` (``main``, ``completion``, ``comparison``), ``reason`` (a code, see
    :class:`pbvote.rules.base.Decision`) and ``numbers`` (the exact figures behind it).
    """

    project_id: str
    selected: bool
    reason: str
    round: int | None
    phase: str
    numbers: dict[str, Any]
    currency: str = "EUR"
    score_unit: str = "votes"
    rule_family: str = "greedy"

    def sentence(self, lang: str = "lv") -> str:
        """A short sentence in ``lv`` or ``en``, e.g. "not funded: 8 120 € left when its turn
        came, it needed 14 900 €"."""
        family = self.rule_family
        if self.phase == "completion" and self.reason == "funded":
            family = "greedy"
        return sentence(
            self.reason, self.numbers, self.round, lang, self.currency, self.score_unit, family
        )

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON (sentences in both languages included)."""
        return {
            "project_id": self.project_id,
            "selected": self.selected,
            "round": self.round,
            "phase": self.phase,
            "reason": self.reason,
            "numbers": json_value(self.numbers),
            "sentence": {"lv": self.sentence("lv"), "en": self.sentence("en")},
        }


@dataclass(repr=False)
class Result:
    """The outcome of one count.

    ``winners`` are project ids in selection order; ``explanations[project_id]`` says why
    for every project.
    """

    rule: str
    parameters: dict[str, Any]
    winners: list[str]
    total_cost: Fraction
    budget: Fraction
    explanations: dict[str, Explanation]
    election: Election
    num_voters: int
    tie_break: str | list[str] = "id"
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def ballot_sha256(self) -> str:
        """SHA-256 of the canonical ballot data (see :meth:`Election.ballot_digest`)."""
        return self.election.ballot_digest()

    @property
    def budget_left(self) -> Fraction:
        """Budget minus the cost of the winners."""
        return self.budget - self.total_cost

    @property
    def winners_sorted(self) -> list[str]:
        """Winners sorted by id as a string (how pabutools lists Phragmén winners)."""
        return sorted(self.winners)

    def to_json(self) -> dict[str, Any]:
        """Traceable JSON: rule, parameters, winners in order, total cost, budget left,
        per-project details and the SHA-256 of the canonical ballot data."""
        return {
            "engine": "pbvote",
            "rule": self.rule,
            "parameters": json_value(self.parameters),
            "tie_break": self.tie_break,
            "budget": json_value(self.budget),
            "winners": list(self.winners),
            "winners_by_id": self.winners_sorted,
            "total_cost": json_value(self.total_cost),
            "budget_left": json_value(self.budget_left),
            "num_voters": self.num_voters,
            "ballots_sha256": self.ballot_sha256,
            "election": {
                k: self.meta[k]
                for k in (
                    "description",
                    "country",
                    "unit",
                    "instance",
                    "vote_type",
                    "rule",
                    "currency",
                )
                if k in self.meta
            },
            "projects": [e.as_dict() for e in self.explanations.values()],
        }


def count(
    election: Election,
    rule: str = "official",
    *,
    tie_break: str | Sequence[str] = "id",
    threshold: int | Fraction | None = None,
    exact: bool | None = None,
    currency: str | None = None,
    data: CountData | None = None,
) -> Result:
    """Count ``election`` with ``rule`` (a name from :data:`pbvote.rules.RULES`).

    Parameters
    ----------
    election:
        The election to count.
    rule:
        Rule name; ``official`` applies the rule in the election's META ``rule``.
    tie_break:
        Order that settles exact ties (see :data:`pbvote.rules.base.TIE_BREAKS`; default:
        project id as a string, like pabutools) or an explicit list of project ids.
    threshold:
        For ``greedy-threshold``: minimum score to be eligible (default: META
        ``min_project_score_threshold``).
    exact:
        ``True`` forces rational arithmetic in MES; default certified floats with exact
        fallback (same results, faster).
    currency:
        Currency code for sentences (default: META ``currency``, else EUR).
    data:
        Pre-built :class:`CountData` to reuse between rules (must match ``tie_break``).

    Raises :class:`ValueError` for an unknown rule or tie-break order.
    """
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}; known rules: {', '.join(RULES)}")
    with gc_paused():
        return _count(election, rule, tie_break, threshold, exact, currency, data)


def _count(
    election: Election,
    rule: str,
    tie_break: str | Sequence[str],
    threshold: int | Fraction | None,
    exact: bool | None,
    currency: str | None,
    data: CountData | None,
) -> Result:
    if data is None:
        data = CountData(election, tie_break)
    params: dict[str, Any] = {"exact": exact}
    if threshold is not None:
        params["threshold"] = threshold
    outcome = run_rule(data, rule, params)
    applied = str(outcome.parameters.get("applied_rule", rule))
    family = (
        "mes"
        if applied in _MES_RULES
        else ("phragmen" if applied.startswith("phragmen") else "greedy")
    )
    unit = str(outcome.parameters.get("score", "votes"))
    money = currency or election.meta.get("currency", "EUR") or "EUR"
    explanations: dict[str, Explanation] = {}
    for j, pid in enumerate(data.ids):
        decision = outcome.decisions.get(j) or Decision(pid, j in outcome.winners, "no-money")
        explanations[pid] = Explanation(
            pid,
            decision.selected,
            decision.reason,
            decision.round,
            decision.phase,
            decision.numbers,
            money,
            unit,
            family,
        )
    winners = [data.ids[j] for j in outcome.winners]
    total = sum((data.costs[j] for j in outcome.winners), Fraction(0))
    return Result(
        rule=rule,
        parameters=dict(outcome.parameters),
        winners=winners,
        total_cost=total,
        budget=data.budget,
        explanations=explanations,
        election=election,
        num_voters=data.n_voters,
        tie_break=tie_break if isinstance(tie_break, str) else list(tie_break),
        meta=dict(election.meta, vote_type=election.vote_type),
    )
