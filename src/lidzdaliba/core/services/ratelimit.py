"""A fixed-window counter in the shared cache, for the platform's rate limits."""

from __future__ import annotations

from django.core.cache import cache


def count_in_window(key: str, *, seconds: int) -> int:
    """Count one more event under ``key`` in the current window of ``seconds`` and return
    how many there were (this one included). Needs a cache shared by every worker (Redis
    in production) to limit across them."""
    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        return 1
