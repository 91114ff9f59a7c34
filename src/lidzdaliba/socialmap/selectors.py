"""Reads shared by the social-map pages, the print directory and the HSDS API. Each list is
a fixed number of queries whatever the number of services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from lidzdaliba.core.models import Neighbourhood

from .models import ChangeRequest, Location, Need, OutdatedReport, Provider, Schedule, Service

PUBLIC_STATUSES = (Service.Status.ACTIVE, Service.Status.TEMPORARILY_CLOSED)


@dataclass
class Filters:
    """What a person looks for; empty values do not filter."""

    q: str = ""
    need: str = ""
    neighbourhood: str = ""
    language: str = ""
    open_now: bool = False
    free: bool = False
    accessible: bool = False

    @property
    def active(self) -> bool:
        return any(
            (
                self.q,
                self.need,
                self.neighbourhood,
                self.language,
                self.open_now,
                self.free,
                self.accessible,
            )
        )


def needs_of(*, municipality: Any) -> list[Need]:
    """The municipality's needs in their display order (one query)."""
    return list(Need.objects.filter(municipality=municipality))


def neighbourhoods_of(*, municipality: Any) -> list[Neighbourhood]:
    return list(Neighbourhood.objects.filter(municipality=municipality).only("pk", "slug", "name"))


def _with_details(queryset: QuerySet[Service]) -> QuerySet[Service]:
    return queryset.select_related("provider").prefetch_related(
        "needs",
        Prefetch(
            "locations",
            # The boundary is a large JSON polygon: never load it for a list.
            queryset=Location.objects.select_related("neighbourhood").defer(
                "neighbourhood__boundary"
            ),
        ),
        "schedules",
    )


def services_public(*, municipality: Any) -> QuerySet[Service]:
    """Published services of the municipality (not inactive or defunct), with everything a
    list shows prefetched (5 queries when evaluated)."""
    return _with_details(
        Service.objects.filter(municipality=municipality, status__in=PUBLIC_STATUSES)
    )


def services_search(
    *, municipality: Any, filters: Filters, now: dt.datetime | None = None
) -> list[Service]:
    """Services matching ``filters``, by name. "Open now" uses the local time ``now``."""
    queryset = services_public(municipality=municipality)
    if filters.q:
        words = filters.q.split()[:8]
        for word in words:
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(name_lv__icontains=word)
                | Q(description__icontains=word)
                | Q(provider__name__icontains=word)
                | Q(needs__name__icontains=word)
            )
        queryset = queryset.distinct()
    if filters.need:
        queryset = queryset.filter(
            Exists(
                Service.needs.through.objects.filter(
                    service=OuterRef("pk"), need__slug=filters.need
                )
            )
        )
    if filters.neighbourhood:
        queryset = queryset.filter(
            Exists(
                Service.locations.through.objects.filter(
                    service=OuterRef("pk"), location__neighbourhood__slug=filters.neighbourhood
                )
            )
        )
    if filters.accessible:
        queryset = queryset.filter(
            Exists(
                Service.locations.through.objects.filter(
                    service=OuterRef("pk"), location__step_free=True
                )
            )
        )
    if filters.language:
        queryset = queryset.filter(languages__contains=filters.language)
    if filters.free:
        queryset = queryset.filter(is_free=True)
    if filters.open_now:
        local = timezone.localtime(now or timezone.now())
        queryset = queryset.filter(status=Service.Status.ACTIVE).filter(
            Exists(
                Schedule.objects.filter(
                    service=OuterRef("pk"),
                    weekday=local.weekday(),
                    opens_at__lte=local.time(),
                    closes_at__gt=local.time(),
                )
            )
        )
    return list(queryset.order_by("name"))


def service_for_page(*, municipality: Any, pk: Any) -> Service:
    """One public service with its details (``Service.DoesNotExist`` if not public)."""
    return services_public(municipality=municipality).get(pk=pk)


def service_history(*, service: Service) -> list[ChangeRequest]:
    """The approved changes of a service, newest first (its public change history)."""
    return list(
        ChangeRequest.objects.filter(service=service, status=ChangeRequest.Status.APPROVED)
        .order_by("-decided_at")
        .select_related("organisation")
    )


def map_features(services: list[Service]) -> dict:
    """A GeoJSON FeatureCollection: one point per location, naming its services."""
    places: dict[Any, dict] = {}
    for service in services:
        for location in service.location_list:
            feature = places.setdefault(
                location.pk,
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "Point",
                        "coordinates": [float(location.longitude), float(location.latitude)],
                    },
                    "properties": {"name": str(location), "services": []},
                },
            )
            feature["properties"]["services"].append(
                {
                    "name": service.name,
                    "url": reverse("socialmap:service", args=[service.pk]),
                }
            )
    features = list(places.values())
    for feature in features:
        first = feature["properties"]["services"][0]
        feature["properties"]["url"] = first["url"]
        names = [s["name"] for s in feature["properties"]["services"]]
        feature["properties"]["name"] = f"{feature['properties']['name']}: " + "; ".join(names)
    return {"type": "FeatureCollection", "features": features}


@dataclass
class PrintGroup:
    need: Need
    neighbourhoods: list[tuple[Neighbourhood, list[Service]]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(services) for _n, services in self.neighbourhoods)


def directory_for_print(
    *, municipality: Any, need: str = "", neighbourhood: str = ""
) -> list[PrintGroup]:
    """The directory grouped by need, then by neighbourhood (a service is listed under each
    of its needs and each neighbourhood it is in). Fixed number of queries."""
    services = services_search(
        municipality=municipality, filters=Filters(need=need, neighbourhood=neighbourhood)
    )
    groups = []
    for need_row in needs_of(municipality=municipality):
        if need and need_row.slug != need:
            continue
        by_place: dict[Any, tuple[Neighbourhood, list[Service]]] = {}
        for service in services:
            if not any(n.pk == need_row.pk for n in service.need_list):
                continue
            for location in service.location_list:
                if neighbourhood and location.neighbourhood.slug != neighbourhood:
                    continue
                entry = by_place.setdefault(location.neighbourhood_id, (location.neighbourhood, []))
                if service not in entry[1]:
                    entry[1].append(service)
        if by_place:
            ordered = sorted(by_place.values(), key=lambda item: item[0].name)
            groups.append(PrintGroup(need=need_row, neighbourhoods=ordered))
    return groups


def changes_pending(*, municipality: Any) -> list[ChangeRequest]:
    return list(
        ChangeRequest.objects.filter(municipality=municipality, status=ChangeRequest.Status.PENDING)
        .select_related("organisation", "service", "submitted_by")
        .order_by("submitted_at")
    )


def reports_open(*, municipality: Any) -> list[OutdatedReport]:
    return list(
        OutdatedReport.objects.filter(service__municipality=municipality, resolved_at__isnull=True)
        .select_related("service", "service__provider")
        .order_by("created_at")
    )


def organisations_represented(*, user: Any) -> list[Any]:
    """Organisations ``user`` is an approved representative of, each with
    ``socialmap_entry`` (its provider or ``None``), ``entry_services`` and ``open_changes``."""
    from lidzdaliba.accounts.models import Organisation, OrganisationMembership

    if not getattr(user, "is_authenticated", False):
        return []
    organisations = list(
        Organisation.objects.filter(
            organisationmembership__user=user,
            organisationmembership__role=OrganisationMembership.Role.REPRESENTATIVE,
            organisationmembership__approved_at__isnull=False,
        ).order_by("name")
    )
    providers = {
        p.organisation_id: p
        for p in Provider.objects.filter(organisation__in=organisations).prefetch_related(
            Prefetch("services", queryset=Service.objects.order_by("name"))
        )
    }
    pending = {}
    for change in ChangeRequest.objects.filter(organisation__in=organisations).order_by(
        "-submitted_at"
    )[:200]:
        pending.setdefault(change.organisation_id, []).append(change)
    for organisation in organisations:
        organisation.socialmap_entry = providers.get(organisation.pk)
        organisation.entry_services = (
            list(organisation.socialmap_entry.services.all())
            if organisation.socialmap_entry
            else []
        )
        organisation.recent_changes = pending.get(organisation.pk, [])[:10]
    return organisations


def provider_duplicate_candidates(*, municipality: Any) -> list[tuple[Provider, Provider]]:
    """Pairs of organisations that look like the same one (same name ignoring case and
    punctuation, same phone or same e-mail); the older entry first. One query."""
    import re

    providers = list(
        Provider.objects.filter(municipality=municipality)
        .only("id", "name_lv", "name", "phone", "email", "organisation_id", "updated_at")
        .order_by("updated_at")
    )
    seen: dict[tuple[str, str], Provider] = {}
    pairs: list[tuple[Provider, Provider]] = []
    for provider in providers:
        keys = [("name", re.sub(r"\W+", "", (provider.name_lv or "").lower()))]
        if provider.phone:
            keys.append(("phone", provider.phone))
        if provider.email:
            keys.append(("email", provider.email.lower()))
        for key in keys:
            if not key[1]:
                continue
            first = seen.setdefault(key, provider)
            if first.pk != provider.pk and (first, provider) not in pairs:
                pairs.append((first, provider))
    return pairs
