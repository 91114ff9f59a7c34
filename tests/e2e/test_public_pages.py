"""A visitor browses the public pages in Latvian and another language, on a phone."""

import pytest


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/neighbourhoods/",
        "/neighbourhoods/karosta/",
        "/sdg/",
        "/accessibility/",
        "/privacy/",
        "/en/",
        "/ru/neighbourhoods/",
        "/uk/sdg/",
    ],
)
def test_public_page_has_no_accessibility_violations(
    page, municipality, axe_check, csp_clean, path
):
    page.goto(path)
    axe_check(page)
    csp_clean(page)


@pytest.mark.django_db(transaction=True)
def test_visitor_switches_language_and_finds_a_neighbourhood_on_a_phone(
    page_factory, municipality, axe_check
):
    # given a visitor on a phone
    page = page_factory(mobile=True)
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "lv"
    # when they switch to English and open the neighbourhoods
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Neighbourhoods").click()
    # then the list works without map tiles, and links to Karosta
    page.get_by_role("link", name="Karosta").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Karosta"
    axe_check(page)


@pytest.mark.django_db(transaction=True)
def test_skip_link_moves_focus_to_the_main_content(page, municipality):
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
