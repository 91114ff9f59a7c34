"""Collective submissions API (public reads): ``/api/submissions/``.

Lists and shows published submissions with their public facts: status, signature count and
threshold, dates, the refusal reason or the municipality's answer. Never names of signers.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from . import selectors
from .models import PUBLIC_STATUSES, CollectiveSubmission

router = Router(tags=["collective submissions"])


class SubmissionSummaryOut(Schema):
    id: int
    title: str
    status: str
    signature_count: int
    threshold: int | None
    progress_percent: int
    signing_ends_on: dt.date | None
    answer_due_on: dt.date | None
    decision: str
    url: str

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class SubmissionOut(SubmissionSummaryOut):
    demand: str
    justification: str
    representative_name: str
    representative_email: str
    published_at: dt.datetime | None
    sent_at: dt.datetime | None
    closed_at: dt.datetime | None
    refusal_reason: str
    answered_at: dt.datetime | None
    answer: str
    answered_in_time: bool | None


class StatisticsOut(Schema):
    submitted: int
    published: int
    signing: int
    reached_threshold: int
    closed_below_threshold: int
    refused: int
    answered: int
    answered_in_time: int
    overdue: int


def _municipality(request):
    municipality = getattr(request, "municipality", None)
    if not municipality:
        raise Http404
    return getattr(municipality, "_wrapped", municipality)


@router.get("/", response=list[SubmissionSummaryOut], summary="Published collective submissions")
@paginate
def submission_list(request, status: str | None = None):
    if status and status not in PUBLIC_STATUSES:
        return CollectiveSubmission.objects.none()
    return selectors.submissions_public(municipality=_municipality(request), status=status)


@router.get("/statistics", response=StatisticsOut, summary="Counts by outcome")
def submission_statistics(request):
    return selectors.submission_statistics(municipality=_municipality(request))


@router.get("/{int:submission_id}", response=SubmissionOut, summary="One published submission")
def submission_detail(request, submission_id: int):
    return get_object_or_404(
        CollectiveSubmission,
        pk=submission_id,
        municipality=_municipality(request),
        status__in=PUBLIC_STATUSES,
    )
