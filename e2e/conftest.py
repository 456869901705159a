"""Browser tests: Playwright driving Debian's Chromium against a live server."""

import importlib
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in this thread; Django's ORM calls
# made by the tests themselves are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", shutil.which("chromium") or "/usr/bin/chromium")


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(autouse=True)
def _data_migrations(transactional_db):
    """The rows the data migrations create, as on a fresh database.

    Transactional tests (and the live server needs them) empty every table after each test,
    so later browser tests would otherwise find no policy versions.
    """
    from django.apps import apps

    from policy.models import PolicyVersion

    if not PolicyVersion.objects.exists():
        for name, function in [
            ("0002_version_1", "create_version_1"),
            ("0003_version_2_draft", "create_version_2_draft"),
        ]:
            getattr(importlib.import_module(f"policy.migrations.{name}"), function)(apps, None)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}; install Debian's chromium package.")
    with sync_playwright() as playwright:
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


# WCAG 2.1 AA as axe-core measures it.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def assert_accessible():
    """Run axe-core's WCAG 2.1 AA rules on the page; fail on a violation of any impact."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page):
        options = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
        results = axe.run(page, options=options)
        assert not results.response["violations"], results.generate_report()

    return check


def share_session(context, live_server, client):
    """Give the browser the session of a test client that has signed someone in."""
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
