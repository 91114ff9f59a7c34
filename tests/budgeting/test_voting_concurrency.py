"""Concurrent ballots on PostgreSQL with real threads and connections: 50 saves for one
person at once leave exactly one ballot holding one complete set of choices."""

import threading

import pytest
from django.db import connection, connections
from django.utils import translation

from lidzdaliba.budgeting.models import Ballot, BallotChoice
from lidzdaliba.budgeting.services import voting as services

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises every writer, so there is no race to test",
    ),
]


def run_together(calls):
    """Run the callables at the same moment in their own threads and connections; return
    each one's result or exception, in call order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            with translation.override("en"):
                results[index] = call()
        except Exception as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_fifty_concurrent_saves_for_one_person_leave_one_consistent_ballot(
    voting_cycle, voter_factory
):
    # given one person with two accounts and four projects (three picks at most)
    first, code = voter_factory()
    second, _code = voter_factory(code=code)
    category = voting_cycle.categories.get(slug="infrastruktura")
    ideas = list(category.ideas.order_by("number"))
    # 50 different valid ballots (every set of 1-3 projects, repeated), from both accounts
    ballots = [{ideas[i].pk: 1 for i in range(4) if (n + 1) & (1 << i)} for n in range(15)]
    ballots = [b for b in ballots if len(b) <= 3]
    calls = []
    for n in range(50):
        user = first if n % 2 else second
        choices = ballots[n % len(ballots)]
        calls.append(
            lambda user=user, choices=choices: services.ballot_save(
                user=user, cycle=voting_cycle, category=category, choices=choices
            )
        )
    # when all 50 are saved at the same moment
    results = run_together(calls)
    # then every save succeeded, on one ballot, and its choices are one of the ballots sent:
    # the one of the save that committed last (the highest revision)
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors[:3]
    assert Ballot.objects.count() == 1
    ballot = Ballot.objects.get()
    assert ballot.revision == 50
    assert sorted(r.revision for r in results) == list(range(1, 51))
    assert sum(r.created for r in results) == 1
    assert len({r.receipt_code for r in results}) == 1
    last = max(results, key=lambda r: r.revision)
    chosen = dict(BallotChoice.objects.filter(ballot=ballot).values_list("idea_id", "points"))
    assert chosen == last.choices_saved


def test_many_people_at_once_each_get_their_own_ballot(voting_cycle, voter_factory):
    category = voting_cycle.categories.get(slug="pasakumi")
    idea = category.ideas.first()
    people = [voter_factory()[0] for _ in range(20)]
    results = run_together(
        [
            lambda user=user: services.ballot_save(
                user=user, cycle=voting_cycle, category=category, choices={idea.pk: 1}
            )
            for user in people
        ]
    )
    assert not [r for r in results if isinstance(r, Exception)]
    assert Ballot.objects.count() == 20
    assert BallotChoice.objects.count() == 20
    assert len(set(Ballot.objects.values_list("receipt_code", flat=True))) == 20
