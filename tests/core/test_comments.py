"""Comments: posting, flags, moderation with a public reason, audit and rate limits."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from lidzdaliba.core.models import AuditEvent, Comment, CommentFlag, Notification
from lidzdaliba.core.services.comments import (
    CommentRejected,
    comment_edit,
    comment_flag,
    comment_flags_dismiss,
    comment_hide,
    comment_post,
    comment_unhide,
    comments_for_moderation,
    comments_of,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def comment(resident, commentable):
    return comment_post(actor=resident, target=commentable, body="Vajag vairāk soliņu.")


def test_a_signed_in_resident_comments(resident, commentable):
    # when
    comment = comment_post(actor=resident, target=commentable, body="  Labs priekšlikums!\r\n ")
    # then
    assert comment.body == "Labs priekšlikums!"
    assert comment.author == resident
    assert comment.municipality == commentable.municipality
    assert list(comments_of(target=commentable)) == [comment]


def test_anonymous_people_cannot_comment(anonymous, commentable):
    with pytest.raises(PermissionDenied):
        comment_post(actor=anonymous, target=commentable, body="Sveiki")
    assert not Comment.objects.exists()


def test_content_that_does_not_take_comments_is_refused(resident, municipality):
    with pytest.raises(PermissionDenied):
        comment_post(actor=resident, target=municipality, body="Sveiki")
    assert not Comment.objects.exists()


def test_a_target_may_close_comments(resident, commentable):
    from lidzdaliba.core.models import Neighbourhood
    from lidzdaliba.core.services.comments import comment_target_register

    comment_target_register(Neighbourhood, may_comment=lambda user, obj: False)
    with pytest.raises(PermissionDenied):
        comment_post(actor=resident, target=commentable, body="Sveiki")
    assert not Comment.objects.exists()


@pytest.mark.parametrize(("_case", "body"), [("empty", "   "), ("too long", "x" * 5001)])
def test_empty_or_too_long_text_is_refused(resident, commentable, _case, body):
    with pytest.raises(CommentRejected):
        comment_post(actor=resident, target=commentable, body=body)
    assert not Comment.objects.exists()


def test_posting_is_rate_limited_per_person(resident, verified_resident, commentable):
    # given
    for n in range(10):
        comment_post(actor=resident, target=commentable, body=f"Komentārs {n}")
    # when / then
    with pytest.raises(CommentRejected) as exc:
        comment_post(actor=resident, target=commentable, body="Vienpadsmitais")
    assert "wait" in exc.value.message
    assert Comment.objects.filter(author=resident).count() == 10
    # another person is not affected
    comment_post(actor=verified_resident, target=commentable, body="Es arī")


def test_the_author_edits_their_comment(resident, comment):
    comment_edit(actor=resident, comment=comment, body="Vajag vairāk soliņu un koku.")
    comment.refresh_from_db()
    assert comment.body == "Vajag vairāk soliņu un koku."
    assert comment.edited_at is not None


def test_nobody_else_edits_a_comment(verified_resident, moderator, comment):
    for actor in (verified_resident, moderator):
        with pytest.raises(PermissionDenied):
            comment_edit(actor=actor, comment=comment, body="Citādi")
    comment.refresh_from_db()
    assert comment.body == "Vajag vairāk soliņu."
    assert comment.edited_at is None


def test_any_signed_in_user_flags_once(verified_resident, moderator, comment):
    # when
    comment_flag(actor=verified_resident, comment=comment, reason="Nav par tēmu")
    # then
    comment.refresh_from_db()
    assert comment.open_flag_count == 1
    assert Notification.objects.filter(recipient=moderator, kind="comment.flagged").exists()
    # when flagged again by the same person
    with pytest.raises(CommentRejected):
        comment_flag(actor=verified_resident, comment=comment)
    comment.refresh_from_db()
    assert comment.open_flag_count == 1
    assert CommentFlag.objects.count() == 1


def test_the_database_refuses_a_second_flag(verified_resident, comment):
    CommentFlag.objects.create(comment=comment, user=verified_resident)
    with pytest.raises(IntegrityError), transaction.atomic():
        CommentFlag.objects.create(comment=comment, user=verified_resident)


@pytest.mark.parametrize("who", ["anonymous", "resident"])
def test_anonymous_people_and_the_author_cannot_flag(request, comment, who):
    with pytest.raises(PermissionDenied):
        comment_flag(actor=request.getfixturevalue(who), comment=comment)
    assert not CommentFlag.objects.exists()


def test_a_moderator_hides_with_a_public_reason(
    moderator, resident, verified_resident, comment, mailoutbox, django_capture_on_commit_callbacks
):
    # given
    comment_flag(actor=verified_resident, comment=comment)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        comment_hide(actor=moderator, comment=comment, reason="Aizskaroši izteikumi")
    # then
    comment.refresh_from_db()
    assert comment.is_hidden
    assert comment.hidden_by == moderator
    assert comment.hidden_reason == "Aizskaroši izteikumi"
    assert comment.open_flag_count == 0
    assert not CommentFlag.objects.filter(resolved_at__isnull=True).exists()
    event = AuditEvent.objects.get(verb="comment.hidden")
    assert event.actor == moderator
    assert event.data["reason"] == "Aizskaroši izteikumi"
    assert Notification.objects.filter(recipient=resident, kind="comment.hidden").exists()
    assert [m.to for m in mailoutbox] == [[resident.email]]


@pytest.mark.parametrize("who", ["anonymous", "resident", "verified_resident"])
def test_only_moderators_hide(request, comment, who):
    with pytest.raises(PermissionDenied):
        comment_hide(actor=request.getfixturevalue(who), comment=comment, reason="x")
    comment.refresh_from_db()
    assert not comment.is_hidden
    assert not AuditEvent.objects.filter(verb="comment.hidden").exists()


def test_hiding_needs_a_reason(moderator, comment):
    with pytest.raises(CommentRejected):
        comment_hide(actor=moderator, comment=comment, reason="  ")
    comment.refresh_from_db()
    assert not comment.is_hidden


def test_administrators_moderate_too(administrator, comment):
    comment_hide(actor=administrator, comment=comment, reason="Spams")
    comment.refresh_from_db()
    assert comment.is_hidden


def test_unhide_restores_and_is_audited(moderator, resident, comment):
    # given
    comment_hide(actor=moderator, comment=comment, reason="Kļūda")
    # when
    comment_unhide(actor=moderator, comment=comment)
    # then
    comment.refresh_from_db()
    assert not comment.is_hidden
    assert comment.hidden_reason == ""
    event = AuditEvent.objects.get(verb="comment.unhidden")
    assert event.data == {"previous_reason": "Kļūda"}
    assert Notification.objects.filter(recipient=resident, kind="comment.unhidden").exists()


def test_a_visible_comment_cannot_be_unhidden_nor_a_hidden_one_hidden_again(moderator, comment):
    with pytest.raises(CommentRejected):
        comment_unhide(actor=moderator, comment=comment)
    comment_hide(actor=moderator, comment=comment, reason="Pirmais")
    with pytest.raises(CommentRejected):
        comment_hide(actor=moderator, comment=comment, reason="Otrais")
    comment.refresh_from_db()
    assert comment.hidden_reason == "Pirmais"
    assert AuditEvent.objects.filter(verb="comment.hidden").count() == 1


def test_a_hidden_comment_cannot_be_flagged_or_edited(
    moderator, resident, verified_resident, comment
):
    comment_hide(actor=moderator, comment=comment, reason="Spams")
    with pytest.raises(PermissionDenied):
        comment_flag(actor=verified_resident, comment=comment)
    with pytest.raises(PermissionDenied):
        comment_edit(actor=resident, comment=comment, body="Labots")


def test_dismissing_flags_keeps_the_comment_and_is_audited(moderator, verified_resident, comment):
    comment_flag(actor=verified_resident, comment=comment)
    assert comment_flags_dismiss(actor=moderator, comment=comment) == 1
    comment.refresh_from_db()
    assert comment.open_flag_count == 0
    assert not comment.is_hidden
    assert AuditEvent.objects.filter(verb="comment.flags_dismissed").count() == 1


def test_dismissing_is_for_moderators(verified_resident, comment):
    comment_flag(actor=verified_resident, comment=comment)
    with pytest.raises(PermissionDenied):
        comment_flags_dismiss(actor=verified_resident, comment=comment)
    comment.refresh_from_db()
    assert comment.open_flag_count == 1


def test_the_queue_puts_flagged_comments_first(resident, verified_resident, commentable):
    # given
    first = comment_post(actor=resident, target=commentable, body="Pirmais")
    flagged = comment_post(actor=resident, target=commentable, body="Otrais")
    newest = comment_post(actor=resident, target=commentable, body="Trešais")
    comment_flag(actor=verified_resident, comment=flagged)
    comment_flag(actor=UserFactory(), comment=flagged)
    # when
    queue = list(comments_for_moderation(municipality=commentable.municipality))
    # then
    assert queue[0] == flagged
    assert set(queue[1:]) == {first, newest}


def test_a_moderator_of_another_municipality_cannot_hide(comment):
    from django.contrib.auth.models import Group

    from lidzdaliba.accounts import roles
    from lidzdaliba.core.models import Municipality

    other = Municipality.objects.create(
        slug="ventspils", name="Ventspils", map_center_lat=57.39, map_center_lon=21.56
    )
    outsider = UserFactory(municipality=other, is_staff=True)
    outsider.groups.add(Group.objects.get_or_create(name=roles.MODERATORS)[0])
    with pytest.raises(PermissionDenied):
        comment_hide(actor=outsider, comment=comment, reason="x")
    comment.refresh_from_db()
    assert not comment.is_hidden


def test_a_superuser_gets_no_bypass_for_flagging_or_editing(administrator, moderator, comment):
    # given a hidden comment
    comment_hide(actor=moderator, comment=comment, reason="Spams")
    # when / then: the superuser can neither report it nor rewrite someone else's words
    with pytest.raises(PermissionDenied):
        comment_flag(actor=administrator, comment=comment)
    with pytest.raises(PermissionDenied):
        comment_edit(actor=administrator, comment=comment, body="Citi vārdi")
    comment.refresh_from_db()
    assert comment.body == "Vajag vairāk soliņu."
    assert not CommentFlag.objects.exists()
