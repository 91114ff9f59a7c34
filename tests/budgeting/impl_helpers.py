"""Builders for the implementation tests: a counted cycle with funded projects."""

from __future__ import annotations

import io
import itertools

from PIL import Image

from lidzdaliba.budgeting.models import (
    Ballot,
    BallotChoice,
    CycleStatus,
    ProjectResult,
    Tally,
)

from .factories import make_ballot_projects, make_cycle

_serial = itertools.count(1)


def make_counted_cycle(municipality, *, slug="pb-counted"):
    """A cycle in its results phase: infrastructure projects of 40 000, 60 000 and 90 000 €
    (the first two funded) and events of 10 000 and 20 000 € (the first funded)."""
    cycle = make_cycle(municipality, status=CycleStatus.RESULTS, slug=slug)
    projects = make_ballot_projects(
        cycle, {"infrastruktura": [40_000, 60_000, 90_000], "pasakumi": [10_000, 20_000]}
    )
    funded = {
        "infrastruktura": [True, True, False],
        "pasakumi": [True, False],
    }
    for slug_, ideas in projects.items():
        category = cycle.categories.get(slug=slug_)
        tally = Tally.objects.create(
            cycle=cycle,
            category=category,
            status=Tally.Status.DONE,
            rule="greedy",
            budget_cents=category.budget_cents,
            winners=[i.project_id for i, won in zip(ideas, funded[slug_], strict=False) if won],
        )
        for votes, (idea, won) in zip(
            (30, 20, 10), zip(ideas, funded[slug_], strict=True), strict=False
        ):
            ProjectResult.objects.create(
                tally=tally,
                idea=idea,
                votes=votes,
                selected=won,
                reason="funded" if won else "no-money",
            )
    return cycle, projects


def cast_ballot(cycle, idea, voter=None):
    n = next(_serial)
    ballot = Ballot.objects.create(
        cycle=cycle,
        identity_key=f"{n:064x}",
        voter=voter,
        receipt_code=f"R{n:010d}",
        public_id=f"p{n:010d}",
    )
    BallotChoice.objects.create(ballot=ballot, category=idea.category, idea=idea)
    return ballot


def photo_upload(name="works.jpg", *, exif=True):
    """A small JPEG with an EXIF tag (GPS-like data stands in for metadata to strip)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    image = Image.new("RGB", (64, 48), (30, 120, 60))
    buffer = io.BytesIO()
    if exif:
        tags = Image.Exif()
        tags[0x010F] = "PhoneMaker"  # Make
        tags[0x0110] = "SecretPhone"  # Model
        image.save(buffer, "JPEG", exif=tags.tobytes())
    else:
        image.save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
