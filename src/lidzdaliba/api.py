"""The platform's HTTP API (django-ninja): session auth for the site, tokens for integrations.

OpenAPI documentation is served at ``/api/docs``. Routers that need a signed-in caller use
``lidzdaliba.accounts.api.api_auth`` (bearer token or session). Every error body is
``{"detail": "<translated message>"}`` (422 adds ``"errors"``).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from lidzdaliba.accounts.api import router as accounts_router
from lidzdaliba.budgeting.api import router as budgeting_router
from lidzdaliba.core.api import router as core_router
from lidzdaliba.petitions.api import router as petitions_router
from lidzdaliba.reports.api import router as reports_router
from lidzdaliba.socialmap.api import router as socialmap_router

api = NinjaAPI(
    title="Līdzdalība API",
    version="1",
    urls_namespace="api",
    description="Participation platform API. Errors are JSON objects with a `detail` field.",
)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    detail = _("Log in, or send an API token as “Authorization: Bearer …”.")
    return api.create_response(request, {"detail": detail}, status=401)


@api.exception_handler(AuthorizationError)
@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    detail = _("You may not do this.")
    return api.create_response(request, {"detail": detail}, status=403)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    body = {"detail": _("The request is not valid."), "errors": exc.errors}
    return api.create_response(request, body, status=422)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


api.add_router("/accounts/", accounts_router)
api.add_router("/places/", core_router)
api.add_router("/submissions/", petitions_router)
api.add_router("/hsds/", socialmap_router)
api.add_router("/reports/", reports_router)
api.add_router("/pb/", budgeting_router)
