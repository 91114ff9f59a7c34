"""Background tasks of the participatory budget (django-tasks).

``tally_cycle_task`` counts a cycle's votes; ``services.tally.tally_enqueue`` enqueues it
after commit when voting closes (and when an officer reruns the count).
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django_tasks import task

log = logging.getLogger(__name__)


@task()
def tally_cycle_task(cycle_id: int) -> dict[str, str]:
    """Count every category of the cycle; returns each category's tally status."""
    from .models import Cycle
    from .services.tally import tally_run

    cycle = Cycle.objects.filter(pk=cycle_id).first()
    if cycle is None:
        return {}
    try:
        tallies = tally_run(cycle)
    except ValidationError as exc:  # voting reopened, or the result was confirmed meanwhile
        log.warning("Count of cycle %s not run: %s", cycle.slug, " ".join(exc.messages))
        return {}
    return {tally.category.slug: tally.status for tally in tallies}
