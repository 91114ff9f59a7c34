"""Open311 GeoReport v2 at /open311/v2/ (outside the language prefixes, as the standard
expects). Every resource answers in ``.json`` and ``.xml``."""

from django.urls import re_path

from . import open311_views as views

app_name = "open311"
FMT = r"\.(?P<fmt>json|xml)$"
urlpatterns = [
    re_path(r"^v2/discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^v2/services" + FMT, views.services_list, name="services"),
    re_path(r"^v2/services/(?P<code>[^/]+?)" + FMT, views.service_definition, name="service"),
    re_path(r"^v2/requests" + FMT, views.requests_view, name="requests"),
    re_path(r"^v2/requests/(?P<pk>[^/]+?)" + FMT, views.request_detail, name="request"),
    # The standard's swagger.json names this path in the singular; serve both.
    re_path(r"^v2/request/(?P<pk>[^/]+?)" + FMT, views.request_detail, name="request_singular"),
    re_path(r"^v2/tokens/(?P<token>[^/]+?)" + FMT, views.token_detail, name="token"),
]
