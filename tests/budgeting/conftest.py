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
