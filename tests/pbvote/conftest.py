"""Fixtures for the pbvote engine tests: the shared Pabulib files and small elections."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
#: the shared reference data sits next to the repository: ../shared/data/pabulib
DATA_DIR = REPO_ROOT / ".." / "shared" / "data" / "pabulib"
EXPECTED_DIR = DATA_DIR / "expected"
#: files whose MES add1 counts are big enough to mark (they still run, on the fast engine)
BIG_FILES = {
    "France_Toulouse_2022",
    "Poland_Warszawa_2021_Mokotow",
    "Poland_Warszawa_2026",
    "Poland_Lodz_2022",
    "Poland_Krakow_2024",
    "Poland_Katowice_2023",
}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "pbvote_big: equality tests on the big shared Pabulib files (fast engine)"
    )


MISSING_DATA = f"shared Pabulib data not found at {DATA_DIR} (expected ../shared/data/pabulib)"


def missing_data_param(width: int) -> list[object]:
    """A single skipped parameter set, so a missing data folder is reported clearly."""
    return [pytest.param(*([None] * width), marks=pytest.mark.skip(reason=MISSING_DATA))]


def pabulib_files() -> list[Path]:
    """The shared ``.pb`` files (empty when the shared data is absent)."""
    if not DATA_DIR.is_dir():
        return []
    return sorted(DATA_DIR.glob("*.pb"))


def expected_winners(stem: str, suffix: str) -> list[str] | None:
    """pabutools 1.2.3's winners for ``stem`` and rule ``suffix``, or None if not computed."""
    path = EXPECTED_DIR / f"{stem}.{suffix}.json"
    if not path.is_file():
        return None
    winners: list[str] = json.loads(path.read_text(encoding="utf-8"))
    return winners


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The shared Pabulib directory; skips the test when it is missing."""
    if not DATA_DIR.is_dir():
        pytest.skip(
            f"shared Pabulib data not found at {DATA_DIR} (expected ../shared/data/pabulib)"
        )
    return DATA_DIR


SMALL_APPROVAL = """META
key;value
description;Tiny test
country;Latvia
unit;Liepāja
instance;2025
num_projects;4
num_votes;5
budget;100
vote_type;approval
rule;greedy
currency;EUR
PROJECTS
project_id;cost;votes;name;selected
1;60;3;Park;1
2;50;2;"Bench; and table";0
3;40;2;Lights;1
10;0;1;Free idea;1
VOTES
voter_id;vote;age
a;1,2;30
b;1,3;41
c;1;None
d;2,3,10;22
e;;18
"""


@pytest.fixture
def small_text() -> str:
    """A tiny approval election with a quoted field, an empty vote and a free project."""
    return SMALL_APPROVAL
