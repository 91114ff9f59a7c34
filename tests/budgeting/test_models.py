import pytest
from django.db import IntegrityError, transaction

from lidzdaliba.budgeting.models import Ballot, Idea, IdeaStatus

pytestmark = pytest.mark.django_db


def test_one_ballot_per_identity_key_and_cycle(voting_cycle):
    Ballot.objects.create(
        cycle=voting_cycle, identity_key="k" * 64, receipt_code="A", public_id="a"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(
            cycle=voting_cycle, identity_key="k" * 64, receipt_code="B", public_id="b"
        )
    assert Ballot.objects.count() == 1


def test_a_rejected_idea_needs_a_public_reason(voting_cycle):
    idea = voting_cycle.ideas.first()
    Idea.objects.filter(pk=idea.pk).update(status=IdeaStatus.SUBMITTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Idea.objects.filter(pk=idea.pk).update(status=IdeaStatus.REJECTED, decision_reason="")


def test_factories_build_a_liepaja_shaped_cycle(voting_cycle):
    assert voting_cycle.categories.count() == 2
    assert voting_cycle.ideas.filter(status=IdeaStatus.ADMITTED).count() == 7
    assert voting_cycle.ideas.first().project_id == str(voting_cycle.ideas.first().pk)
