"""SDG tags on content, and the local targets a municipality adds to the UN's 169."""

import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lidzdaliba.core.models import Municipality, SdgGoal, SdgTaggable, SdgTarget

from .audit import audit_record

LOCAL_TARGET_CODE = re.compile(r"^(?P<goal>[1-9]|1[0-7])\.L(?P<n>[1-9]\d{0,2})$")
TITLE_LANGUAGES = ("lv", "en", "ru", "uk")


class SdgTargetError(ValueError):
    """A local target was refused; ``message`` is translated for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@transaction.atomic
def sdg_tags_set(
    *,
    obj: SdgTaggable,
    goals: Iterable[SdgGoal] = (),
    targets: Iterable[SdgTarget] = (),
    actor: Any = None,
) -> None:
    """Tag ``obj`` with SDG goals and targets; every target's goal is tagged too.

    Targets must be UN targets or local targets of the object's municipality (when it has
    one); others raise :class:`SdgTargetError` and nothing changes. A change made by a
    person (``actor``) is recorded in the audit log as ``sdg.tags_set``.
    """
    targets = list(targets)
    municipality_id = getattr(obj, "municipality_id", None)
    foreign = [t for t in targets if t.municipality_id not in (None, municipality_id)]
    if foreign:
        raise SdgTargetError(
            _("Target %(code)s belongs to another municipality.") % {"code": foreign[0].code}
        )
    goal_ids = {goal.pk for goal in goals} | {target.goal_id for target in targets}
    target_ids = {target.pk for target in targets}
    before_goals = set(obj.sdg_goals.values_list("pk", flat=True))
    before_targets = set(obj.sdg_targets.values_list("pk", flat=True))
    if before_goals == goal_ids and before_targets == target_ids:
        return
    obj.sdg_goals.set(goal_ids)
    obj.sdg_targets.set(target_ids)
    if getattr(actor, "is_authenticated", False):
        audit_record(
            actor=actor,
            verb="sdg.tags_set",
            target=obj,
            data={
                "goals": sorted(
                    SdgGoal.objects.filter(pk__in=goal_ids).values_list("number", flat=True)
                ),
                "targets": sorted(
                    SdgTarget.objects.filter(pk__in=target_ids).values_list("code", flat=True)
                ),
            },
        )


def _titles(title: str | dict[str, str]) -> dict[str, str]:
    titles = {"lv": title} if isinstance(title, str) else dict(title)
    titles = {
        lang: (text or "").strip() for lang, text in titles.items() if lang in TITLE_LANGUAGES
    }
    if not titles.get("lv"):
        raise SdgTargetError(_("Write the target's title in Latvian."))
    return titles


def _check_code(code: str) -> SdgGoal:
    match = LOCAL_TARGET_CODE.match(code or "")
    if not match:
        raise SdgTargetError(
            _("A local target's code is the goal number, “.L” and a number, for example 11.L1.")
        )
    return SdgGoal.objects.get(number=int(match["goal"]))


def _require_admin(actor: Any, municipality: Municipality) -> None:
    if not actor or not actor.has_perm("core.manage_local_sdg_targets", municipality):
        raise PermissionDenied(_("Only administrators may manage local SDG targets."))


@transaction.atomic
def sdg_local_target_create(
    *, actor: Any, municipality: Municipality, code: str, title: str | dict[str, str]
) -> SdgTarget:
    """Add a local target such as ``11.L1`` under the goal its code names.

    ``title`` is the Latvian title or a dict of titles by language (``lv`` required).
    Raises :class:`PermissionDenied` unless ``actor`` is an administrator, and
    :class:`SdgTargetError` for a malformed or already used code.
    """
    _require_admin(actor, municipality)
    code = (code or "").strip()
    goal = _check_code(code)
    titles = _titles(title)
    target = SdgTarget(goal=goal, code=code, municipality=municipality, title=titles["lv"])
    for lang, text in titles.items():
        setattr(target, f"title_{lang}", text)
    try:
        with transaction.atomic():
            target.save()
    except IntegrityError as exc:
        raise SdgTargetError(
            _("The code %(code)s is already used in %(municipality)s.")
            % {"code": code, "municipality": municipality.name}
        ) from exc
    audit_record(
        actor=actor,
        verb="sdg.local_target_created",
        target=target,
        municipality=municipality,
        data={"code": code, "title": titles},
    )
    return target


@transaction.atomic
def sdg_local_target_update(
    *, actor: Any, target: SdgTarget, title: str | dict[str, str]
) -> SdgTarget:
    """Change a local target's title(s). UN targets cannot be changed
    (:class:`SdgTargetError`); only administrators may (:class:`PermissionDenied`)."""
    if not target.is_local:
        raise SdgTargetError(_("The UN's targets cannot be changed."))
    _require_admin(actor, target.municipality)
    titles = _titles(title)
    changed = {}
    for lang, text in titles.items():
        field = f"title_{lang}"
        if getattr(target, field) != text:
            changed[field] = {"from": getattr(target, field), "to": text}
            setattr(target, field, text)
    if changed:
        target.save()
        audit_record(
            actor=actor,
            verb="sdg.local_target_updated",
            target=target,
            municipality=target.municipality,
            data=changed,
        )
    return target


@transaction.atomic
def sdg_local_target_delete(*, actor: Any, target: SdgTarget) -> None:
    """Remove a local target (and its tags on content). UN targets cannot be removed."""
    if not target.is_local:
        raise SdgTargetError(_("The UN's targets cannot be removed."))
    municipality = target.municipality
    _require_admin(actor, municipality)
    audit_record(
        actor=actor,
        verb="sdg.local_target_deleted",
        target=target,
        municipality=municipality,
        data={"code": target.code, "title": target.title},
    )
    target.delete()
