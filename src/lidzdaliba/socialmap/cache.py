"""The directory's results are rendered once per minute and filter choice, not per request.

Rendering every service card with its opening hours costs tens of milliseconds; the cards
change only when the directory data changes (then ``directory_changed`` gives the cache a
new generation) or when the minute changes (the "open now" badges).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import astuple

from django.apps import apps
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone, translation

GENERATION_KEY = "socialmap:directory:generation"
RESULTS_SECONDS = 120


def directory_changed(**_kwargs) -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def results_key(*, municipality, filters, now=None) -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        cache.add(GENERATION_KEY, generation, None)
        generation = cache.get(GENERATION_KEY, generation)
    minute = timezone.localtime(now or timezone.now()).strftime("%Y%m%d%H%M")
    parts = (municipality.pk, translation.get_language(), minute, generation, astuple(filters))
    return "socialmap:results:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def connect_signals() -> None:
    for model in apps.get_app_config("socialmap").get_models():
        post_save.connect(directory_changed, sender=model, dispatch_uid=f"sm-save-{model}")
        post_delete.connect(directory_changed, sender=model, dispatch_uid=f"sm-del-{model}")
    m2m_changed.connect(directory_changed, dispatch_uid="sm-m2m")
