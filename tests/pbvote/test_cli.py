"""The ``pbvote`` command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import pbvote
from pbvote.cli import main


@pytest.fixture
def small_file(tmp_path: Path, small_text: str) -> Path:
    path = tmp_path / "small.pb"
    path.write_text(small_text, encoding="utf-8")
    return path


def test_tally_prints_winners(small_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tally", str(small_file), "--rule", "greedy"]) == 0
    out = capsys.readouterr().out
    assert "3 winners" in out
    assert "funded in round 1" in out


def test_tally_json(small_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tally", str(small_file), "--rule", "mes-add1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert all(isinstance(pid, str) for pid in data["winners"])
    assert data["rule"] == "mes-add1"


def test_compare_lists_rules(small_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", str(small_file)]) == 0
    out = capsys.readouterr().out
    for rule in ("greedy", "mes-add1", "phragmen", "official"):
        assert rule in out
    assert "voters w/ funded" in out


def test_validate_good_file(small_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(small_file)]) == 0
    assert "valid" in capsys.readouterr().out


def test_bad_file_exits_non_zero_with_line(
    tmp_path: Path, small_text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.pb"
    bad.write_text(small_text.replace("c;1;None", "c;7;None"), encoding="utf-8")
    for command in ("tally", "compare", "validate"):
        with pytest.raises(SystemExit) as stop:
            main([command, str(bad)])
        assert stop.value.code == 2
        err = capsys.readouterr().err
        assert "bad.pb:23: vote for unknown project '7'" in err


def test_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["tally", "/nonexistent/x.pb"])
    assert stop.value.code == 2
    assert "cannot read" in capsys.readouterr().err


def test_python_dash_m(small_file: Path) -> None:
    src = Path(pbvote.__file__).resolve().parents[1]  # wherever pbvote is imported from
    done = subprocess.run(
        [sys.executable, "-m", "pbvote", "tally", str(small_file), "--json"],
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["winners"]
