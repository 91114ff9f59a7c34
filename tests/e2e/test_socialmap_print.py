"""A social worker prints the directory of help for one need, in large print, and downloads
the PDF."""

import pytest

from lidzdaliba.socialmap.demo import load_socialmap_demo


@pytest.mark.django_db(transaction=True)
def test_print_the_directory(page, municipality, axe_check, csp_clean):
    # given the demo map
    load_socialmap_demo(municipality)
    # when they choose "violence" and open the printable directory
    page.goto("/help/?need=violence")
    page.locator("a[href^='/help/print/']").first.click()
    assert page.locator("h2").first.inner_text() == "Vardarbība"
    axe_check(page)
    # and switch to large print
    page.locator("#id_large").check()
    page.locator("form.pr-controls button[type=submit]").click()
    assert page.locator(".pr-large").count() == 1
    assert "Konsultācijas vardarbībā cietušām sievietēm" in page.locator("main").inner_text()
    axe_check(page)
    csp_clean(page)
    # then the print layout hides the site's navigation
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    # and the PDF downloads
    response = page.request.get("/help/print.pdf?need=violence&large=1")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
