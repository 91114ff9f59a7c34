"""The phase schedule run by several workers at once on PostgreSQL (cron on two machines,
page views): every step is taken and recorded exactly once."""

import datetime as dt

import pytest
from django.db import connection

from lidzdaliba.budgeting.models import Cycle, CycleStatus, PhaseChange
from lidzdaliba.budgeting.services import cycles as services
from lidzdaliba.core.models import AuditEvent
from tests.petitions.test_concurrency import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite serialises)"
    ),
]


def test_eight_schedulers_at_once_take_each_step_once(cycle_factory, monkeypatch):
    from lidzdaliba.budgeting.services import tally

    monkeypatch.setattr(tally, "tally_enqueue", lambda cycle, **kw: None)
    # given a cycle still in preparation whose voting has already closed
    cycle = cycle_factory(CycleStatus.SUBMISSION)
    Cycle.objects.filter(pk=cycle.pk).update(status=CycleStatus.DRAFT)
    later = cycle.voting_closes_at + dt.timedelta(days=1)
    # when eight workers run the schedule at the same moment
    results = run_together([lambda: services.cycle_advance_on_schedule(later)] * 8)
    # then the four steps happened once each, whoever took them
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(results) == 4
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.RESULTS
    assert list(
        PhaseChange.objects.filter(cycle=cycle).order_by("id").values_list("to_status", flat=True)
    ) == ["submission", "review", "voting", "results"]
    assert AuditEvent.objects.filter(verb="budget.phase_changed").count() == 4
