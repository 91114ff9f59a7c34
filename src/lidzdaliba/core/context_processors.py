from django.conf import settings


def platform(request):
    municipality = getattr(request, "municipality", None)
    return {
        "municipality": municipality if municipality else None,
        "default_tile_url": settings.MAP_TILE_URL,
    }


def notifications_count(request):
    """``notifications_unread``: the signed-in user's unread in-app notifications.

    Lazy: the count is queried only if a template uses it, and never for anonymous users.
    """
    from django.utils.functional import SimpleLazyObject

    from lidzdaliba.core.services.notifications import notifications_unread_count

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"notifications_unread": 0}
    return {"notifications_unread": SimpleLazyObject(lambda: notifications_unread_count(user=user))}
