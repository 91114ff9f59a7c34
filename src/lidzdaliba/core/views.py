from django.db import connection
from django.db.utils import DatabaseError
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from lidzdaliba.accounts import selectors as accounts_selectors
from lidzdaliba.core import selectors
from lidzdaliba.core.models import Neighbourhood


@never_cache
@require_GET
def healthz(request):
    """200 when the app and its database answer, 503 otherwise (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _municipality(request):
    municipality = request.municipality
    if not municipality:
        raise Http404
    return municipality


def home(request):
    municipality = request.municipality or None
    neighbourhoods = (
        list(selectors.neighbourhoods_of(municipality=municipality)) if municipality else []
    )
    has_residency = request.user.is_authenticated and accounts_selectors.residency_active(
        user=request.user, municipality=municipality
    )
    return render(
        request,
        "core/home.html",
        {"neighbourhoods": neighbourhoods, "has_residency": has_residency},
    )


def _features(neighbourhoods):
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": n.boundary,
                "properties": {"name": n.name, "url": reverse("core:neighbourhood", args=[n.slug])},
            }
            for n in neighbourhoods
        ],
    }


def neighbourhood_list(request):
    municipality = _municipality(request)
    neighbourhoods = list(selectors.neighbourhoods_of(municipality=municipality))
    return render(
        request,
        "core/neighbourhood_list.html",
        {"neighbourhoods": neighbourhoods, "features": _features(neighbourhoods)},
    )


def neighbourhood_detail(request, slug):
    municipality = _municipality(request)
    neighbourhood = get_object_or_404(Neighbourhood, municipality=municipality, slug=slug)
    return render(
        request,
        "core/neighbourhood_detail.html",
        {"neighbourhood": neighbourhood, "features": _features([neighbourhood])},
    )


def sdg_goals(request):
    municipality = request.municipality or None
    goals = selectors.sdg_goals_with_targets(municipality=municipality)
    return render(request, "core/sdg_goals.html", {"goals": goals})


def accessibility_statement(request):
    return render(request, "core/accessibility.html", {"municipality": _municipality(request)})


def privacy_notice(request):
    return render(request, "core/privacy.html", {"municipality": _municipality(request)})


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the SVG icon."""
    from django.templatetags.static import static

    return HttpResponsePermanentRedirect(static("lidzdaliba/favicon.svg"))
