"""A resident on a phone finds free help by need, sees it on the list and the map, and opens
a service to see where, when and how."""

import pytest

from lidzdaliba.socialmap.demo import load_socialmap_demo


@pytest.fixture
def directory(municipality):
    load_socialmap_demo(municipality)
    return municipality


@pytest.mark.django_db(transaction=True)
def test_resident_finds_food_help_on_a_phone(page_factory, directory, axe_check, csp_clean):
    # given a resident on a phone at the social map
    page = page_factory(mobile=True)
    page.goto("/help/")
    axe_check(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # when they choose "food"
    page.select_option("#id_need", "food")
    page.wait_for_function(
        "() => !document.querySelector('#results').textContent.includes('Programmēšanas')"
    )
    # then the list and the map show the same food services
    results = page.locator("#results-list > li")
    names = results.locator("h3").all_inner_texts()
    assert "Zupas virtuve" in names
    assert "Programmēšanas pulciņš bērniem" not in names
    markers = page.evaluate(
        "JSON.parse(document.getElementById('sm-map').dataset.features).features.length"
    )
    assert markers >= 1
    assert "need=food" in page.url
    axe_check(page)
    # when they narrow to step-free entrances and open a service
    page.locator("#id_accessible").check()
    page.wait_for_function(
        "() => !document.querySelector('#results').textContent.includes('Zupas virtuve')"
    )
    page.get_by_role("link", name="Pārtikas pakas", exact=True).click()
    # then they see where, when, for whom, documents and contacts
    assert page.get_by_role("heading", level=1).inner_text() == "Pārtikas pakas"
    body = page.locator("main").inner_text()
    assert "Raiņa iela 13" in body
    assert "Personu apliecinošs dokuments" in body
    assert page.locator("a[href^='tel:']").count() >= 1
    axe_check(page)
    csp_clean(page)


@pytest.mark.django_db(transaction=True)
def test_directory_works_without_javascript_filters(page, directory, axe_check):
    # the form is a plain GET form too: submitting it reloads the page with the choice
    page.goto("/en/help/?need=violence&language=en")
    assert page.locator("html").get_attribute("lang") == "en"
    names = page.locator("#results-list h3").all_inner_texts()
    assert "Counselling for women who have experienced violence" in names
    axe_check(page)
