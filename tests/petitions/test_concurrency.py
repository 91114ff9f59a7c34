"""Concurrent signing on PostgreSQL, with real threads and connections: two clicks make one
signature, and reaching the threshold sends the submission exactly once."""

import threading

import pytest
from django.db import connection, connections
from django.utils import translation

from lidzdaliba.core.models import AuditEvent
from lidzdaliba.petitions.models import Signature, Status

from .conftest import reload, sign

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite serialises)"
    ),
]


def run_together(calls):
    """Run the callables at the same moment in their own threads and connections; return
    each one's result or exception."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            with translation.override("en"):  # a new thread starts in the default language
                results[index] = call()
        except Exception as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_clicks_make_one_signature(signing, signer_factory):
    # given
    user, code = signer_factory()
    # when the same person signs twice at the same moment
    results = run_together([lambda: sign(signing, user, code)] * 2)
    # then one signature counts, the other click is refused with a message
    assert Signature.objects.filter(submission=signing).count() == 1
    assert reload(signing).signature_count == 1
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1
    assert "already signed" in str(errors[0])


def test_two_accounts_of_one_person_at_once_make_one_signature(signing, signer_factory):
    first, code = signer_factory()
    second, _ = signer_factory(code=code)
    run_together([lambda: sign(signing, first, code), lambda: sign(signing, second, code)])
    assert Signature.objects.filter(submission=signing).count() == 1
    assert reload(signing).signature_count == 1


def test_reaching_the_threshold_sends_exactly_once(signing, signer_factory):
    # given a threshold of 3 and six people signing at the same moment
    people = [signer_factory() for _ in range(6)]
    # when
    results = run_together(
        [lambda user=user, code=code: sign(signing, user, code) for user, code in people]
    )
    # then exactly three signed, it was sent once, the others were told it closed
    submission = reload(signing)
    assert submission.status == Status.SENT
    assert submission.signature_count == 3
    assert Signature.objects.filter(submission=signing).count() == 3
    assert AuditEvent.objects.filter(verb="petition.sent", target_id=str(signing.pk)).count() == 1
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 3
    assert all("not collecting" in str(r) for r in refused)
