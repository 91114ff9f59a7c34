"""The core admin: read-only audit log, services behind every change, audit rows."""

import json

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from lidzdaliba.core.models import (
    Attachment,
    AuditEvent,
    Comment,
    Municipality,
    Neighbourhood,
    Notification,
    SdgGoal,
    SdgTarget,
)
from lidzdaliba.core.services import audit_record
from lidzdaliba.core.services.comments import comment_post

pytestmark = pytest.mark.django_db


def form_data(response):
    """The data a browser would post back for the admin form on ``response``."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        if value is None:
            continue
        data[name] = value if isinstance(value, (list, tuple)) else str(value)
    return data


@pytest.mark.parametrize(
    "model",
    [
        Municipality,
        Neighbourhood,
        SdgGoal,
        SdgTarget,
        AuditEvent,
        Attachment,
        Comment,
        Notification,
    ],
)
def test_every_core_admin_list_opens(admin_client, municipality, model):
    url = reverse(f"admin:core_{model._meta.model_name}_changelist")
    assert admin_client.get(url).status_code == 200


def test_the_audit_log_admin_is_read_only(admin_client, administrator):
    event = audit_record(actor=administrator, verb="x.y")
    assert admin_client.get(reverse("admin:core_auditevent_add")).status_code == 403
    change = admin_client.get(reverse("admin:core_auditevent_change", args=[event.pk]))
    assert change.status_code == 200
    assert not change.context["has_change_permission"]
    response = admin_client.post(
        reverse("admin:core_auditevent_delete", args=[event.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_changing_a_municipality_is_audited(admin_client, administrator, municipality):
    # given
    url = reverse("admin:core_municipality_change", args=[municipality.pk])
    data = form_data(admin_client.get(url))
    data["name_en"] = "Liepaja City"
    data["population"] = "67000"
    # when
    response = admin_client.post(url, data)
    # then
    assert response.status_code == 302, response.context["adminform"].form.errors
    municipality.refresh_from_db()
    assert municipality.name_en == "Liepaja City"
    event = AuditEvent.objects.get(verb="municipality.updated")
    assert event.actor == administrator
    assert set(event.data) == {"name_en", "population"}


def test_a_broken_boundary_is_refused_and_nothing_changes(admin_client, neighbourhood):
    # given
    url = reverse("admin:core_neighbourhood_change", args=[neighbourhood.pk])
    data = form_data(admin_client.get(url))
    before = neighbourhood.boundary
    data["boundary"] = json.dumps({"type": "Point", "coordinates": [21.0, 56.5]})
    # when
    response = admin_client.post(url, data)
    # then
    assert response.status_code == 200
    assert "Polygon" in str(response.context["adminform"].form.errors)
    neighbourhood.refresh_from_db()
    assert neighbourhood.boundary == before
    assert not AuditEvent.objects.exists()


def test_a_neighbourhood_change_is_audited_and_the_boundary_checked(admin_client, neighbourhood):
    url = reverse("admin:core_neighbourhood_change", args=[neighbourhood.pk])
    page = admin_client.get(url)
    with translation.override("lv"):  # the admin has no language prefix: it speaks Latvian
        verdict = gettext("the point is placed in this neighbourhood.")
    assert verdict in page.content.decode()
    data = form_data(page)
    data["population"] = "5000"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.get(verb="neighbourhood.updated")
    assert "population" in event.data


def test_un_targets_cannot_be_changed_in_the_admin(admin_client):
    target = SdgTarget.objects.get(code="11.3")
    url = reverse("admin:core_sdgtarget_change", args=[target.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    response = admin_client.post(url, {"title_lv": "Cits"})
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.title_lv.startswith("Līdz 2030. gadam veicināt")


def test_a_local_target_is_added_through_the_service(admin_client, administrator, municipality):
    # when
    response = admin_client.post(
        reverse("admin:core_sdgtarget_add"),
        {
            "municipality": municipality.pk,
            "code": "11.L1",
            "title_lv": "Vietējais",
            "title_en": "Local",
        },
    )
    # then
    assert response.status_code == 302, response.context["adminform"].form.errors
    target = SdgTarget.objects.get(code="11.L1", municipality=municipality)
    assert target.goal.number == 11
    assert AuditEvent.objects.filter(verb="sdg.local_target_created", actor=administrator).exists()


def test_a_bad_local_code_is_a_form_error(admin_client, municipality):
    response = admin_client.post(
        reverse("admin:core_sdgtarget_add"),
        {"municipality": municipality.pk, "code": "11.7", "title_lv": "Vietējais"},
    )
    assert response.status_code == 200
    assert "code" in response.context["adminform"].form.errors
    assert not SdgTarget.objects.filter(municipality=municipality).exists()


def test_a_local_target_title_change_is_audited(admin_client, administrator, municipality):
    from lidzdaliba.core.services.sdg import sdg_local_target_create

    target = sdg_local_target_create(
        actor=administrator, municipality=municipality, code="4.L1", title="Vecais"
    )
    url = reverse("admin:core_sdgtarget_change", args=[target.pk])
    data = form_data(admin_client.get(url))
    data["title_lv"] = "Jaunais"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    target.refresh_from_db()
    assert target.title_lv == "Jaunais"
    assert AuditEvent.objects.filter(verb="sdg.local_target_updated").count() == 1


def test_the_hide_action_needs_a_reason_and_is_audited(
    admin_client, administrator, resident, commentable
):
    comment = comment_post(actor=resident, target=commentable, body="Teksts")
    url = reverse("admin:core_comment_changelist")
    # without a reason: nothing happens
    admin_client.post(
        url, {"action": "hide_with_reason", "_selected_action": [comment.pk], "reason": ""}
    )
    comment.refresh_from_db()
    assert not comment.is_hidden
    # with a reason
    admin_client.post(
        url, {"action": "hide_with_reason", "_selected_action": [comment.pk], "reason": "Spams"}
    )
    comment.refresh_from_db()
    assert comment.hidden_reason == "Spams"
    assert AuditEvent.objects.filter(verb="comment.hidden", actor=administrator).count() == 1
    # and back
    admin_client.post(url, {"action": "unhide", "_selected_action": [comment.pk]})
    comment.refresh_from_db()
    assert not comment.is_hidden


def test_comments_cannot_be_deleted_in_the_admin(admin_client, resident, commentable):
    comment = comment_post(actor=resident, target=commentable, body="Teksts")
    response = admin_client.post(
        reverse("admin:core_comment_delete", args=[comment.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Comment.objects.filter(pk=comment.pk).exists()


@pytest.mark.parametrize("languages", ['["lv", "xx"]', '{"lv": 1}', '"lv"'])
def test_municipality_languages_must_be_known_codes(admin_client, municipality, languages):
    url = reverse("admin:core_municipality_change", args=[municipality.pk])
    data = form_data(admin_client.get(url))
    data["languages"] = languages
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "languages" in response.context["adminform"].form.errors
    assert not AuditEvent.objects.exists()
