"""The audit log page (administrators) and the notifications pages."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from lidzdaliba.core.models import AuditEvent, Notification, NotificationPreference
from lidzdaliba.core.services import audit_record
from lidzdaliba.core.services.notifications import notify
from tests.core.conftest import with_totp

pytestmark = pytest.mark.django_db

AUDIT = "/staff/audit/"


def make_events(n, *, actor=None, verb="test.happened", target=None):
    for _ in range(n):
        audit_record(actor=actor, verb=verb, target=target)


def test_the_audit_log_lists_events_for_administrators(admin_client, administrator, neighbourhood):
    # given
    audit_record(
        actor=administrator, verb="comment.hidden", target=neighbourhood, data={"reason": "x"}
    )
    # when
    response = admin_client.get(AUDIT)
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "comment.hidden" in html
    assert administrator.email in html
    assert "Karosta" in html


@pytest.mark.parametrize("who", ["resident", "moderator"])
def test_the_audit_log_is_refused_to_others(client, request, who):
    client.force_login(with_totp(request.getfixturevalue(who)))
    assert client.get(AUDIT).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(AUDIT)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_audit_log_needs_the_second_factor(client, administrator):
    client.force_login(administrator)  # no TOTP set up
    response = client.get(AUDIT)
    assert response.status_code == 302
    assert "totp" in response["Location"]


def test_filters_by_verb_actor_type_and_dates(
    admin_client, administrator, moderator, neighbourhood, municipality
):
    # given
    make_events(2, actor=moderator, verb="comment.hidden", target=neighbourhood)
    make_events(3, actor=administrator, verb="municipality.updated", target=municipality)
    old = AuditEvent.objects.filter(verb="municipality.updated").first()
    # the log is append-only, so move one event a month back with raw SQL
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET created_at = %s WHERE id = %s",
            [timezone.now() - dt.timedelta(days=30), old.pk],
        )

    def count(**params):
        return admin_client.get(AUDIT, params).context["page"].paginator.count

    # then
    assert count() == 5
    assert count(verb="comment.") == 2
    assert count(actor=moderator.email) == 2
    assert count(target_type=ContentType.objects.get_for_model(municipality).pk) == 3
    today = timezone.localdate()
    assert count(date_from=(today - dt.timedelta(days=1)).isoformat()) == 4
    assert count(date_to=(today - dt.timedelta(days=10)).isoformat()) == 1


def test_an_inverted_date_range_is_an_error(admin_client):
    response = admin_client.get(AUDIT, {"date_from": "2025-06-01", "date_to": "2025-05-01"})
    assert response.context["form"].errors["date_to"]


def test_the_audit_log_is_paginated(admin_client, administrator):
    make_events(120, actor=administrator)
    response = admin_client.get(AUDIT, {"verb": "test.", "page": 3})
    page = response.context["page"]
    assert page.number == 3
    assert len(page.object_list) == 20
    html = response.content.decode()
    assert "verb=test.&amp;page=2" in html


@pytest.mark.parametrize("events", [1, 50])
def test_the_audit_log_costs_the_same_queries_whatever_the_page_size(
    admin_client, administrator, neighbourhood, municipality, events, django_assert_max_num_queries
):
    # given: events on different object types and by different people
    for n in range(events):
        audit_record(
            actor=administrator if n % 2 else None,
            verb="x.y",
            target=neighbourhood if n % 3 else municipality,
        )
    # when / then
    with django_assert_max_num_queries(10):
        response = admin_client.get(AUDIT)
    assert len(response.context["page"].object_list) == events


def test_municipal_administrators_see_their_municipality_only(client, municipality, neighbourhood):
    from django.contrib.auth.models import Group

    from lidzdaliba.accounts import roles
    from lidzdaliba.core.models import Municipality
    from tests.factories import UserFactory

    other = Municipality.objects.create(
        slug="ventspils", name="Ventspils", map_center_lat=57.39, map_center_lon=21.56
    )
    admin = UserFactory(municipality=municipality, is_staff=True)
    admin.groups.add(Group.objects.get_or_create(name=roles.ADMINISTRATORS)[0])
    audit_record(actor=None, verb="here.happened", municipality=municipality)
    audit_record(actor=None, verb="there.happened", municipality=other)
    client.force_login(with_totp(admin))
    html = client.get(AUDIT).content.decode()
    assert "here.happened" in html
    assert "there.happened" not in html


def test_notifications_page_lists_and_marks_read(client, resident):
    # given
    notify(recipients=[resident], kind="general", title="Pirmā ziņa", url="/sdg/")
    notify(recipients=[resident], kind="general", title="Otrā ziņa")
    client.force_login(resident)
    # when
    html = client.get(reverse("core:notifications")).content.decode()
    # then
    assert "Pirmā ziņa" in html
    assert "Otrā ziņa" in html
    # when one is opened
    first = Notification.objects.get(title="Pirmā ziņa")
    response = client.post(reverse("core:notification_read", args=[first.pk]), {"open": "1"})
    # then
    assert response["Location"] == "/sdg/"
    first.refresh_from_db()
    assert first.read_at is not None
    # when all are marked read
    client.post(reverse("core:notifications_read_all"))
    assert not Notification.objects.filter(recipient=resident, read_at__isnull=True).exists()


def test_someone_elses_notification_is_404(client, resident, verified_resident):
    (row,) = notify(recipients=[resident], kind="general", title="x")
    client.force_login(verified_resident)
    assert client.post(reverse("core:notification_read", args=[row.pk])).status_code == 404
    row.refresh_from_db()
    assert row.read_at is None


def test_notification_pages_need_an_account(client):
    for name in ("core:notifications", "core:notification_preferences"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_preferences_page_saves_choices(client, resident):
    client.force_login(resident)
    html = client.get(reverse("core:notification_preferences")).content.decode()
    assert "<legend>" in html
    assert 'for="id_general:email"' in html
    # when: keep in-app for "general", drop e-mail
    response = client.post(reverse("core:notification_preferences"), {"general:in_app": "on"})
    # then
    assert response.status_code == 302
    pref = NotificationPreference.objects.get(user=resident, kind="general")
    assert (pref.in_app, pref.email) == (True, False)


def test_opening_a_notification_never_leaves_the_site(client, resident):
    (row,) = notify(recipients=[resident], kind="general", title="x", url="//evil.example/x")
    client.force_login(resident)
    response = client.post(reverse("core:notification_read", args=[row.pk]), {"open": "1"})
    assert response["Location"] == reverse("core:notifications")
