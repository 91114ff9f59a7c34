"""Every rule gives pabutools 1.2.3's winners on every shared Pabulib file, and ``official``
gives what the city funded (the file's ``selected`` column)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

import pbvote
from pbvote.rules import RULES
from pbvote.rules.base import CountData

from .conftest import BIG_FILES, DATA_DIR, expected_winners, missing_data_param, pabulib_files

#: pbvote rule -> suffix of the expected/ file (see the package README)
RULE_SUFFIX = {
    rule.name: rule.expected_suffix
    for rule in RULES.values()
    if rule.expected_suffix and rule.name != "greedy"
}


@cache
def _load(path: Path) -> tuple[pbvote.Election, CountData]:
    election = pbvote.parse_pabulib(path)
    return election, CountData(election)


def _cases() -> list[object]:
    cases = []
    for path in pabulib_files():
        for rule, suffix in RULE_SUFFIX.items():
            if expected_winners(path.stem, suffix) is None:
                continue
            marks = [pytest.mark.pbvote_big] if path.stem in BIG_FILES else []
            cases.append(pytest.param(path, rule, suffix, id=f"{path.stem}-{rule}", marks=marks))
    return cases or missing_data_param(3)


def test_shared_data_is_present() -> None:
    if not DATA_DIR.is_dir():
        pytest.skip(f"shared Pabulib data not found at {DATA_DIR}")
    assert len(pabulib_files()) >= 11


@pytest.mark.parametrize(("path", "rule", "suffix"), _cases())
def test_winners_equal_pabutools(path: Path, rule: str, suffix: str) -> None:
    # given
    election, data = _load(path)
    expected = expected_winners(path.stem, suffix)
    # when
    result = pbvote.count(election, rule, data=data)
    # then: same projects, and the same order where pabutools' order means something
    if rule.startswith("phragmen"):
        assert result.winners_sorted == expected
    else:
        assert result.winners == expected
    assert result.total_cost <= election.budget


def _official_cases() -> list[object]:
    cases = []
    for path in pabulib_files():
        marks = [pytest.mark.pbvote_big] if path.stem in BIG_FILES else []
        cases.append(pytest.param(path, id=path.stem, marks=marks))
    return cases or missing_data_param(1)


@pytest.mark.parametrize("path", _official_cases())
def test_official_reproduces_the_city_selection(path: Path) -> None:
    election, data = _load(path)
    if not any("selected" in p.fields for p in election.projects.values()):
        pytest.skip("no selected column in this file")
    funded = {pid for pid, p in election.projects.items() if p.fields.get("selected") == "1"}
    result = pbvote.count(election, "official", data=data)
    assert set(result.winners) == funded


def test_greedy_is_cost_satisfaction_greedy_on_approval(data_dir: Path) -> None:
    election, data = _load(data_dir / "Poland_Warszawa_2023_Wlochy.pb")
    assert pbvote.count(election, "greedy", data=data).winners == expected_winners(
        "Poland_Warszawa_2023_Wlochy", "greedy_cost"
    )


def test_exact_and_fast_mes_agree_on_a_real_file(data_dir: Path) -> None:
    election, data = _load(data_dir / "Poland_Swiecie_2023.pb")
    for rule in ("mes", "mes-card"):
        fast = pbvote.count(election, rule, data=data)
        exact = pbvote.count(election, rule, data=data, exact=True)
        assert fast.winners == exact.winners
