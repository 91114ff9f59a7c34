"""The Liepāja demo reports: realistic spread, loaded once."""

import datetime as dt

from django.utils import timezone

from lidzdaliba.reports.demo import load_reports_demo
from lidzdaliba.reports.models import Report, Status


def test_demo_reports_cover_categories_neighbourhoods_and_statuses(municipality):
    # when
    created = load_reports_demo(municipality)
    again = load_reports_demo(municipality)
    # then
    assert created >= 300
    assert again == 0
    reports = Report.objects.filter(municipality=municipality)
    assert reports.count() == created
    assert set(reports.values_list("status", flat=True)) == set(Status.values)
    assert reports.filter(category__code="accessibility").count() >= 20
    assert reports.values("category").distinct().count() == 10
    assert reports.values("neighbourhood").distinct().count() == 9
    oldest = reports.order_by("created_at").first().created_at
    assert timezone.now() - oldest > dt.timedelta(days=300)
    assert not reports.filter(resolved_at__lt=models_created_at()).exists()


def models_created_at():
    from django.db.models import F

    return F("created_at")
