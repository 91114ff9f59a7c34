"""Ballots for count and results tests, written straight to the database (the voting
service has its own tests): each ballot gets a random receipt code, and its ``public_id``
is the voting service's one-way hash of it."""

from __future__ import annotations

import hashlib
import itertools

from lidzdaliba.budgeting.models import Ballot, BallotChoice, CycleStatus
from lidzdaliba.budgeting.services.voting import public_id_for, receipt_code_new

_sequence = itertools.count(1)


def cast(cycle, choices, *, times=1, age_band="25-34", neighbourhood=None, channel="online"):
    """``times`` ballots choosing ``choices`` (a list of ideas, or ``{idea: points}``);
    the category is each idea's own. Returns the ballots."""
    if not isinstance(choices, dict):
        choices = dict.fromkeys(choices, 1)
    made = []
    for _ in range(times):
        n = next(_sequence)
        receipt = receipt_code_new()
        ballot = Ballot.objects.create(
            cycle=cycle,
            identity_key=hashlib.sha256(f"person-{n}".encode()).hexdigest(),
            channel=channel,
            receipt_code=receipt,
            public_id=public_id_for(receipt),
            neighbourhood=neighbourhood,
            age_band=age_band,
        )
        BallotChoice.objects.bulk_create(
            BallotChoice(ballot=ballot, category_id=idea.category_id, idea=idea, points=points)
            for idea, points in choices.items()
        )
        made.append(ballot)
    return made


def close_voting(cycle):
    """Move the cycle to its results phase (as the schedule does) without counting."""
    cycle.status = CycleStatus.RESULTS
    cycle.save(update_fields=["status"])
    return cycle


def counted_cycle(municipality, *, slug="pb-counted", count=True):
    """A cycle whose voting has closed, counted: infrastructure (28 120 €) funds A and C
    and skips B (14 900 € when 8 120 € were left); events fund E1."""
    from lidzdaliba.budgeting.services.tally import tally_run

    from .factories import make_ballot_projects, make_cycle

    cycle = make_cycle(municipality, status=CycleStatus.VOTING, slug=slug)
    infra = cycle.categories.get(slug="infrastruktura")
    infra.budget_cents = 2_812_000
    infra.save()
    ideas = make_ballot_projects(
        cycle, {"infrastruktura": [20_000, 14_900, 8_000], "pasakumi": [5_000]}
    )
    a, b, c = ideas["infrastruktura"]
    (e1,) = ideas["pasakumi"]
    for idea, title in ((a, "Skatepark"), (b, "Suņu laukums"), (c, "Soliņi"), (e1, "Koncerts")):
        idea.title = title
        idea.save()
    ballots = cast(cycle, [a, b, c, e1], times=3)
    ballots += cast(cycle, [a, b])
    ballots += cast(cycle, [a])
    close_voting(cycle)
    if count:
        tally_run(cycle)
    cycle.ideas_by_name = {"a": a, "b": b, "c": c, "e1": e1}
    cycle.cast_ballots = ballots
    return cycle
