from collections.abc import Iterable
from typing import Any

from django.db import transaction

from lidzdaliba.core.models import SdgGoal, SdgTaggable, SdgTarget


@transaction.atomic
def sdg_tags_set(
    *,
    obj: SdgTaggable,
    goals: Iterable[SdgGoal] = (),
    targets: Iterable[SdgTarget] = (),
    actor: Any = None,
) -> None:
    """Tag ``obj`` with SDG goals and targets; every target's goal is tagged too."""
    targets = list(targets)
    goal_ids = {goal.pk for goal in goals} | {target.goal_id for target in targets}
    obj.sdg_goals.set(goal_ids)
    obj.sdg_targets.set(targets)
