"""Explanations: structured facts and short sentences in Latvian and English."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction

import pytest

import pbvote
from pbvote.explain import NBSP, format_count, format_money


@pytest.mark.parametrize(
    ("value", "lang", "text"),
    [
        (8120, "lv", f"8{NBSP}120{NBSP}€"),
        (Decimal("11.36"), "lv", f"11,36{NBSP}€"),
        (Fraction(18493753, 100), "lv", f"184{NBSP}937,53{NBSP}€"),
        (8120, "en", "€8,120"),
        (Decimal("11.36"), "en", "€11.36"),
        (0.005, "en", "€0.01"),
    ],
)
def test_money_format(value: object, lang: str, text: str) -> None:
    assert format_money(value, lang) == text


def test_count_format_and_other_currency() -> None:
    assert format_count(1312, "lv") == f"1{NBSP}312"
    assert format_count(1312, "en") == "1,312"
    assert format_money(1500, "lv", "PLN") == f"1{NBSP}500{NBSP}zł"


def test_every_project_is_explained_in_both_languages(small_text: str) -> None:
    # given
    election = pbvote.parse_pabulib_text(small_text)
    for rule in pbvote.RULES:
        # when
        result = pbvote.count(election, rule)
        # then
        assert set(result.explanations) == set(election.projects)
        for pid, why in result.explanations.items():
            assert why.selected == (pid in result.winners)
            assert why.sentence("lv")
            assert why.sentence("en")
            if why.selected:
                assert why.round == result.winners.index(pid) + 1


def test_greedy_sentences(small_text: str) -> None:
    election = pbvote.parse_pabulib_text(small_text)
    result = pbvote.count(election, "greedy")
    assert result.winners == ["1", "3", "10"]
    bench = result.explanations["2"]
    assert bench.reason == "no-money"
    assert bench.numbers["budget_left"] == 40
    assert bench.sentence("en") == "not funded: €40 left when its turn came, it needed €50"
    assert bench.sentence("lv") == (
        f"nav finansēts: kad pienāca tā kārta, bija atlikuši 40{NBSP}€, bet vajadzēja 50{NBSP}€"
    )
    park = result.explanations["1"]
    assert park.round == 1
    assert park.sentence("en").startswith("funded in round 1: 3 votes")


def test_mes_sentence_names_supporters_and_payment(small_text: str) -> None:
    election = pbvote.parse_pabulib_text(small_text)
    result = pbvote.count(election, "mes")
    first = result.explanations[result.winners[0]]
    assert first.reason in {"funded", "funded-free"}
    funded = [e for e in result.explanations.values() if e.reason == "funded"]
    assert funded
    assert "supporters each paid at most" in funded[0].sentence("en")
    assert "katrs samaksāja ne vairāk kā" in funded[0].sentence("lv")


def test_unknown_language_is_refused(small_text: str) -> None:
    result = pbvote.count(pbvote.parse_pabulib_text(small_text), "greedy")
    with pytest.raises(ValueError, match="unsupported language"):
        result.explanations["1"].sentence("de")


def test_json_is_traceable(small_text: str) -> None:
    election = pbvote.parse_pabulib_text(small_text)
    data = pbvote.count(election, "greedy-threshold", threshold=3).to_json()
    text = json.dumps(data, ensure_ascii=False)
    assert data["winners"] == ["1"]
    assert data["rule"] == "greedy-threshold"
    assert data["parameters"]["threshold"] == 3
    assert data["total_cost"] == 60
    assert data["budget_left"] == 40
    assert len(data["ballots_sha256"]) == 64
    assert {p["project_id"] for p in data["projects"]} == {"1", "2", "3", "10"}
    below = next(p for p in data["projects"] if p["project_id"] == "3")
    assert below["reason"] == "below-threshold"
    assert "threshold" in below["sentence"]["en"]
    assert "Bench" not in text


def test_tie_break_orders(small_text: str) -> None:
    text = small_text.replace("3;40;2", "3;50;2").replace("budget;100", "budget;110")
    election = pbvote.parse_pabulib_text(text)
    # projects 2 and 3 now tie on votes (2) and cost (50): id "2" < "3"
    assert pbvote.count(election, "greedy").winners == ["1", "2", "10"]
    assert pbvote.count(election, "greedy", tie_break=["3", "2"]).winners == ["1", "3", "10"]
    with pytest.raises(ValueError, match="tie-break"):
        pbvote.count(election, "greedy", tie_break="random")


def test_unknown_rule_is_refused(small_text: str) -> None:
    with pytest.raises(ValueError, match="unknown rule"):
        pbvote.count(pbvote.parse_pabulib_text(small_text), "dictator")
