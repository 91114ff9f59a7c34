"""The counting rules, by name. See the package README for the pabutools equivalents."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..model import Number, to_fraction
from .base import CountData, Decision, RuleOutcome
from .greedy import greedy_by_score, greedy_welfare
from .mes import mes, mes_increment
from .phragmen import phragmen

__all__ = ["OFFICIAL_RULES", "RULES", "Rule", "city_scores", "run_rule"]

RuleFunc = Callable[[CountData, dict[str, Any]], RuleOutcome]


@dataclass(frozen=True)
class Rule:
    """A named rule: what it does and the pabutools call it reproduces."""

    name: str
    summary: str
    pabutools: str
    expected_suffix: str
    func: RuleFunc


def city_scores(data: CountData) -> tuple[list[Number], str]:
    """The score cities rank by: votes (approval), points (cumulative/scoring) or the ordinal
    score (3/2/1... by rank, from the longest allowed ballot). Returns (scores, unit name)."""
    election = data.election
    if election.uses_points:
        return list(data.points), "points"
    if election.is_ordinal:
        base = election.meta.get("max_length")
        ordinal: list[Number] = list(
            data.positional_scores(int(base) if base and base.isdigit() else None)
        )
        return ordinal, "score"
    votes: list[Number] = list(data.votes)
    return votes, "votes"


def _threshold(data: CountData, params: dict[str, Any]) -> Fraction | None:
    value = params.get("threshold", data.election.meta.get("min_project_score_threshold"))
    if value is None or value == "":
        return None
    return to_fraction(str(value))


def _greedy(skip: bool, use_threshold: bool) -> RuleFunc:
    def run(data: CountData, params: dict[str, Any]) -> RuleOutcome:
        scores, unit = city_scores(data)
        threshold = _threshold(data, params) if use_threshold else None
        outcome = greedy_by_score(data, scores, skip=skip, threshold=threshold)
        outcome.parameters = {"score": unit}
        if threshold is not None:
            outcome.parameters["threshold"] = threshold
        return outcome

    return run


def _welfare(sat: str) -> RuleFunc:
    def run(data: CountData, params: dict[str, Any]) -> RuleOutcome:
        outcome = greedy_welfare(data, sat)
        outcome.parameters = {"satisfaction": sat}
        return outcome

    return run


def _mes(sat: str, increment: bool) -> RuleFunc:
    def run(data: CountData, params: dict[str, Any]) -> RuleOutcome:
        func = mes_increment if increment else mes
        return func(data, sat, exact=params.get("exact"))

    return run


def _mes_add1(data: CountData, params: dict[str, Any]) -> RuleOutcome:
    first = mes_increment(data, "cost", exact=params.get("exact"))
    completion = greedy_welfare(data, "cost", initial=first.winners, phase="completion")
    decisions = dict(first.decisions)
    for j, decision in completion.decisions.items():
        if decision.selected or j not in decisions:
            decisions[j] = decision
    first.parameters["completion"] = "greedy (cost satisfaction = most votes first)"
    return RuleOutcome(completion.winners, decisions, first.parameters)


def _compare(data: CountData, mes_outcome: RuleOutcome) -> RuleOutcome:
    """Pabulib's comparison step: greedy by votes vs. the MES outcome; each voter prefers the
    outcome funding more of the projects on their ballot; greedy is used only when strictly
    more voters prefer it."""
    greedy = greedy_by_score(data, list(data.votes), skip=True)
    funded_mes = data.hits(mes_outcome.winners)
    funded_greedy = data.hits(greedy.winners)
    weights = data.iweights
    prefer_mes = int(weights[funded_mes > funded_greedy].sum())
    prefer_greedy = int(weights[funded_greedy > funded_mes].sum())
    chosen = greedy if prefer_greedy > prefer_mes else mes_outcome
    other = mes_outcome if chosen is greedy else greedy
    decisions = dict(chosen.decisions)
    for j in range(data.m):
        if j in other.winners and j not in chosen.winners:
            decisions[j] = Decision(
                data.ids[j],
                False,
                "replaced",
                None,
                "comparison",
                {
                    "cost": data.costs[j],
                    "prefer_mes": prefer_mes,
                    "prefer_greedy": prefer_greedy,
                    "chosen": "greedy" if chosen is greedy else "mes",
                },
            )
    params = dict(mes_outcome.parameters)
    params.update(
        {
            "comparison_prefer_mes": prefer_mes,
            "comparison_prefer_greedy": prefer_greedy,
            "comparison_chosen": "greedy" if chosen is greedy else "mes",
        }
    )
    return RuleOutcome(chosen.winners, decisions, params)


def _mes_add1_city(data: CountData, params: dict[str, Any]) -> RuleOutcome:
    return mes_increment(data, "cost", exact=params.get("exact"), until="overspend")


def _mes_add1_comparison(data: CountData, params: dict[str, Any]) -> RuleOutcome:
    return _compare(data, _mes_add1_city(data, params))


def _mes_comparison(data: CountData, params: dict[str, Any]) -> RuleOutcome:
    return _compare(data, mes(data, "cost", exact=params.get("exact")))


def _phragmen(skip: bool) -> RuleFunc:
    def run(data: CountData, params: dict[str, Any]) -> RuleOutcome:
        outcome = phragmen(data, skip=skip)
        outcome.parameters = {"skip": skip}
        return outcome

    return run


#: Pabulib META ``rule`` → pbvote rule used by ``official``.
OFFICIAL_RULES = {
    "greedy": "greedy",
    "greedy-no-skip": "greedy-no-skip",
    "greedy-threshold": "greedy-threshold",
    "greedy-exclusive": "greedy",
    "greedy-custom": "greedy",
    "unknown": "greedy",
    "equalshares": "mes",
    "equalshares-comparison": "mes-comparison",
    "equalshares/add1": "mes-add1-city",
    "equalshares/add1-comparison": "mes-add1-comparison",
}


def _official(data: CountData, params: dict[str, Any]) -> RuleOutcome:
    meta_rule = data.election.meta.get("rule", "").strip()
    name = OFFICIAL_RULES.get(meta_rule, "greedy")
    outcome = RULES[name].func(data, params)
    outcome.parameters = {"meta_rule": meta_rule, "applied_rule": name, **outcome.parameters}
    return outcome


_RULE_LIST = [
    Rule(
        "greedy",
        "rank by votes (approval), points (cumulative) or score (ordinal); fund "
        "each project that still fits",
        "greedy_utilitarian_welfare(sat_class=Cost_Sat) on approval files",
        "greedy_cost",
        _greedy(True, False),
    ),
    Rule(
        "greedy-no-skip",
        "as greedy, but stop at the first project that does not fit",
        "-",
        "",
        _greedy(False, False),
    ),
    Rule(
        "greedy-threshold",
        "as greedy; projects below META min_project_score_threshold cannot win",
        "-",
        "",
        _greedy(True, True),
    ),
    Rule(
        "greedy-cost",
        "utilitarian greedy, cost satisfaction (= most supporters first)",
        "greedy_utilitarian_welfare(sat_class=Cost_Sat)",
        "greedy_cost",
        _welfare("cost"),
    ),
    Rule(
        "greedy-card",
        "utilitarian greedy, supporters per unit of cost",
        "greedy_utilitarian_welfare(sat_class=Cardinality_Sat)",
        "greedy_card",
        _welfare("card"),
    ),
    Rule(
        "greedy-points",
        "utilitarian greedy, points per unit of cost",
        "greedy_utilitarian_welfare(sat_class=Additive_Cardinal_Sat)",
        "greedy_points",
        _welfare("points"),
    ),
    Rule(
        "greedy-borda",
        "utilitarian greedy, Borda score per unit of cost (ordinal)",
        "greedy_utilitarian_welfare(sat_class=Additive_Borda_Sat, is_sat_additive=True)",
        "greedy_borda",
        _welfare("borda"),
    ),
    Rule(
        "mes",
        "Method of Equal Shares, cost satisfaction",
        "method_of_equal_shares(sat_class=Cost_Sat)",
        "mes_cost",
        _mes("cost", False),
    ),
    Rule(
        "mes-card",
        "Method of Equal Shares, cardinality satisfaction",
        "method_of_equal_shares(sat_class=Cardinality_Sat)",
        "mes_card",
        _mes("card", False),
    ),
    Rule(
        "mes-points",
        "Method of Equal Shares, points satisfaction (cumulative/scoring)",
        "method_of_equal_shares(sat_class=Additive_Cardinal_Sat)",
        "mes_points",
        _mes("points", False),
    ),
    Rule(
        "mes-inc",
        "MES (cost) with the add1 phase only: shares +1 until exhaustive",
        "method_of_equal_shares(sat_class=Cost_Sat, voter_budget_increment=1)",
        "mes_cost_inc",
        _mes("cost", True),
    ),
    Rule(
        "mes-card-inc",
        "MES (cardinality) with the add1 phase only",
        "method_of_equal_shares(sat_class=Cardinality_Sat, voter_budget_increment=1)",
        "mes_card_inc",
        _mes("card", True),
    ),
    Rule(
        "mes-add1",
        "MES (cost) + add1, then greedy completion by votes",
        "method_of_equal_shares(Cost_Sat, voter_budget_increment=1) then "
        "greedy_utilitarian_welfare(Cost_Sat, initial_budget_allocation=...)",
        "mes_cost_inc_greedy",
        _mes_add1,
    ),
    Rule(
        "mes-add1-city",
        "equalshares/add1 as cities ran it (equalshares.net, Pabulib checker): MES (cost), "
        "shares +1 while the outcome stays within budget, no completion",
        "-",
        "",
        _mes_add1_city,
    ),
    Rule(
        "mes-add1-comparison",
        "Pabulib's equalshares/add1-comparison: mes-add1-city, compared "
        "with greedy by votes; greedy wins if strictly more voters fund more of their "
        "projects with it",
        "-",
        "",
        _mes_add1_comparison,
    ),
    Rule(
        "mes-comparison",
        "Pabulib's equalshares-comparison: mes compared with greedy",
        "-",
        "",
        _mes_comparison,
    ),
    Rule(
        "phragmen",
        "sequential Phragmén; stops at the first project that does not fit",
        "sequential_phragmen(instance, profile)",
        "phragmen",
        _phragmen(False),
    ),
    Rule(
        "phragmen-skip",
        "sequential Phragmén; skips projects that do not fit",
        "-",
        "",
        _phragmen(True),
    ),
    Rule(
        "official",
        "the rule the file's META rule names, as the city applied it",
        "-",
        "",
        _official,
    ),
]

RULES: dict[str, Rule] = {rule.name: rule for rule in _RULE_LIST}


def run_rule(data: CountData, rule: str, params: dict[str, Any] | None = None) -> RuleOutcome:
    """Run ``rule`` (a name from :data:`RULES`) on ``data``. Raises :class:`ValueError` for an
    unknown rule."""
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}; known rules: {', '.join(RULES)}")
    return RULES[rule].func(data, dict(params or {}))
