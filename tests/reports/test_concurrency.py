"""Supporting at the same moment: every support is counted once, a repeat is refused."""

import threading

import pytest
from django.db import connection

from lidzdaliba.reports import services
from lidzdaliba.reports.models import Report, Supporter


@pytest.mark.django_db(transaction=True)
def test_simultaneous_supports_are_all_counted_and_duplicates_refused(make_report, anonymous):
    if connection.vendor == "sqlite":
        pytest.skip("the in-memory SQLite test database locks whole tables across threads")
    # given an open report
    report = make_report()
    emails = [f"p{i}@example.lv" for i in range(6)] + ["same@example.lv"] * 4
    outcomes = []
    barrier = threading.Barrier(len(emails))

    def support(email):
        try:
            barrier.wait()
            services.report_support(
                actor=anonymous, report=Report.objects.get(pk=report.pk), email=email
            )
            outcomes.append("ok")
        except services.ReportRejected:
            outcomes.append("refused")
        finally:
            connection.close()

    # when ten people support at once (four of them with the same address)
    threads = [threading.Thread(target=support, args=(e,)) for e in emails]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then
    report.refresh_from_db()
    assert outcomes.count("ok") == 7
    assert outcomes.count("refused") == 3
    assert report.support_count == 7
    assert Supporter.objects.filter(report=report).count() == 7
