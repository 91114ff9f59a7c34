"""The ideas part of "download my data" and of account deletion."""

import pytest

from lidzdaliba.accounts import gdpr as accounts_gdpr
from lidzdaliba.budgeting.gdpr import ideas_erase, ideas_of, register_ideas_gdpr
from lidzdaliba.budgeting.models import Idea, IdeaStatus
from lidzdaliba.budgeting.services import ideas as services

pytestmark = pytest.mark.django_db


def test_the_export_lists_ideas_drafts_and_follows(
    submission_cycle, verified_resident, voter_factory, idea_factory
):
    other = voter_factory()[0]
    draft = idea_factory(verified_resident, submission_cycle, submit=False, title="Draft one")
    theirs = idea_factory(other, submission_cycle, title="Their idea")
    services.idea_update(actor=other, idea=theirs, coauthor_emails=[verified_resident.email])
    services.idea_follow(actor=verified_resident, idea=theirs)
    data = ideas_of(verified_resident)
    roles = {i["title"]: i["role"] for i in data["ideas"]}
    assert roles == {"Draft one": "author", "Their idea": "co-author"}
    assert data["ideas"][0]["cost_lines"] == [{"item": "Benches", "amount_cents": 150_000}]
    assert data["following"][0]["idea"] == "Their idea"
    assert draft.pk


def test_registered_with_the_account_export(verified_resident):
    register_ideas_gdpr()
    assert "budget_ideas" in accounts_gdpr.sections()
    assert "budget_ideas" in accounts_gdpr.collect(verified_resident)


def test_erasing_deletes_drafts_and_keeps_submitted_ideas_without_the_name(
    submission_cycle, verified_resident, voter_factory, idea_factory
):
    draft = idea_factory(verified_resident, submission_cycle, submit=False)
    submitted = idea_factory(verified_resident, submission_cycle)
    other_idea = idea_factory(voter_factory()[0], submission_cycle)
    services.idea_follow(actor=verified_resident, idea=other_idea)
    ideas_erase(user=verified_resident)
    assert not Idea.objects.filter(pk=draft.pk).exists()
    submitted.refresh_from_db()
    other_idea.refresh_from_db()
    assert submitted.status == IdeaStatus.SUBMITTED
    assert verified_resident.full_name not in submitted.author_name
    assert other_idea.follower_count == 0
