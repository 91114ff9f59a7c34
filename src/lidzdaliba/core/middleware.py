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
