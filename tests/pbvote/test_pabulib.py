"""Reading and writing Pabulib files."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pbvote
from pbvote import Ballot, Election, PabulibError, Project, pabulib_text, parse_pabulib_text

from .conftest import missing_data_param, pabulib_files


def test_reads_small_file_with_quotes_empty_vote_and_missing_values(small_text: str) -> None:
    # when
    election = parse_pabulib_text(small_text)
    # then
    assert election.vote_type == "approval"
    assert election.budget == 100
    assert list(election.projects) == ["1", "2", "3", "10"]
    assert election.projects["2"].name == "Bench; and table"
    assert election.projects["2"].cost == Fraction(50)
    assert [b.projects for b in election.ballots] == [
        ("1", "2"),
        ("1", "3"),
        ("1",),
        ("2", "3", "10"),
        (),
    ]
    assert election.voter_columns == ("age",)
    assert election.ballots[2].extra == ("None",)


def test_crlf_and_lf_give_the_same_election(small_text: str) -> None:
    lf = parse_pabulib_text(small_text)
    crlf = parse_pabulib_text(small_text.replace("\n", "\r\n"))
    assert crlf.ballots == lf.ballots
    assert crlf.meta == lf.meta
    assert crlf.projects == lf.projects


def test_bom_and_blank_lines_are_ignored(small_text: str) -> None:
    text = "\ufeff" + small_text.replace("PROJECTS\n", "\nPROJECTS\n\n")
    assert len(parse_pabulib_text(text).projects) == 4


CUMULATIVE = """META
key;value
num_projects;3
num_votes;3
budget;10.5
vote_type;cumulative
max_sum_points;3
PROJECTS
project_id;cost
A;5,5
B;4
C;3
VOTES
voter_id;vote;points
1;A,B;2,1
2;C;3
3;;
"""


def test_cumulative_points_and_decimal_comma_cost() -> None:
    election = parse_pabulib_text(CUMULATIVE)
    assert election.projects["A"].cost == Fraction(11, 2)
    assert election.budget == Fraction(21, 2)
    assert election.ballots[0].points == (2, 1)
    assert election.ballots[2].projects == ()
    assert election.uses_points


def test_other_vote_types_are_read() -> None:
    ordinal = CUMULATIVE.replace("cumulative", "ordinal").replace(";points", "")
    ordinal = ordinal.replace("1;A,B;2,1", "1;B,A").replace("2;C;3", "2;C").replace("3;;", "3;")
    election = parse_pabulib_text(ordinal)
    assert election.is_ordinal
    assert election.ballots[0].projects == ("B", "A")
    scoring = CUMULATIVE.replace("cumulative", "scoring")
    assert parse_pabulib_text(scoring).uses_points
    choose = CUMULATIVE.replace("cumulative", "choose-1").replace(";points", "")
    choose = choose.replace("1;A,B;2,1", "1;A").replace("2;C;3", "2;C").replace("3;;", "3;")
    assert not parse_pabulib_text(choose).uses_points
    unknown = CUMULATIVE.replace("cumulative", "approval-with-points")
    assert parse_pabulib_text(unknown).uses_points


@pytest.mark.parametrize(
    ("_case", "change", "line", "words"),
    [
        ("unknown project", ("2;C;3", "2;Z;3"), 16, "unknown project 'Z'"),
        ("points mismatch", ("1;A,B;2,1", "1;A,B;2"), 15, "2 projects in the vote but 1 points"),
        ("bad points", ("1;A,B;2,1", "1;A,B;2,x"), 15, "not numbers"),
        ("bad cost", ("B;4", "B;four"), 11, "cost 'four'"),
        ("duplicate project", ("C;3", "B;3"), 12, "listed twice"),
        ("repeated vote", ("2;C;3", "2;C,C;1,2"), 16, "appears twice"),
        ("too many cells", ("2;C;3", "2;C;3;4"), 16, "4 values"),
    ],
)
def test_malformed_file_names_line_and_problem(
    _case: str, change: tuple[str, str], line: int, words: str
) -> None:
    text = CUMULATIVE.replace(*change)
    with pytest.raises(PabulibError) as caught:
        parse_pabulib_text(text, "x.pb")
    assert caught.value.line == line
    assert words in caught.value.problem
    assert f"x.pb:{line}:" in str(caught.value)


@pytest.mark.parametrize(
    ("_case", "text", "words"),
    [
        (
            "no votes section",
            "META\nkey;value\nbudget;1\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;1\n",
            "VOTES is missing",
        ),
        (
            "no budget",
            "META\nkey;value\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;1\n"
            "VOTES\nvoter_id;vote\n1;1\n",
            "no budget",
        ),
        ("garbage", "hello\nworld\n", "before the first section"),
        ("empty", "", "META is missing"),
    ],
)
def test_broken_structure_is_an_error_not_a_crash(_case: str, text: str, words: str) -> None:
    with pytest.raises(PabulibError, match=words):
        parse_pabulib_text(text)


def test_written_file_reads_back_identically(small_text: str) -> None:
    election = parse_pabulib_text(small_text)
    again = parse_pabulib_text(pabulib_text(election))
    assert again.ballots == election.ballots
    assert again.projects == election.projects
    assert again.meta == election.meta


def test_election_built_in_code_can_be_written() -> None:
    election = Election(
        [Project("p1", Fraction(1, 3), "Thirds"), Project("p2", Fraction(5, 2))],
        [Ballot(("p1",)), Ballot(("p1", "p2"))],
        budget=3,
    )
    text = pabulib_text(election)
    assert "p1;1/3;Thirds" in text
    assert "p2;2.5;" in text
    again = parse_pabulib_text(text)
    assert [b.projects for b in again.ballots] == [("p1",), ("p1", "p2")]


def test_election_rejects_unknown_project_in_ballot() -> None:
    with pytest.raises(ValueError, match="unknown project"):
        Election([Project("a", 1)], [Ballot(("b",))], budget=1)


def _pabutools_view(path: Path) -> tuple[object, ...]:
    pabulib = pytest.importorskip("pabutools.election.pabulib")
    instance, profile = pabulib.parse_pabulib(str(path))
    projects = sorted(
        (p.name, p.cost, tuple(sorted(instance.project_meta[p].items(), key=str))) for p in instance
    )
    ballots = []
    for ballot in profile:
        if isinstance(ballot, dict):
            content: object = sorted((p.name, v) for p, v in ballot.items())
        elif isinstance(ballot, list):
            content = [p.name for p in ballot]
        else:
            content = sorted(p.name for p in ballot)
        ballots.append((content, sorted(ballot.meta.items())))
    return (instance.budget_limit, dict(instance.meta), projects, ballots)


def _small_files() -> list[object]:
    files = [p for p in pabulib_files() if p.stat().st_size < 400_000]
    return [pytest.param(p, id=p.stem) for p in files] or missing_data_param(1)


@pytest.mark.parametrize("path", _small_files())
def test_pabutools_reads_our_files_back_identically(path: Path, tmp_path: Path) -> None:
    # given a shared file and pabutools' view of it
    pytest.importorskip("pabutools")
    original = _pabutools_view(path)
    # when we read it and write it again
    out = tmp_path / "again.pb"
    pbvote.write_pabulib(pbvote.parse_pabulib(path), out)
    # then pabutools sees the same instance and profile
    assert _pabutools_view(out) == original


def test_pabutools_reads_written_odd_values(tmp_path: Path) -> None:
    pytest.importorskip("pabutools")
    text = CUMULATIVE.replace("A;5,5", "A;5,5").replace("C;3\n", "C;3\n")
    election = parse_pabulib_text(text)
    election.projects["B"] = Project(
        "B",
        Fraction(4),
        'semi; colon "quoted"',
        {"name": 'semi; colon "quoted"', "category": "x,y"},
    )
    source = tmp_path / "a.pb"
    pbvote.write_pabulib(election, source)
    first = _pabutools_view(source)
    again = tmp_path / "b.pb"
    pbvote.write_pabulib(pbvote.parse_pabulib(source), again)
    assert _pabutools_view(again) == first
    assert pbvote.parse_pabulib(again).projects["B"].name == 'semi; colon "quoted"'


@settings(max_examples=300, deadline=None, database=None)
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=10_000),
            st.sampled_from([";", ",", '"', "\n", "\r\n", "", "x", "-1", "none", "VOTES", "1/0"]),
            st.integers(min_value=0, max_value=3),
        ),
        max_size=6,
    ),
    st.sampled_from(["approval", "cumulative", "ordinal", "scoring", "weird"]),
)
def test_mangled_files_parse_or_fail_cleanly(
    edits: list[tuple[int, str, int]], vote_type: str
) -> None:
    # given a valid file, damaged in random places
    text = CUMULATIVE.replace("cumulative", vote_type)
    for position, insert, delete in edits:
        at = position % (len(text) + 1)
        text = text[:at] + insert + text[at + delete :]
    # when / then: either an election or a PabulibError naming a problem, never a crash
    problem = None
    try:
        election = parse_pabulib_text(text)
    except PabulibError as exc:
        problem = exc.problem
    if problem is None:
        for rule in ("greedy", "mes", "official"):
            pbvote.count(election, rule)
    else:
        assert problem
