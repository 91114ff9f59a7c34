"""Report services: submitting, supporting, handling, merging, hiding, the follow-up."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone
from PIL import Image

from lidzdaliba.core.models import Attachment, AuditEvent, Notification
from lidzdaliba.core.services import attachments_of
from lidzdaliba.reports import services
from lidzdaliba.reports.models import Report, ReportEvent, Status, Supporter
from lidzdaliba.reports.selectors import report_statistics, reports_nearby

from .conftest import AT_SEA, KAROSTA, jpeg_with_gps


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def snapshot():
    return (
        Report.objects.count(),
        Attachment.objects.count(),
        ReportEvent.objects.count(),
        AuditEvent.objects.filter(verb__startswith="report").count(),
    )


# --- submitting ----------------------------------------------------------------------------


def test_anonymous_report_is_routed_with_neighbourhood_and_due_date(make_report, categories):
    # when
    report = make_report(category="pothole", answers={"size": "large"}, email="a@example.lv")
    # then
    assert report.neighbourhood.slug == "karosta"
    assert report.department.slug == "roads"
    assert report.status == Status.RECEIVED
    assert report.reporter is None
    assert report.reporter_email == "a@example.lv"
    assert report.due_at - report.created_at == pytest.approx(
        dt.timedelta(days=14), abs=dt.timedelta(seconds=5)
    )
    assert report.events.get().kind == ReportEvent.Kind.CREATED
    assert AuditEvent.objects.filter(verb="report.submitted", target_id=str(report.pk)).exists()


def test_routing_rule_for_category_and_neighbourhood_wins(make_report):
    karosta_waste = make_report(category="waste")
    other_waste = make_report(category="waste", lat=56.52, lon=21.03)
    assert karosta_waste.department.slug == "karosta-management"
    assert other_waste.department.slug == "environment"


def test_anonymous_reporter_gets_a_receipt_by_email(
    make_report, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = make_report(email="kv@example.lv")
    (receipt,) = [m for m in mail.outbox if m.to == ["kv@example.lv"]]
    assert f"#{report.pk}" in receipt.subject
    assert f"/reports/{report.pk}/" in receipt.body


def test_signed_in_reporter_is_linked(make_report, resident):
    report = make_report(actor=resident)
    assert report.reporter == resident
    assert report.reporter_email == resident.email


@pytest.mark.parametrize(
    ("_case", "kwargs", "field"),
    [
        ("pin outside the municipality", {"lat": AT_SEA[0], "lon": AT_SEA[1]}, "location"),
        ("empty description", {"description": "   "}, "description"),
        ("too long description", {"description": "x" * 4001}, "description"),
        ("required answer missing", {"category": "pothole"}, "q_size"),
        ("answer not offered", {"category": "pothole", "answers": {"size": "huge"}}, "q_size"),
        (
            "two answers to a one-answer question",
            {"category": "pothole", "answers": {"size": ["small", "large"]}},
            "q_size",
        ),
    ],
)
def test_bad_reports_are_refused_and_nothing_is_stored(make_report, _case, kwargs, field):
    # given
    before = snapshot()
    # when
    with pytest.raises(services.ReportRejected) as raised:
        make_report(**kwargs)
    # then
    assert raised.value.field == field
    assert raised.value.message
    assert snapshot() == before


def test_outside_message_names_the_municipality(make_report, municipality):
    with pytest.raises(services.ReportRejected) as raised:
        make_report(lat=AT_SEA[0], lon=AT_SEA[1])
    assert municipality.name in raised.value.message


def test_html_in_description_is_stored_as_plain_text(make_report):
    report = make_report(description='<script>alert("x")</script><b>bedre</b>')
    assert report.description == '<script>alert("x")</script><b>bedre</b>'


def test_photos_are_stored_without_exif_or_gps(make_report):
    # given a JPEG with a GPS block
    raw = jpeg_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif().get(0x8825)
    upload = SimpleUploadedFile("IMG_0001.jpg", raw, content_type="image/jpeg")
    # when an anonymous reporter sends it
    report = make_report(photos=[upload])
    # then it is stored without any EXIF
    (photo,) = attachments_of(target=report)
    stored = Image.open(photo.file.open("rb"))
    assert not stored.getexif()
    assert photo.uploaded_by is None
    assert photo.kind == Attachment.Kind.IMAGE


def test_signed_in_reporter_photos_go_through_core_attachments(make_report, resident):
    upload = SimpleUploadedFile("a.jpg", jpeg_with_gps(), content_type="image/jpeg")
    report = make_report(actor=resident, photos=[upload])
    (photo,) = attachments_of(target=report)
    assert photo.uploaded_by == resident
    assert AuditEvent.objects.filter(verb="attachment.added").exists()


@override_settings(ATTACHMENT_MAX_BYTES=10 * 1024 * 1024)
def test_a_30_mb_photo_is_refused_and_nothing_is_stored(make_report):
    # given
    before = snapshot()
    big = SimpleUploadedFile("huge.jpg", b"\xff\xd8\xff" + b"0" * (30 * 1024 * 1024))
    # when
    with pytest.raises(services.ReportRejected) as raised:
        make_report(photos=[big])
    # then
    assert "huge.jpg" in raised.value.message
    assert "10" in raised.value.message
    assert snapshot() == before


def test_a_renamed_executable_is_refused_and_nothing_is_stored(make_report):
    before = snapshot()
    exe = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 2000, "image/jpeg")
    with pytest.raises(services.ReportRejected) as raised:
        make_report(photos=[SimpleUploadedFile("ok.jpg", jpeg_with_gps()), exe])
    assert "photo.jpg" in raised.value.message
    assert snapshot() == before


def test_a_pdf_is_not_a_photo(make_report):
    pdf = SimpleUploadedFile("doc.jpg", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
    with pytest.raises(services.ReportRejected):
        make_report(photos=[pdf])
    assert Report.objects.count() == 0


def test_more_than_five_photos_are_refused(make_report):
    photos = [SimpleUploadedFile(f"{i}.jpg", jpeg_with_gps()) for i in range(6)]
    with pytest.raises(services.ReportRejected):
        make_report(photos=photos)
    assert Report.objects.count() == 0


@override_settings(REPORTS_ANONYMOUS_PER_HOUR=3)
def test_anonymous_submissions_are_rate_limited_per_ip(make_report, resident):
    for _ in range(3):
        make_report(client_ip="10.0.0.1")
    with pytest.raises(services.ReportRejected):
        make_report(client_ip="10.0.0.1")
    # another connection, and a signed-in reporter, are not limited
    make_report(client_ip="10.0.0.2")
    make_report(client_ip="10.0.0.1", actor=resident)
    assert Report.objects.count() == 5


# --- nearby and supporting -----------------------------------------------------------------


def test_nearby_finds_open_reports_of_the_same_category_within_the_radius(make_report, pothole):
    # given: pothole radius 50 m; 0.0003° latitude ≈ 33 m, 0.001° ≈ 111 m
    near = make_report(category="pothole", answers={"size": "small"})
    make_report(category="pothole", answers={"size": "small"}, lat=KAROSTA[0] + 0.001)
    make_report(category="waste", lat=KAROSTA[0] + 0.0001)
    # when
    found = reports_nearby(category=pothole, lat=KAROSTA[0] + 0.0003, lon=KAROSTA[1])
    # then
    assert [n.report for n in found] == [near]
    assert 25 < found[0].distance < 40


def test_nearby_ignores_closed_and_hidden(make_report, pothole, reports_officer, moderator):
    a = make_report(category="pothole", answers={"size": "small"})
    b = make_report(category="pothole", answers={"size": "small"})
    services.report_transition(actor=reports_officer, report=a, to=Status.RESOLVED, reply="Ok")
    services.report_hide(actor=moderator, report=b, reason="Spam")
    assert reports_nearby(category=pothole, lat=KAROSTA[0], lon=KAROSTA[1]) == []


def test_supporting_counts_each_person_once(make_report, anonymous, resident):
    report = make_report()
    services.report_support(actor=anonymous, report=report, email="b@example.lv")
    services.report_support(actor=resident, report=report)
    with pytest.raises(services.ReportRejected):
        services.report_support(actor=anonymous, report=report, email="B@example.lv ")
    with pytest.raises(services.ReportRejected):
        services.report_support(actor=resident, report=report)
    report.refresh_from_db()
    assert report.support_count == 2
    assert Supporter.objects.filter(report=report).count() == 2


@pytest.mark.parametrize("case", ["no email", "own report", "closed"])
def test_support_refusals_change_nothing(make_report, anonymous, resident, reports_officer, case):
    report = make_report(actor=resident)
    actor, email = anonymous, ""
    if case == "own report":
        actor = resident
    if case == "closed":
        services.report_transition(actor=reports_officer, report=report, to="not_ours", reply="x")
        email = "c@example.lv"
    with pytest.raises(services.ReportRejected):
        services.report_support(actor=actor, report=report, email=email)
    report.refresh_from_db()
    assert report.support_count == 0
    assert not Supporter.objects.exists()


# --- handling ------------------------------------------------------------------------------


def test_officer_moves_report_through_the_workflow_and_followers_are_told(
    make_report, reports_officer, resident, anonymous, django_capture_on_commit_callbacks
):
    # given a signed-in reporter and an anonymous supporter
    report = make_report(actor=resident)
    services.report_support(actor=anonymous, report=report, email="s@example.lv")
    mail.outbox.clear()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        services.report_assign(actor=reports_officer, report=report, assignee=reports_officer)
        services.report_transition(actor=reports_officer, report=report, to=Status.IN_PROGRESS)
        report = services.report_transition(
            actor=reports_officer, report=report, to=Status.RESOLVED, reply="Izvests."
        )
    # then
    assert report.status == Status.RESOLVED
    assert report.public_reply == "Izvests."
    assert report.resolved_at is not None
    assert list(report.events.values_list("kind", flat=True)) == [
        "created",
        "supported",
        "assigned",
        "status",
        "status",
    ]
    assert Notification.objects.filter(recipient=resident, kind="reports.update").count() == 2
    assert any(m.to == ["s@example.lv"] and "Izvests." in m.body for m in mail.outbox)
    assert AuditEvent.objects.filter(verb="report.status_changed").count() == 2


@pytest.mark.parametrize("who", ["anonymous", "resident", "verified_resident", "moderator"])
def test_only_officers_handle_reports(request, make_report, who):
    # given
    actor = request.getfixturevalue(who)
    report = make_report()
    # when / then
    with pytest.raises(PermissionDenied):
        services.report_transition(actor=actor, report=report, to=Status.RESOLVED, reply="x")
    with pytest.raises(PermissionDenied):
        services.report_note_add(actor=actor, report=report, text="x")
    report.refresh_from_db()
    assert report.status == Status.RECEIVED
    assert report.events.count() == 1


def test_administrator_may_handle(make_report, administrator):
    report = make_report()
    services.report_transition(actor=administrator, report=report, to="cannot_fix", reply="Nē")
    assert Report.objects.get().status == Status.CANNOT_FIX


def test_invalid_transitions_and_missing_replies_are_refused(make_report, reports_officer):
    report = make_report()
    with pytest.raises(services.ReportRejected):
        services.report_transition(actor=reports_officer, report=report, to=Status.RESOLVED)
    services.report_transition(actor=reports_officer, report=report, to="not_ours", reply="x")
    with pytest.raises(services.ReportRejected):
        services.report_transition(
            actor=reports_officer, report=report, to=Status.RESOLVED, reply="x"
        )
    assert Report.objects.get().status == Status.NOT_OURS


def test_every_transition_in_the_table_is_allowed():
    for source, targets in services.TRANSITIONS.items():
        assert source not in targets
        assert all(isinstance(t, Status) for t in targets)


def test_internal_notes_stay_internal(make_report, reports_officer):
    report = make_report()
    services.report_note_add(actor=reports_officer, report=report, text="Zvanīju brigādei")
    from lidzdaliba.reports.selectors import report_timeline

    assert not report_timeline(report=report).filter(kind="note").exists()
    assert report_timeline(report=report, internal=True).filter(kind="note").exists()


def test_merge_moves_people_to_the_original(make_report, reports_officer, anonymous, resident):
    # given
    original = make_report(email="first@example.lv")
    duplicate = make_report(actor=resident)
    services.report_support(actor=anonymous, report=duplicate, email="x@example.lv")
    # when
    services.report_merge(actor=reports_officer, report=duplicate, into=original)
    # then
    duplicate.refresh_from_db()
    original.refresh_from_db()
    assert duplicate.status == Status.DUPLICATE
    assert duplicate.duplicate_of == original
    assert str(original.pk) in duplicate.public_reply
    assert original.support_count == 2
    assert set(original.supporters.values_list("user_id", "email")) == {
        (resident.pk, ""),
        (None, "x@example.lv"),
    }


def test_merge_into_itself_or_a_closed_report_is_refused(make_report, reports_officer):
    a, b = make_report(), make_report()
    services.report_transition(actor=reports_officer, report=b, to="not_ours", reply="x")
    for into in (a, b):
        with pytest.raises(services.ReportRejected):
            services.report_merge(actor=reports_officer, report=a, into=into)
    assert Report.objects.get(pk=a.pk).status == Status.RECEIVED


def test_hiding_needs_a_reason_and_is_audited(make_report, moderator, resident):
    report = make_report()
    with pytest.raises(services.ReportRejected):
        services.report_hide(actor=moderator, report=report, reason=" ")
    with pytest.raises(PermissionDenied):
        services.report_hide(actor=resident, report=report, reason="x")
    assert Report.objects.get().hidden_at is None
    services.report_hide(actor=moderator, report=report, reason="Aizskaroša valoda")
    report.refresh_from_db()
    assert report.is_hidden
    event = AuditEvent.objects.get(verb="report.hidden")
    assert event.data == {"reason": "Aizskaroša valoda"}
    assert event.actor == moderator


# --- the four-week follow-up ----------------------------------------------------------------


@pytest.fixture
def resolved_long_ago(make_report, reports_officer, resident):
    def make(days, **kwargs):
        report = make_report(**kwargs)
        services.report_transition(
            actor=reports_officer, report=report, to="resolved", reply="Izdarīts"
        )
        Report.objects.filter(pk=report.pk).update(
            resolved_at=timezone.now() - dt.timedelta(days=days)
        )
        return Report.objects.get(pk=report.pk)

    return make


def test_followup_asks_once_after_four_weeks(
    resolved_long_ago, resident, django_capture_on_commit_callbacks
):
    # given
    due_user = resolved_long_ago(29, actor=resident)
    due_email = resolved_long_ago(30, email="anon@example.lv")
    not_yet = resolved_long_ago(20, email="later@example.lv")
    mail.outbox.clear()
    # when run twice
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reports_followup_send() == 2
        assert services.reports_followup_send() == 0
    # then
    assert Notification.objects.filter(recipient=resident, kind="reports.followup").count() == 1
    followups = [m for m in mail.outbox if m.to == ["anon@example.lv"]]
    assert len(followups) == 1
    assert f"/reports/{due_email.pk}/followup/" in followups[0].body
    assert not any(m.to == ["later@example.lv"] for m in mail.outbox)
    not_yet.refresh_from_db()
    due_user.refresh_from_db()
    assert not_yet.followup_sent_at is None
    assert due_user.followup_sent_at is not None


def test_followup_no_reopens_and_yes_keeps_it_resolved(resolved_long_ago):
    a = resolved_long_ago(29, email="a@example.lv")
    b = resolved_long_ago(29, email="b@example.lv")
    services.reports_followup_send()
    a = services.report_followup_answer(report=Report.objects.get(pk=a.pk), fixed=False)
    b = services.report_followup_answer(report=Report.objects.get(pk=b.pk), fixed=True)
    assert a.status == Status.ASSIGNED
    assert a.resolved_at is None
    assert a.events.last().kind == ReportEvent.Kind.REOPENED
    assert b.status == Status.RESOLVED
    with pytest.raises(services.ReportRejected):
        services.report_followup_answer(report=b, fixed=False)
    assert Report.objects.get(pk=b.pk).status == Status.RESOLVED


def test_followup_answer_before_asking_is_refused(resolved_long_ago):
    report = resolved_long_ago(29, email="a@example.lv")
    with pytest.raises(services.ReportRejected):
        services.report_followup_answer(report=report, fixed=False)
    assert Report.objects.get(pk=report.pk).status == Status.RESOLVED


def test_followup_tokens_cannot_be_forged(make_report):
    report = make_report()
    token = services.followup_token(report)
    assert services.report_for_followup_token(token) == report
    assert services.report_for_followup_token(token[:-2] + "xx") is None


def test_followup_command_runs_the_check(resolved_long_ago):
    from django.core.management import call_command

    report = resolved_long_ago(40, email="a@example.lv")
    call_command("reports_followup")
    assert Report.objects.get(pk=report.pk).followup_sent_at is not None


# --- statistics and alerts ------------------------------------------------------------------


def test_statistics_give_median_days_by_category(make_report, reports_officer, municipality):
    now = timezone.now()
    for days in (1, 3, 10):
        report = make_report(category="waste")
        services.report_transition(actor=reports_officer, report=report, to="resolved", reply="x")
        Report.objects.filter(pk=report.pk).update(
            created_at=now - dt.timedelta(days=days), resolved_at=now
        )
    make_report(category="waste")
    stats = report_statistics(municipality=municipality)
    (row,) = stats["by_category"]
    assert row.resolved == 3
    assert row.median_days == pytest.approx(3, abs=0.1)
    assert stats["counts"] == {"open": 1, "resolved": 3, "closed": 0}


def test_area_alerts_after_confirmation(
    make_report, anonymous, neighbourhood, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        alert = services.area_alert_subscribe(
            actor=anonymous, neighbourhood=neighbourhood, email="Watcher@example.lv"
        )
    assert mail.outbox[-1].to == ["watcher@example.lv"]
    with django_capture_on_commit_callbacks(execute=True):
        make_report()  # before confirming: no alert
    assert len(mail.outbox) == 1
    services.area_alert_confirm(token=alert.token)
    with django_capture_on_commit_callbacks(execute=True):
        make_report(description="Jauns")
    assert mail.outbox[-1].to == ["watcher@example.lv"]
    assert "Jauns" in mail.outbox[-1].body
    assert services.area_alert_unsubscribe(token=alert.token)


def test_officer_of_another_municipality_cannot_handle(make_report):
    from django.contrib.auth.models import Group

    from lidzdaliba.accounts import roles
    from lidzdaliba.core.models import Municipality
    from tests.factories import UserFactory

    # given an officer of the reports module in Rīga
    riga = Municipality.objects.create(
        slug="riga", name="Rīga", map_center_lat="56.95", map_center_lon="24.1"
    )
    outsider = UserFactory(municipality=riga, is_staff=True)
    outsider.groups.add(Group.objects.get_or_create(name=roles.officer_group("reports"))[0])
    report = make_report()
    # when / then
    with pytest.raises(PermissionDenied):
        services.report_transition(actor=outsider, report=report, to="in_progress")
    assert Report.objects.get().status == Status.RECEIVED


def test_followup_task_runs_the_same_check(resolved_long_ago):
    from lidzdaliba.reports.tasks import reports_followup

    report = resolved_long_ago(35, email="t@example.lv")
    result = reports_followup.enqueue()
    assert result.return_value == 1
    assert Report.objects.get(pk=report.pk).followup_sent_at is not None


def test_personal_data_export_and_erasure(make_report, resident, anonymous):
    from lidzdaliba.accounts import gdpr

    # given
    mine = make_report(actor=resident, name="Anna", show_name=True)
    other = make_report()
    services.report_support(actor=resident, report=other)
    # when
    export = gdpr.collect(resident)["reports"]
    erased = services.personal_data_erase(user=resident)
    # then
    assert [r["id"] for r in export["reports"]] == [mine.pk]
    assert export["supported"] == [other.pk]
    assert erased == 1
    mine.refresh_from_db()
    assert (mine.reporter_email, mine.reporter_name, mine.show_name) == ("", "", False)
