from django.conf import settings


def platform(request):
    municipality = getattr(request, "municipality", None)
    return {
        "municipality": municipality if municipality else None,
        "default_tile_url": settings.MAP_TILE_URL,
    }
