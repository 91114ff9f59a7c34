"""The core's own pages in a real browser: WCAG 2.1 AA (axe-core) and no CSP violation."""

import pytest
from django.test import Client

from lidzdaliba.core.models import Neighbourhood
from lidzdaliba.core.services.comments import (
    comment_flag,
    comment_hide,
    comment_post,
    comment_target_register,
)
from lidzdaliba.core.services.notifications import notify
from tests.core.conftest import with_totp

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.mark.parametrize(
    "path", ["/notifications/", "/notifications/preferences/", "/en/notifications/"]
)
def test_notification_pages_are_accessible(page, live_server, resident, axe_check, csp_clean, path):
    notify(recipients=[resident], kind="general", title="Jauna ziņa", body="Teksts", url="/sdg/")
    sign_in(page, live_server, resident)
    page.goto(path)
    assert page.get_by_role("heading", level=1).is_visible()
    axe_check(page)
    csp_clean(page)


@pytest.mark.parametrize("path", ["/staff/audit/", "/staff/moderation/"])
def test_staff_pages_are_accessible(
    page,
    live_server,
    administrator,
    resident,
    verified_resident,
    neighbourhood,
    axe_check,
    csp_clean,
    path,
):
    comment_target_register(Neighbourhood)
    comment = comment_post(actor=resident, target=neighbourhood, body="Komentārs par Karostu")
    comment_flag(actor=verified_resident, comment=comment)
    sign_in(page, live_server, with_totp(administrator))
    page.goto(path)
    assert page.get_by_role("heading", level=1).is_visible()
    axe_check(page)
    csp_clean(page)


def test_a_moderator_hides_a_comment_from_the_queue_with_the_keyboard(
    page, live_server, moderator, resident, verified_resident, neighbourhood
):
    comment_target_register(Neighbourhood)
    comment = comment_post(actor=resident, target=neighbourhood, body="Rupjš komentārs")
    comment_flag(actor=verified_resident, comment=comment)
    sign_in(page, live_server, with_totp(moderator))
    page.goto("/en/staff/moderation/")
    page.get_by_text("Hide this comment").click()
    page.get_by_label("Public reason for hiding").fill("Rupjības")
    page.get_by_label("Public reason for hiding").press("Enter")
    page.wait_for_url("**/staff/moderation/**")
    assert page.get_by_text("Hidden by a moderator: Rupjības").is_visible()
    comment.refresh_from_db()
    assert comment.is_hidden


def test_the_comment_section_and_the_sdg_picker_are_accessible(
    page, moderator, resident, verified_resident, neighbourhood, axe_check
):
    # given a page, as a module would build it, with the SDG picker and the comments
    from django import forms
    from django.template import Context, Template
    from django.test import RequestFactory

    from lidzdaliba.core.forms import SdgTagsField
    from lidzdaliba.core.models import SdgTarget

    class IdeaForm(forms.Form):
        sdg = SdgTagsField(required=False)

    comment_target_register(Neighbourhood)
    flagged = comment_post(actor=resident, target=neighbourhood, body="Vajag vairāk soliņu.")
    comment_flag(actor=verified_resident, comment=flagged)
    hidden = comment_post(actor=verified_resident, target=neighbourhood, body="Rupjības")
    comment_hide(actor=moderator, comment=hidden, reason="Aizskaroši izteikumi")
    request = RequestFactory().get("/neighbourhoods/karosta/")
    request.user = moderator
    request.htmx = False
    target = SdgTarget.objects.get(code="11.7")
    html = Template(
        '{% extends "base.html" %}{% load core_comments %}{% block title %}Karosta{% endblock %}'
        "{% block head %}{{ form.media }}{% endblock %}"
        "{% block content %}<h1>Karosta</h1><form>{{ form.as_div }}</form>"
        "{% comments_section obj %}{% endblock %}"
    ).render(
        Context(
            {
                "request": request,
                "user": moderator,
                "obj": neighbourhood,
                "form": IdeaForm(data={"sdg": [f"target-{target.pk}"]}),
            }
        )
    )
    # when it is shown (served from the site, so the stylesheets load)
    page.goto("/")
    page.set_content(html)
    # then
    assert page.get_by_label("11.7", exact=False).is_checked()
    assert page.get_by_text("Hidden by a moderator: Aizskaroši izteikumi").is_visible()
    axe_check(page)


def test_a_resident_comments_without_leaving_the_page(page, live_server, resident, neighbourhood):
    # given a page with the comment section, as a signed-in resident sees it
    from django.template import Context, Template
    from django.test import RequestFactory

    from lidzdaliba.core.models import Comment

    comment_target_register(Neighbourhood)
    sign_in(page, live_server, resident)
    page.goto("/")  # sets the CSRF cookie the page's token must match
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    request = RequestFactory().get("/neighbourhoods/karosta/")
    request.META["CSRF_COOKIE"] = cookies["csrftoken"]
    request.user = resident
    request.htmx = False
    html = Template(
        '{% extends "base.html" %}{% load core_comments %}{% block title %}Karosta{% endblock %}'
        "{% block content %}<h1>Karosta</h1>{% comments_section obj %}{% endblock %}"
    ).render(Context({"request": request, "user": resident, "obj": neighbourhood}))
    page.set_content(html)
    page.wait_for_function("window.htmx !== undefined")
    # when they write and publish
    page.get_by_label("Your comment").fill("Soliņi pie jūras būtu jauki.")
    page.get_by_role("button", name="Publish comment").click()
    # then the section is swapped in place: the comment is there, the page did not reload
    page.locator(".comment-body", has_text="Soliņi pie jūras būtu jauki.").wait_for()
    assert page.get_by_role("heading", name="1 comment").is_visible()
    assert page.get_by_role("status").inner_text() == "Your comment was published."
    assert Comment.objects.get().author == resident
