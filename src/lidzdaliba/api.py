"""The platform's HTTP API (django-ninja): session auth for the site, tokens for integrations.

OpenAPI documentation is served at ``/api/docs``.
"""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Līdzdalība API",
    version="1",
    urls_namespace="api",
    description="Participation platform API. Errors are JSON objects with a `detail` field.",
)
