"""The core's own pages in a real browser: WCAG 2.1 AA (axe-core) and no CSP violation."""

import pytest
from django.test import Client

from lidzdaliba.core.models import Neighbourhood
from lidzdaliba.core.services.comments import comment_flag, comment_post, comment_target_register
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
    page.goto("/staff/moderation/")
    page.get_by_text("Hide this comment").click()
    page.get_by_label("Public reason for hiding").fill("Rupjības")
    page.get_by_label("Public reason for hiding").press("Enter")
    page.wait_for_url("**/staff/moderation/**")
    assert page.get_by_text("Hidden by a moderator: Rupjības").is_visible()
    comment.refresh_from_db()
    assert comment.is_hidden
