"""The whole social map of a municipality as the HSDS tabular datapackage."""

from __future__ import annotations

from typing import Any

from hsds_profile import tabular

from . import hsds, selectors
from .models import ChangeRequest, Need, Provider


def directory_tables(*, municipality: Any) -> dict[str, list[dict]]:
    """Rows per HSDS table for every public service and every organisation."""
    found = list(selectors.services_public(municipality=municipality).order_by("id"))
    changes: dict = {}
    for change in (
        ChangeRequest.objects.filter(service__in=found, status=ChangeRequest.Status.APPROVED)
        .select_related("organisation")
        .order_by("decided_at")
    ):
        changes.setdefault(change.service_id, []).append(change)
    providers = Provider.objects.filter(municipality=municipality).prefetch_related(
        "locations__neighbourhood"
    )
    return tabular.tables_from(
        organizations=[hsds.organization_json(p) for p in providers.order_by("id")],
        services=[hsds.service_json(s, changes=changes.get(s.pk)) for s in found],
        taxonomies=[hsds.taxonomy_json(municipality)],
        taxonomy_terms=[
            hsds.term_json(n)
            for n in Need.objects.filter(municipality=municipality).select_related("municipality")
        ],
    )


def datapackage_zip(*, municipality: Any) -> bytes:
    return tabular.zip_bytes(directory_tables(municipality=municipality))
