from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from lidzdaliba.core.models import AuditEvent


def audit_record(
    *,
    actor: Any,
    verb: str,
    target: models.Model | None = None,
    municipality: Any = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event. Call it inside the same transaction as the change it records,
    so that the change and its record are written together or not at all.

    ``actor`` may be a user, ``None`` (the system: schedules, imports) or an anonymous user.
    ``verb`` is a stable dotted name such as ``"residency.verified"``.
    """
    real_actor = actor if getattr(actor, "is_authenticated", False) else None
    if municipality is None and target is not None:
        municipality = getattr(target, "municipality", None)
    return AuditEvent.objects.create(
        actor=real_actor,
        actor_label=(real_actor.email if real_actor else "system")[:200],
        verb=verb,
        municipality=municipality,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:300] if target is not None else "",
        data=data or {},
    )
