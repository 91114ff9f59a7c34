"""Accounts API: who am I, and authentication for every router.

``api_auth`` accepts either a bearer token (``Authorization: Bearer lp_…``, for
integrations; see ``services.api_token_create``) or the site's session (with Django's CSRF
check on unsafe methods). Other routers use it as ``Router(auth=api_auth)``.
"""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema
from ninja.security import HttpBearer, django_auth

from lidzdaliba.accounts import selectors, services


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer <key>`` with a live API token; acts as the token's user."""

    def authenticate(self, request, token):
        api_token = services.api_token_authenticate(token)
        if api_token is None:
            return None
        request.user = api_token.user
        request.api_token = api_token
        return api_token.user


api_auth = [ApiTokenAuth(), django_auth]
router = Router(tags=["accounts"], auth=api_auth)


class PlaceOut(Schema):
    slug: str
    name: str


class ResidencyOut(Schema):
    status: str  # verified | expired | revoked | unverified
    municipality: PlaceOut | None = None
    neighbourhood: PlaceOut | None = None
    method: str | None = None
    verified_at: dt.datetime | None = None
    expires_at: dt.datetime | None = None
    age_band: str | None = None
    is_adult_16: bool | None = None


class OrganisationOut(Schema):
    slug: str
    name: str
    role: str
    approved: bool


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    preferred_language: str
    neighbourhood: PlaceOut | None
    residency: ResidencyOut
    organisations: list[OrganisationOut]


def _place(obj) -> dict | None:
    return {"slug": obj.slug, "name": obj.name} if obj is not None else None


@router.get("/me", response=MeOut, summary="The signed-in account and its residency")
def me(request):
    municipality = getattr(request, "municipality", None)
    municipality = getattr(municipality, "_wrapped", municipality) if municipality else None
    user = request.auth
    summary = selectors.profile_summary(user=user, municipality=municipality)
    residency = summary["residency"]
    residency_out = {"status": summary["residency_status"]}
    if residency is not None:
        residency_out.update(
            municipality=_place(residency.municipality),
            neighbourhood=_place(residency.neighbourhood),
            method=residency.method,
            verified_at=residency.verified_at,
            expires_at=residency.expires_at,
            age_band=residency.age_band,
            is_adult_16=residency.is_adult_16,
        )
    return {
        "id": user.pk,
        "email": user.email,
        "full_name": user.full_name,
        "preferred_language": user.preferred_language,
        "neighbourhood": _place(summary["neighbourhood"]),
        "residency": residency_out,
        "organisations": [
            {
                "slug": m.organisation.slug,
                "name": m.organisation.name,
                "role": m.role,
                "approved": m.approved_at is not None,
            }
            for m in summary["memberships"]
        ],
    }
