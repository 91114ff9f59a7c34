import pytest


@pytest.mark.parametrize(
    ("path", "lang"),
    [("/", "lv"), ("/en/", "en"), ("/ru/", "ru"), ("/uk/", "uk"), ("/neighbourhoods/", "lv")],
)
def test_public_pages_answer_in_their_language(client, municipality, path, lang):
    # when
    response = client.get(path)
    # then
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in response.content.decode()


def test_unknown_language_prefix_is_a_translated_404(client, municipality):
    response = client.get("/de/")
    assert response.status_code == 404
    assert "Lapa nav atrasta" in response.content.decode()


def test_every_page_carries_the_security_headers(client, municipality):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_header_shows_the_unread_notification_count(client, verified_resident):
    from lidzdaliba.core.services.notifications import notify

    # given a resident with two unread notifications
    notify(recipients=[verified_resident], kind="comment.hidden", title="Sveiki", body="", url="/")
    notify(recipients=[verified_resident], kind="comment.hidden", title="Atkal", body="", url="/")
    client.force_login(verified_resident)
    # when they open any page
    response = client.get("/")
    # then the header says how many are unread
    assert response.status_code == 200
    assert '<span class="visually-hidden">' in response.content.decode()
    assert "</span> 2</span>" in response.content.decode()


def test_favicon_ico_leads_to_the_site_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")
