"""Reads shared by pages and the API."""

from django.db.models import QuerySet

from lidzdaliba.core.models import Municipality, Neighbourhood, SdgGoal


def municipality_for_host(*, host: str) -> Municipality | None:
    """The municipality served on ``host``, else the default one (empty domain), else any."""
    host = host.split(":")[0].lower()
    candidates = list(Municipality.objects.filter(domain__in=[host, ""]).order_by("-domain")[:1])
    if candidates:
        return candidates[0]
    return Municipality.objects.order_by("pk").first()


def neighbourhoods_of(*, municipality: Municipality) -> QuerySet[Neighbourhood]:
    return Neighbourhood.objects.filter(municipality=municipality).order_by("name")


def sdg_goals_with_targets(*, municipality: Municipality | None = None) -> QuerySet[SdgGoal]:
    """All 17 goals with their UN targets and this municipality's local targets."""
    from django.db.models import Prefetch, Q

    from lidzdaliba.core.models import SdgTarget

    targets = SdgTarget.objects.filter(Q(municipality__isnull=True) | Q(municipality=municipality))
    return SdgGoal.objects.prefetch_related(Prefetch("targets", queryset=targets))
