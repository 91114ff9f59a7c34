"""Notifications: rows, preferences, e-mail after commit, in the recipient's language."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.test import RequestFactory
from django.utils import translation

from lidzdaliba.core.context_processors import notifications_count
from lidzdaliba.core.models import Notification, NotificationPreference
from lidzdaliba.core.services.notifications import (
    notification_mark_read,
    notification_preferences_of,
    notification_preferences_set,
    notifications_mark_all_read,
    notifications_unread_count,
    notify,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_notify_creates_rows_and_emails_after_commit(
    resident, mailoutbox, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        rows = notify(
            recipients=[resident], kind="general", title="Jauns", body="Teksts", url="/sdg/"
        )
        # then: nothing is sent before the transaction commits
        assert mailoutbox == []
    assert len(rows) == 1
    assert rows[0].recipient == resident
    assert rows[0].show_in_app is True
    # when the transaction commits
    for callback in callbacks:
        callback()
    # then
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [resident.email]
    assert message.subject == "Jauns"
    assert "Teksts" in message.body
    assert "http://127.0.0.1:8000/sdg/" in message.body
    rows[0].refresh_from_db()
    assert rows[0].emailed_at is not None


def test_nothing_is_stored_or_sent_when_the_transaction_rolls_back(
    resident, mailoutbox, django_capture_on_commit_callbacks
):
    # when
    def change_that_fails():
        with transaction.atomic():
            notify(recipients=[resident], kind="general", title="Atcelts")
            raise RuntimeError("the change failed")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        change_that_fails()
    # then
    assert callbacks == []
    assert mailoutbox == []
    assert not Notification.objects.exists()


def test_each_recipient_gets_the_text_in_their_language(
    municipality, mailoutbox, django_capture_on_commit_callbacks
):
    # given
    latvian = UserFactory(preferred_language="lv")
    ukrainian = UserFactory(preferred_language="uk")
    # when
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        notify(
            recipients=[latvian, ukrainian],
            kind="general",
            title=lambda: f"title-{translation.get_language()}",
        )
    # then
    titles = dict(Notification.objects.values_list("recipient__email", "title"))
    assert titles == {latvian.email: "title-lv", ukrainian.email: "title-uk"}
    assert sorted(m.subject for m in mailoutbox) == ["title-lv", "title-uk"]


def test_the_email_is_rendered_in_the_recipients_language(
    municipality, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    # given
    from lidzdaliba.core import tasks

    seen = []
    original = tasks.render_to_string

    def spy(*args, **kwargs):
        seen.append(translation.get_language())
        return original(*args, **kwargs)

    monkeypatch.setattr(tasks, "render_to_string", spy)
    russian = UserFactory(preferred_language="ru")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[russian], kind="general", title="x")
    # then
    assert seen == ["ru"]
    assert len(mailoutbox) == 1


def test_preferences_choose_the_channels(resident, mailoutbox, django_capture_on_commit_callbacks):
    # given
    other = UserFactory()
    silent = UserFactory()
    notification_preferences_set(actor=resident, preferences={"general": (True, False)})
    notification_preferences_set(actor=other, preferences={"general": (False, True)})
    notification_preferences_set(actor=silent, preferences={"general": (False, False)})
    # when
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[resident, other, silent], kind="general", title="Ziņa")
    # then
    assert Notification.objects.get(recipient=resident).show_in_app is True
    assert Notification.objects.get(recipient=other).show_in_app is False
    assert not Notification.objects.filter(recipient=silent).exists()
    assert [m.to for m in mailoutbox] == [[other.email]]
    assert notifications_unread_count(user=resident) == 1
    assert notifications_unread_count(user=other) == 0


def test_kind_defaults_apply_without_a_choice(
    moderator, mailoutbox, django_capture_on_commit_callbacks
):
    # "comment.flagged" is in-app only by default
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[moderator], kind="comment.flagged", title="x")
    assert Notification.objects.filter(recipient=moderator).count() == 1
    assert mailoutbox == []
    kinds = {
        kind.key: (in_app, email)
        for kind, in_app, email in notification_preferences_of(user=moderator)
    }
    assert kinds["comment.flagged"] == (True, False)
    assert kinds["general"] == (True, True)


def test_inactive_and_duplicate_recipients_are_skipped(resident):
    inactive = UserFactory(is_active=False)
    rows = notify(recipients=[resident, resident, inactive, None], kind="general", title="x")
    assert [r.recipient for r in rows] == [resident]


def test_an_unknown_kind_is_a_programming_error(resident):
    with pytest.raises(ValueError, match="Unknown notification kind"):
        notify(recipients=[resident], kind="no.such.kind", title="x")
    assert not Notification.objects.exists()


def test_unknown_kinds_cannot_be_chosen(resident):
    with pytest.raises(ValueError, match="Unknown notification kind"):
        notification_preferences_set(actor=resident, preferences={"nope": (True, True)})
    assert not NotificationPreference.objects.exists()


def test_mark_read_is_only_for_the_recipient(resident, verified_resident):
    # given
    (row,) = notify(recipients=[resident], kind="general", title="x")
    # when someone else tries / then
    with pytest.raises(PermissionDenied):
        notification_mark_read(actor=verified_resident, notification=row)
    row.refresh_from_db()
    assert row.read_at is None
    # when the recipient reads it
    notification_mark_read(actor=resident, notification=row)
    row.refresh_from_db()
    assert row.read_at is not None


def test_mark_all_read(resident, verified_resident):
    notify(recipients=[resident, verified_resident], kind="general", title="a")
    notify(recipients=[resident], kind="general", title="b")
    assert notifications_mark_all_read(actor=resident) == 2
    assert notifications_unread_count(user=resident) == 0
    assert notifications_unread_count(user=verified_resident) == 1


def test_the_count_costs_no_query_for_anonymous_users(anonymous, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = anonymous
    with django_assert_num_queries(0):
        context = notifications_count(request)
        assert context["notifications_unread"] == 0


def test_the_count_is_lazy_for_signed_in_users(resident, django_assert_num_queries):
    notify(recipients=[resident], kind="general", title="a")
    request = RequestFactory().get("/")
    request.user = resident
    with django_assert_num_queries(0):
        context = notifications_count(request)
    with django_assert_num_queries(1):
        assert context["notifications_unread"] == 1


def test_a_failed_send_can_be_retried_and_a_sent_one_is_not_sent_twice(
    resident, mailoutbox, monkeypatch
):
    # given
    from lidzdaliba.core import tasks

    (row,) = notify(recipients=[resident], kind="general", title="Ziņa")
    mailoutbox.clear()

    def broken(*args, **kwargs):
        raise ConnectionError("mail server down")

    monkeypatch.setattr(tasks, "send_mail", broken)
    # when sending fails
    with pytest.raises(ConnectionError):
        tasks.send_notification_email.call(row.pk)
    # then the row is free for a retry
    row.refresh_from_db()
    assert row.emailed_at is None
    # when the retry succeeds, and the task runs once more by mistake
    monkeypatch.undo()
    assert tasks.send_notification_email.call(row.pk) is True
    assert tasks.send_notification_email.call(row.pk) is False
    # then one e-mail went out
    assert len(mailoutbox) == 1
