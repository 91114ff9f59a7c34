"""The published ballot files: no personal data, a shuffled order, coarse demographics only
where enough ballots share them, and pabutools (an independent implementation) recomputes
the published winners from them."""

from fractions import Fraction

import pytest
from django.conf import settings

import personalcode
from lidzdaliba.budgeting.models import Ballot, CycleStatus, Tally
from lidzdaliba.budgeting.services import tally as tally_service
from lidzdaliba.budgeting.services.tally import tally_run
from lidzdaliba.core.demo.load import personal_code_with_check_digit
from tests.conftest import make_resident

from .factories import make_ballot_projects
from .results_factories import cast, close_voting

pytestmark = pytest.mark.django_db


def votes_section(text: str) -> list[str]:
    lines = text.splitlines()
    return lines[lines.index("VOTES") + 1 :]


@pytest.fixture
def resident_ballots(cycle_factory, municipality, neighbourhood):
    """12 ballots cast by real residents (accounts with e-mails, personal codes, birth dates)."""
    cycle = cycle_factory(CycleStatus.VOTING, slug="privacy")
    ideas = make_ballot_projects(cycle, {"infrastruktura": [40_000, 60_000, 90_000]})
    people = []
    for n in range(12):
        code = personal_code_with_check_digit(f"{1 + n:02d}01{80 + n % 10:02d}1{n:03d}")
        user = make_resident(
            municipality,
            neighbourhood,
            code=code,
            email=f"voter{n}@example.lv",
            full_name=f"Voter {n}",
        )
        ballot = cast(cycle, ideas["infrastruktura"][: 1 + n % 3], neighbourhood=neighbourhood)[0]
        Ballot.objects.filter(pk=ballot.pk).update(
            voter=user,
            identity_key=personalcode.identity_key(code, key=settings.PERSONAL_CODE_HMAC_KEY),
        )
        people.append((user, code))
    close_voting(cycle)
    cycle.people = people
    return cycle


def test_files_hold_no_personal_data(resident_ballots):
    tally_run(resident_ballots)
    text = Tally.objects.get(
        category__cycle=resident_ballots, category__slug="infrastruktura"
    ).ballots_pb

    ballots = list(Ballot.objects.filter(cycle=resident_ballots))
    for ballot in ballots:
        assert ballot.identity_key not in text
        assert ballot.receipt_code not in text
        assert f"\n{ballot.public_id};" in text
    for user, code in resident_ballots.people:
        assert user.email not in text
        assert user.full_name not in text
        assert code not in text
        assert code.replace("-", "") not in text
        born = personalcode.birth_date(code)
        assert born.isoformat() not in text
        assert born.strftime("%d.%m.%Y") not in text
    header, *rows = votes_section(text)
    assert header == "voter_id;vote;age_band;neighbourhood"
    # voters are named only by the hash of their receipt code, never by an account id
    assert {row.split(";")[0] for row in rows} == {b.public_id for b in ballots}


def test_voters_are_sorted_by_their_hashed_id_not_by_when_they_voted(cycle_factory):
    cycle = cycle_factory(CycleStatus.VOTING, slug="shuffled")
    ideas = make_ballot_projects(cycle, {"infrastruktura": [40_000]})
    cast_order = [b.public_id for b in cast(cycle, ideas["infrastruktura"], times=30)]
    close_voting(cycle)

    tally_run(cycle)

    text = Tally.objects.get(category__cycle=cycle, category__slug="infrastruktura").ballots_pb
    file_order = [line.split(";")[0] for line in votes_section(text)[1:]]
    assert sorted(file_order) == sorted(cast_order)
    assert file_order == sorted(cast_order)
    assert file_order != cast_order


def test_age_band_and_neighbourhood_only_where_enough_ballots_share_them(
    cycle_factory, municipality
):
    cycle = cycle_factory(CycleStatus.VOTING, slug="k-anon")
    ideas = make_ballot_projects(cycle, {"infrastruktura": [40_000]})
    karosta = municipality.neighbourhoods.get(slug="karosta")
    other = municipality.neighbourhoods.exclude(slug="karosta").first()
    common = cast(cycle, ideas["infrastruktura"], times=10, age_band="25-34", neighbourhood=karosta)
    rare = cast(cycle, ideas["infrastruktura"], times=2, age_band="75+", neighbourhood=other)
    close_voting(cycle)

    tally_run(cycle)

    text = Tally.objects.get(category__cycle=cycle, category__slug="infrastruktura").ballots_pb
    lines = {line.split(";")[0]: line for line in votes_section(text)[1:]}
    for ballot in common:
        assert lines[ballot.public_id].endswith(";25-34;karosta")
    for ballot in rare:
        assert lines[ballot.public_id].endswith(";None;None")
    assert "75+" not in text
    assert f";{other.slug}" not in text
    assert tally_service.K_ANONYMITY == 10


def test_ballots_without_demographics_have_no_such_columns(cycle_factory):
    cycle = cycle_factory(CycleStatus.VOTING, slug="plain")
    ideas = make_ballot_projects(cycle, {"infrastruktura": [40_000]})
    cast(cycle, ideas["infrastruktura"], times=3, age_band="")
    close_voting(cycle)

    tally_run(cycle)

    text = Tally.objects.get(category__cycle=cycle, category__slug="infrastruktura").ballots_pb
    assert votes_section(text)[0] == "voter_id;vote"


# --- pabutools recomputes the published winners ---------------------------------------------


def pabutools_winners(text: str, tmp_path, rule: str, threshold: int | None = None) -> set[str]:
    pabutools_election = pytest.importorskip("pabutools.election")
    pabutools_rules = pytest.importorskip("pabutools.rules")
    path = tmp_path / "ballots.pb"
    path.write_bytes(text.encode("utf-8"))
    instance, profile = pabutools_election.parse_pabulib(str(path))
    cost_sat = pabutools_election.Cost_Sat
    if threshold is not None:
        instance = pabutools_election.Instance(
            [p for p in instance if profile.approval_score(p) >= threshold],
            budget_limit=instance.budget_limit,
        )
    if rule == "mes-add1":
        mes = pabutools_rules.method_of_equal_shares(
            instance, profile, sat_class=cost_sat, voter_budget_increment=1
        )
        winners = pabutools_rules.greedy_utilitarian_welfare(
            instance, profile, sat_class=cost_sat, initial_budget_allocation=mes
        )
    else:
        winners = pabutools_rules.greedy_utilitarian_welfare(instance, profile, sat_class=cost_sat)
    return {p.name for p in winners}


def _random_election(cycle, seed: int, costs: list[int]):
    import random

    rng = random.Random(seed)
    ideas = make_ballot_projects(cycle, {"infrastruktura": costs})["infrastruktura"]
    weights = [rng.random() for _ in ideas]
    for _ in range(120):
        picks = [idea for idea, w in zip(ideas, weights, strict=True) if rng.random() < w]
        if picks:
            cast(cycle, picks[:3])
    close_voting(cycle)
    return ideas


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_pabutools_recomputes_the_published_greedy_winners(cycle_factory, tmp_path, seed):
    cycle = cycle_factory(CycleStatus.VOTING, slug=f"pabutools-{seed}")
    _random_election(cycle, seed, [45_000, 38_500, 60_000, 12_345, 27_000, 30_000, 49_990, 8_000])

    tally_run(cycle)

    tally = Tally.objects.get(category__cycle=cycle, category__slug="infrastruktura")
    assert tally.winners
    assert pabutools_winners(tally.ballots_pb, tmp_path, "greedy") == set(tally.winners)


def test_pabutools_recomputes_threshold_and_equal_shares(cycle_factory, tmp_path):
    cycle = cycle_factory(CycleStatus.VOTING, slug="pabutools-mes", rule="mes-add1")
    _random_election(cycle, 7, [45_000, 38_500, 60_000, 12_345, 27_000, 30_000, 49_990, 8_000])
    tally_run(cycle)
    mes = Tally.objects.get(category__cycle=cycle, category__slug="infrastruktura")
    assert pabutools_winners(mes.ballots_pb, tmp_path, "mes-add1") == set(mes.winners)

    other = cycle_factory(CycleStatus.VOTING, slug="pabutools-threshold")
    category = other.categories.get(slug="infrastruktura")
    category.min_votes = 40
    category.save()
    _random_election(other, 8, [45_000, 38_500, 60_000, 12_345, 27_000, 30_000, 49_990, 8_000])
    tally_run(other)
    greedy = Tally.objects.get(category=category)
    assert greedy.rule == "greedy-threshold"
    assert pabutools_winners(greedy.ballots_pb, tmp_path, "greedy", threshold=40) == set(
        greedy.winners
    )


def test_costs_in_the_file_are_exact_euros(cycle_factory):
    import pbvote

    cycle = cycle_factory(CycleStatus.VOTING, slug="exact")
    ideas = _random_election(cycle, 3, [12_345, 20_000])
    ideas[0].ballot_cost_cents = 1_234_567
    ideas[0].save()
    tally_run(cycle)
    text = Tally.objects.get(category__cycle=cycle, category__slug="infrastruktura").ballots_pb
    assert pbvote.parse_pabulib_text(text).projects[str(ideas[0].pk)].cost == Fraction(
        1_234_567, 100
    )


@pytest.mark.parametrize(
    ("rule", "min_votes"), [("greedy", None), ("greedy", 30), ("mes-add1", None)]
)
def test_the_published_pabutools_program_prints_the_winners(
    cycle_factory, tmp_path, capsys, rule, min_votes
):
    pytest.importorskip("pabutools")
    from lidzdaliba.budgeting.views.results import pabutools_snippet

    cycle = cycle_factory(CycleStatus.VOTING, slug=f"snippet-{rule}-{min_votes}", rule=rule)
    category = cycle.categories.get(slug="infrastruktura")
    category.min_votes = min_votes
    category.save()
    _random_election(cycle, 11, [45_000, 38_500, 60_000, 12_345, 27_000, 30_000, 49_990, 8_000])
    tally_run(cycle)
    tally = Tally.objects.select_related("category").get(category=category)
    path = tmp_path / "file.pb"
    path.write_bytes(tally.ballots_pb.encode("utf-8"))

    program = pabutools_snippet(tally, str(path))
    exec(compile(program, "snippet", "exec"), {})  # noqa: S102 - the page's own program

    assert capsys.readouterr().out.strip() == repr(sorted(tally.winners))


def test_the_published_pbvote_command_gives_the_winners_and_digest(cycle_factory, tmp_path):
    import json
    import subprocess
    import sys

    cycle = cycle_factory(CycleStatus.VOTING, slug="cli")
    _random_election(cycle, 5, [45_000, 38_500, 60_000, 12_345, 27_000, 30_000, 49_990, 8_000])
    tally_run(cycle)
    tally = Tally.objects.get(category__cycle=cycle, category__slug="infrastruktura")
    path = tmp_path / "file.pb"
    path.write_bytes(tally.ballots_pb.encode("utf-8"))

    out = subprocess.run(
        [sys.executable, "-m", "pbvote", "tally", str(path), "--rule", tally.rule, "--json"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout

    printed = json.loads(out)
    assert printed["winners"] == tally.winners
    assert printed["ballots_sha256"] == tally.ballots_sha256
