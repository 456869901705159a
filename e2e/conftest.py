"""Browser tests: Playwright driving Debian's Chromium against a live server."""

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = os.environ.get("CHROMIUM_PATH", shutil.which("chromium") or "/usr/bin/chromium")


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(autouse=True)
def _committed_data(transactional_db, django_db_serialized_rollback):
    """The live server sees only committed rows, so browser tests are transactional (and
    restore the migrations' rows the root conftest's way)."""


@contextmanager
def running_playwright():
    """Playwright's sync API, and the database connections Django opened beside it closed.

    While Playwright's event loop runs, Django hands this thread context-local database
    connections instead of the thread's own (asgiref's Local sees a running loop). Nothing else
    closes them: one left open made PostgreSQL refuse to drop the test database at the end of
    the run ("being accessed by other users")."""
    from playwright.sync_api import sync_playwright

    # The tests' own ORM calls beside that event loop stay synchronous and safe, so Django's
    # async-safety check is lifted for exactly as long as the loop runs.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        try:
            yield playwright
        finally:
            connections.close_all()


@pytest.fixture
def browser():
    """A browser for one test.

    While Playwright runs, its event loop makes Django hand this thread a context-local
    database connection, one without the serialized migration data; so the browser lives
    only inside the test, after the database is set up and before it is emptied."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}; install Debian's chromium package.")
    with running_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
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
def context(browser):
    context = browser.new_context(locale="sv-SE", java_script_enabled=True)
    yield context
    context.close()


@pytest.fixture
def page(context, live_server):
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    page.close()


# WCAG 2.2 AA as axe-core (4.12, bundled with axe-playwright-python) measures it.
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def assert_accessible():
    """Run axe-core's WCAG 2.2 AA rules on the page; fail on a violation of any impact."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page):
        options = {"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]}
        results = axe.run(page, options=options)
        assert not results.response["violations"], results.generate_report()

    return check


# The sign-in form's labels and button in the page's language (<html lang>).
SIGN_IN_FORM = {
    "sv": ("E-postadress", "Lösenord", "Logga in"),
    "en": ("Email", "Password", "Sign in"),
}


@pytest.fixture
def sign_in_with_form():
    """Fill in and send the sign-in form the page shows (the site's or the admin's)."""

    def send(page, email, password):
        language = page.locator("html").get_attribute("lang")
        email_label, password_label, button = SIGN_IN_FORM[language]
        page.get_by_label(email_label).fill(email)
        page.get_by_label(password_label).fill(password)
        page.get_by_role("button", name=button, exact=True).click()

    return send
