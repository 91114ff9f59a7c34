"""Comment pages: plain POST and htmx, CSRF, moderation queue, template fragment."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse

from lidzdaliba.core.models import AuditEvent, Comment, CommentFlag
from lidzdaliba.core.services.comments import comment_flag, comment_hide, comment_post
from tests.core.conftest import with_totp
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def post_url(target):
    return reverse("core:comments", args=["core.neighbourhood", target.pk])


def test_a_plain_post_publishes_and_redirects_back(client, resident, commentable):
    # given
    client.force_login(resident)
    # when
    response = client.post(
        post_url(commentable), {"body": "Labi!", "next": "/neighbourhoods/karosta/"}
    )
    # then
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/neighbourhoods/karosta/#comment-{comment.pk}"
    assert comment.body == "Labi!"


def test_an_htmx_post_returns_the_section(client, resident, commentable):
    client.force_login(resident)
    response = client.post(post_url(commentable), {"body": "<b>Labi!</b>"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="comments-core-neighbourhood-{commentable.pk}"' in html
    assert "&lt;b&gt;Labi!&lt;/b&gt;" in html  # plain text: no HTML rendered
    assert "<b>Labi!</b>" not in html
    assert "<html" not in html


def test_an_empty_comment_shows_the_error_in_the_section(client, resident, commentable):
    client.force_login(resident)
    response = client.post(post_url(commentable), {"body": "  "}, **HTMX)
    assert 'role="alert"' in response.content.decode()
    assert not Comment.objects.exists()


def test_the_rate_limit_error_is_shown(client, resident, commentable, settings):
    settings.COMMENT_RATE_LIMIT = (1, 600)
    client.force_login(resident)
    client.post(post_url(commentable), {"body": "Pirmais"}, **HTMX)
    response = client.post(post_url(commentable), {"body": "Otrais"}, **HTMX)
    assert "wait" in response.content.decode()
    assert Comment.objects.count() == 1


def test_anonymous_posts_are_sent_to_log_in(client, commentable):
    response = client.post(post_url(commentable), {"body": "Sveiki"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Comment.objects.exists()


def test_posting_needs_the_csrf_token(resident, commentable):
    client = Client(enforce_csrf_checks=True)
    client.force_login(resident)
    response = client.post(post_url(commentable), {"body": "Bez žetona"})
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_unknown_or_uncommentable_targets_are_404(client, resident, commentable):
    client.force_login(resident)
    assert client.post("/comments/accounts.user/1/", {"body": "x"}).status_code == 404
    assert (
        client.post(
            post_url(commentable).replace(str(commentable.pk), "999999"), {"body": "x"}
        ).status_code
        == 404
    )
    assert not Comment.objects.exists()


def test_flagging_through_the_page(client, resident, verified_resident, commentable):
    comment = comment_post(actor=resident, target=commentable, body="Teksts")
    client.force_login(verified_resident)
    response = client.post(reverse("core:comment_flag", args=[comment.pk]), **HTMX)
    assert response.status_code == 200
    assert CommentFlag.objects.filter(comment=comment, user=verified_resident).exists()
    # a second time: a clear message, still one flag
    response = client.post(reverse("core:comment_flag", args=[comment.pk]), **HTMX)
    assert CommentFlag.objects.count() == 1


def test_a_moderator_hides_through_the_page_and_readers_see_the_reason(
    client, moderator, resident, commentable
):
    # given
    comment = comment_post(actor=resident, target=commentable, body="Rupjš teksts")
    client.force_login(with_totp(moderator))
    # when
    response = client.post(
        reverse("core:comment_hide", args=[comment.pk]), {"reason": "Rupjības"}, **HTMX
    )
    # then
    html = response.content.decode()
    assert "Hidden by a moderator: Rupjības" in html
    assert "Rupjš teksts" not in html
    assert AuditEvent.objects.filter(verb="comment.hidden", actor=moderator).exists()
    # and an anonymous reader sees the reason, not the text
    section = Client().get(post_url(commentable)).content.decode()
    assert "Hidden by a moderator: Rupjības" in section
    assert "Rupjš teksts" not in section


def test_a_resident_cannot_hide(client, resident, verified_resident, commentable):
    comment = comment_post(actor=resident, target=commentable, body="Teksts")
    client.force_login(verified_resident)
    response = client.post(reverse("core:comment_hide", args=[comment.pk]), {"reason": "x"}, **HTMX)
    assert "Only moderators" in response.content.decode()
    comment.refresh_from_db()
    assert not comment.is_hidden
    assert not AuditEvent.objects.exists()


def test_moderation_actions_need_the_second_factor(client, moderator, resident, commentable):
    comment = comment_post(actor=resident, target=commentable, body="Teksts")
    client.force_login(moderator)  # no TOTP
    response = client.post(reverse("core:comment_hide", args=[comment.pk]), {"reason": "x"})
    assert response.status_code == 302
    assert "totp" in response["Location"]
    comment.refresh_from_db()
    assert not comment.is_hidden


def test_unhide_and_dismiss_through_the_queue(
    moderator_client, moderator, resident, verified_resident, commentable
):
    comment = comment_post(actor=resident, target=commentable, body="Teksts")
    comment_flag(actor=verified_resident, comment=comment)
    queue = reverse("core:moderation")
    response = moderator_client.post(
        reverse("core:comment_dismiss_flags", args=[comment.pk]), {"next": queue}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(queue)
    comment.refresh_from_db()
    assert comment.open_flag_count == 0
    comment_hide(actor=moderator, comment=comment, reason="x")
    moderator_client.post(reverse("core:comment_unhide", args=[comment.pk]), {"next": queue})
    comment.refresh_from_db()
    assert not comment.is_hidden


def test_the_moderation_queue_lists_reported_comments_first(
    moderator_client, resident, verified_resident, commentable
):
    calm = comment_post(actor=resident, target=commentable, body="Mierīgs komentārs")
    reported = comment_post(actor=resident, target=commentable, body="Ziņots komentārs")
    comment_flag(actor=verified_resident, comment=reported)
    response = moderator_client.get(reverse("core:moderation"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Ziņots komentārs") < html.index("Mierīgs komentārs")
    assert "Reported by 1 person" in html
    assert calm.body in html


@pytest.mark.parametrize("who", ["resident", "verified_resident"])
def test_the_queue_is_for_moderators_only(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("core:moderation")).status_code == 403


def test_the_template_tag_renders_the_section(rf, resident, commentable):
    # given
    comment_post(actor=resident, target=commentable, body="Pirmais komentārs")
    request = rf.get("/neighbourhoods/karosta/")
    request.user = AnonymousUser()
    request.htmx = False
    # when
    html = Template("{% load core_comments %}{% comments_section obj %}").render(
        Context({"request": request, "obj": commentable})
    )
    # then
    assert "Pirmais komentārs" in html
    assert "<h2" in html
    assert "Log in to comment." in html
    assert "next=/neighbourhoods/karosta/" in html


def test_the_form_has_a_label_and_csrf_for_signed_in_users(rf, resident, commentable):
    request = RequestFactory().get("/neighbourhoods/karosta/")
    request.user = resident
    request.htmx = False
    html = Template("{% load core_comments %}{% comments_section obj %}").render(
        Context({"request": request, "obj": commentable})
    )
    section = f"comments-core-neighbourhood-{commentable.pk}"
    assert f'<label for="{section}-body">' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert f'hx-target="#{section}"' in html


def test_comments_on_a_hidden_object_are_not_shown(client, rf, resident, commentable):
    # given: the module says nobody may see this object's comments
    from lidzdaliba.core.models import Neighbourhood
    from lidzdaliba.core.services.comments import comment_target_register

    comment_post(actor=resident, target=commentable, body="Slepens")
    comment_target_register(Neighbourhood, may_view=lambda user, obj: False)
    client.force_login(resident)
    # then
    assert client.get(post_url(commentable)).status_code == 404
    assert client.post(post_url(commentable), {"body": "Vēl"}).status_code == 404
    request = rf.get("/")
    request.user = resident
    request.htmx = False
    html = Template("{% load core_comments %}{% comments_section obj %}").render(
        Context({"request": request, "obj": commentable})
    )
    assert html == ""
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("count", [1, 20])
def test_the_section_costs_the_same_queries_whatever_the_number_of_comments(
    client, moderator, resident, commentable, count, django_assert_max_num_queries
):
    for n in range(count):
        comment_post(actor=UserFactory(), target=commentable, body=f"Komentārs {n}")
    client.force_login(moderator)
    with django_assert_max_num_queries(8):
        response = client.get(post_url(commentable))
    assert response.content.decode().count('class="comment card') == count


def test_an_htmx_refresh_keeps_the_page_it_is_shown_on_as_next(client, commentable):
    response = client.get(
        post_url(commentable),
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/neighbourhoods/karosta/?tab=2",
    )
    assert 'name="next" value="/neighbourhoods/karosta/?tab=2"' not in response.content.decode()
    assert "next=/neighbourhoods/karosta/%3Ftab%3D2" in response.content.decode()


def test_the_author_edits_in_place(client, resident, verified_resident, commentable):
    # given
    comment = comment_post(actor=resident, target=commentable, body="Pirmā versija")
    client.force_login(resident)
    section = client.get(post_url(commentable)).content.decode()
    assert f'id="edit-body-{comment.pk}"' in section
    # when
    response = client.post(
        reverse("core:comment_edit", args=[comment.pk]), {"body": "Otrā versija"}, **HTMX
    )
    # then
    assert "Otrā versija" in response.content.decode()
    comment.refresh_from_db()
    assert comment.edited_at is not None
    # and someone else can neither see the edit form nor change it
    client.force_login(verified_resident)
    assert f'id="edit-body-{comment.pk}"' not in client.get(post_url(commentable)).content.decode()
    client.post(reverse("core:comment_edit", args=[comment.pk]), {"body": "Svešs"}, **HTMX)
    comment.refresh_from_db()
    assert comment.body == "Otrā versija"
