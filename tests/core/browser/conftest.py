"""The browser fixtures of the end-to-end suite (Chromium, axe-core, CSP check)."""

from tests.e2e.conftest import axe_check, browser, csp_clean, page, page_factory  # noqa: F401
