"""Browser journeys: Playwright driving Debian's Chromium (headless, --no-sandbox) against
the live test server on 127.0.0.1, with an axe-core WCAG 2.1 A/AA check of each page.

Requests to any host but the test server are aborted, so the journeys also prove that the
pages work with no map tiles and no third-party resources.
"""

import os
import shutil
from urllib.parse import urlparse

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between page actions are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not executable:
        pytest.fail("Chromium is not installed: `make test` installs Debian's chromium.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page_factory(browser, live_server):
    contexts = []
    server_host = urlparse(live_server.url).netloc

    def make(*, mobile=False, locale="lv-LV"):
        options = {"locale": locale, "base_url": live_server.url}
        if mobile:
            options.update(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)

        def only_local(route):
            if urlparse(route.request.url).netloc == server_host:
                route.continue_()
            else:
                route.abort()

        context.route("**/*", only_local)
        contexts.append(context)
        page = context.new_page()
        page.console_errors = []
        page.on(
            "console",
            lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None,
        )
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(page_factory):
    return page_factory()


@pytest.fixture
def axe_check():
    """``axe_check(page)`` fails the test on any WCAG 2.1 A/AA violation of the page."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page):
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        violations = results.response["violations"]
        details = [
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(node["target"][0] for node in v["nodes"][:3])
            for v in violations
        ]
        assert not violations, f"axe violations on {page.url}:\n" + "\n".join(details)

    return check


@pytest.fixture
def csp_clean():
    """``csp_clean(page)``: no Content-Security-Policy violation was logged on the page."""

    def check(page):
        blocked = [e for e in page.console_errors if "Content Security Policy" in e]
        assert not blocked, blocked

    return check


@pytest.fixture(autouse=True)
def _migrated_data(request):
    """Browser tests commit for real, and the flush after each one also removes what the
    migrations put in (the SDG taxonomy, staff groups): put it back before every test."""
    if not request.node.get_closest_marker("django_db"):
        return
    import importlib

    from django.apps import apps

    from lidzdaliba.accounts.services import roles_ensure
    from lidzdaliba.core.models import SdgGoal

    request.getfixturevalue("transactional_db")
    if not SdgGoal.objects.exists():
        importlib.import_module("lidzdaliba.core.migrations.0002_sdg_taxonomy").load(apps, None)
    roles_ensure()
