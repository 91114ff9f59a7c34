import pytest

from lidzdaliba.budgeting.models import CycleStatus

from .factories import make_ballot_projects, make_cycle


@pytest.fixture
def cycle_factory(municipality):
    """``make(status=..., slug=..., **options)``: a Liepāja-shaped cycle in that phase."""

    def make(status=CycleStatus.VOTING, **options):
        return make_cycle(municipality, status=status, **options)

    return make


@pytest.fixture
def voting_cycle(cycle_factory):
    """A cycle in its voting phase with 4 infrastructure and 3 event projects."""
    cycle = cycle_factory(CycleStatus.VOTING, slug="pb-voting")
    make_ballot_projects(
        cycle,
        {"infrastruktura": [40_000, 60_000, 90_000, 30_000], "pasakumi": [10_000, 20_000, 25_000]},
    )
    return cycle


# --- voting (appended by the voting area) ---------------------------------------------

_voter_serial = __import__("itertools").count(1)


def voter_code(born=None, *, new_format: bool = False) -> str:
    """A fresh valid personal code: old format for ``born`` (default 1 Jan 1990), or a
    new-format ``32…`` code (no birth date)."""
    import datetime as dt

    import personalcode
    from lidzdaliba.core.demo.load import personal_code_with_check_digit

    born = born or dt.date(1990, 1, 1)
    while True:
        n = next(_voter_serial) % 100_000
        if new_format:
            first_ten = f"32{n:08d}"
        else:
            century = {18: "0", 19: "1", 20: "2"}[born.year // 100]
            first_ten = f"{born:%d%m%y}{century}{n % 1000:03d}"
        code = personal_code_with_check_digit(first_ten)
        try:
            personalcode.normalise(code)
        except personalcode.InvalidPersonalCode:
            continue
        return code


@pytest.fixture
def voter_factory(municipality, neighbourhood):
    """``make(born=None, neighbourhood=None, code=None)`` → (user, code): a verified
    resident (Karosta, born 1990 by default)."""
    from tests.conftest import make_resident

    def make(*, born=None, code=None, neighbourhood_=None, **kwargs):
        code = code or voter_code(born)
        user = make_resident(
            municipality, neighbourhood_ or neighbourhood, code=code, born=born, **kwargs
        )
        return user, code

    return make


@pytest.fixture
def budget_officer(officer_factory):
    """A budgeting officer with the second factor staff pages demand."""
    return officer_factory("budgeting", totp=True)


@pytest.fixture
def submission_cycle(cycle_factory):
    """A cycle collecting ideas: opened yesterday, closes in 34 days (ideas area)."""
    return cycle_factory(CycleStatus.SUBMISSION, slug="pb-ideas")


@pytest.fixture
def idea_factory():
    """``make(actor, cycle, submit=True, **fields)``: an idea written through the services
    (a 1 500 € cost line in Liepāja's centre, infrastructure), submitted unless told not."""
    from lidzdaliba.budgeting.services import ideas as idea_services

    def make(actor, cycle, *, submit=True, cost_lines=(("Benches", 150_000),), **fields):
        values = {
            "title": "Benches by the lake",
            "summary": "Four benches by the lake.",
            "description": "Four benches on the lake shore path.",
            "category": cycle.categories.get(slug="infrastruktura"),
            "lat": 56.5110,
            "lon": 21.0137,
            "address": "Ezera krasts",
            **fields,
        }
        idea = idea_services.idea_create(
            actor=actor, cycle=cycle, cost_lines=list(cost_lines), **values
        )
        if submit:
            idea_services.idea_submit(actor=actor, idea=idea)
        return idea

    return make
