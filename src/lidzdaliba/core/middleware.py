from django.utils.functional import SimpleLazyObject

from lidzdaliba.core import selectors


class MunicipalityMiddleware:
    """Sets ``request.municipality`` (lazily: pages that do not use it pay nothing)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.municipality = SimpleLazyObject(
            lambda: selectors.municipality_for_host(host=request.get_host())
        )
        return self.get_response(request)


class ApiLanguageMiddleware:
    """The API and Open311 have no language prefix: answer in the language the client asks
    for (``Accept-Language``, e.g. ``en``), not always in the default Latvian."""

    PREFIXES = ("/api/", "/open311/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(self.PREFIXES):
            from django.utils import translation

            language = translation.get_language_from_request(request, check_path=False)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


class ServerTimingMiddleware:
    """Adds ``Server-Timing: app;dur=…, db;dur=…;desc="N queries"`` to every response when
    ``settings.SERVER_TIMING`` is on (the page benchmarks read it; off by default)."""

    def __init__(self, get_response):
        from django.conf import settings

        self.enabled = getattr(settings, "SERVER_TIMING", False)
        self.get_response = get_response

    def __call__(self, request):
        if not self.enabled:
            return self.get_response(request)
        import time

        from django.db import connection

        stats = {"queries": 0, "seconds": 0.0}

        def count(execute, sql, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                stats["queries"] += 1
                stats["seconds"] += time.perf_counter() - started

        started = time.perf_counter()
        with connection.execute_wrapper(count):
            response = self.get_response(request)
        total_ms = (time.perf_counter() - started) * 1000
        response["Server-Timing"] = (
            f"app;dur={total_ms:.2f}, db;dur={stats['seconds'] * 1000:.2f};"
            f'desc="{stats["queries"]} queries"'
        )
        return response
