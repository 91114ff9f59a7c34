"""Rendered fragments of the public budget pages that are the same for every visitor.

Rendering a list of ideas, a results table or the statistics costs tens of milliseconds;
their content changes only when the budget's data changes. Every save or delete of a budget
model (but ballots: voting must stay cheap, and the pages that show ballots put a time
bucket in their key) gives the cache a new *generation*; a page's key joins the generation,
the language and what the page itself read cheaply (the cycle's status, the tallies'
state…), so writes that bypass signals (``QuerySet.update``) still change the key where it
matters; the generation changes again when the writing transaction commits. Entries expire
after ``FRAGMENT_SECONDS`` in any case.

Nothing per visitor (login state, CSRF tokens, ballots) may go inside a cached fragment.
"""

from __future__ import annotations

import functools
import hashlib
import uuid
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone, translation

GENERATION_KEY = "budgeting:pages:generation"
FRAGMENT_SECONDS = 600
# Ballots are written at hundreds per second while voting; they do not bump the generation.
_NOT_TRACKED = {"ballot", "ballotchoice"}


def _new_generation() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def budget_changed(**_kwargs) -> None:
    """A new generation now, and again when the transaction commits: a page that another
    request renders from the old data before the commit must not keep its fragment."""
    _new_generation()
    connection = transaction.get_connection()
    if connection.in_atomic_block and not any(
        callback is _new_generation for _sids, callback, _robust in connection.run_on_commit
    ):
        transaction.on_commit(_new_generation, robust=True)


def generation() -> str:
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = uuid.uuid4().hex
        cache.add(GENERATION_KEY, value, None)
        value = cache.get(GENERATION_KEY, value)
    return value


def minute(now=None) -> str:
    """A time bucket for fragments that follow the clock or the ballots."""
    return timezone.localtime(now or timezone.now()).strftime("%Y%m%d%H%M")


def fragment_key(name: str, *parts: Any) -> str:
    """The key of fragment ``name`` for ``parts``, in the current language and generation."""
    material = (name, translation.get_language(), generation(), parts)
    return f"budgeting:{name}:" + hashlib.sha256(repr(material).encode()).hexdigest()


def lazy(function: Callable[[], Any]) -> Callable[[], Any]:
    """A callable that computes ``function()`` once, when a template first asks for it, so
    a cached fragment costs no query."""
    return functools.cache(function)


SCHEDULE_SECONDS = 60


def schedule_check(*, municipality, advance: Callable[..., Any]) -> None:
    """Call ``advance(municipality=…)`` (the due-cycle check of the public pages) only when
    a phase date has passed: the next date is remembered until the budget data changes
    (one query then). Dates changed without a signal are seen within a minute."""
    from .selectors.cycles import phase_dates

    key = f"budgeting:schedule:{municipality.pk}:{generation()}"
    now = timezone.now()
    next_at = cache.get(key)
    if next_at is not None and (next_at == "never" or now < next_at):
        return
    dates = phase_dates(municipality=municipality)
    if any(when <= now for when in dates):
        advance(municipality=municipality)
    upcoming = [when for when in dates if when > now]
    cache.set(key, min(upcoming) if upcoming else "never", SCHEDULE_SECONDS)


def _m2m_changed(sender, **kwargs) -> None:
    if sender._meta.app_label == "budgeting" or kwargs["model"]._meta.app_label == "budgeting":
        budget_changed()


def connect_signals() -> None:
    for model in apps.get_app_config("budgeting").get_models():
        if model._meta.model_name in _NOT_TRACKED:
            continue
        post_save.connect(budget_changed, sender=model, dispatch_uid=f"pb-save-{model}")
        post_delete.connect(budget_changed, sender=model, dispatch_uid=f"pb-del-{model}")
    neighbourhood = apps.get_model("core", "Neighbourhood")
    post_save.connect(budget_changed, sender=neighbourhood, dispatch_uid="pb-save-nbh")
    m2m_changed.connect(_m2m_changed, dispatch_uid="pb-m2m")


connect_signals()
