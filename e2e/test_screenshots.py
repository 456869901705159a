"""`make screenshots`: the main pages in both languages on a desktop and a phone, as PNGs in
docs/screenshots/ for the README. Skipped unless SCREENSHOT_DIR is set, so `make test` does not
write files."""

import os
from pathlib import Path

import pytest

from e2e.site import address, customer_with_registrations, sign_in

DIRECTORY = os.environ.get("SCREENSHOT_DIR")
SCREENS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
PUBLIC = [
    ("home", "home"),
    ("about", "about"),
    ("contact", "contact"),
    ("policy:current", "policy"),
    ("consent:cookies", "cookies"),
    ("account_login", "login"),
]
CUSTOMER = [
    ("registrations:portal", "portal"),
    ("registrations:list", "my-products"),
    ("accounts:my_data", "my-data"),
]

pytestmark = pytest.mark.skipif(not DIRECTORY, reason="set SCREENSHOT_DIR (make screenshots)")


def shoot(context, live_server, pages, language, screen):
    page = context.new_page()
    page.goto(live_server.url + address("home", [], language))
    page.locator(".cookie-banner button").nth(1).click()  # necessary only: the page itself
    page.wait_for_load_state()
    for name, stem in pages:
        page.goto(live_server.url + address(name, [], language))
        page.screenshot(path=Path(DIRECTORY) / f"{stem}-{language}-{screen}.png", scale="css")
    page.close()


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("language", ["sv", "en"])
def test_screenshots(browser, live_server, django_user_model, language, screen):
    Path(DIRECTORY).mkdir(parents=True, exist_ok=True)
    customer = customer_with_registrations(django_user_model, language)
    anonymous = browser.new_context(viewport=SCREENS[screen], locale=language)
    shoot(anonymous, live_server, PUBLIC, language, screen)
    anonymous.close()
    signed_in = browser.new_context(viewport=SCREENS[screen], locale=language)
    sign_in(signed_in, live_server, customer)
    shoot(signed_in, live_server, CUSTOMER, language, screen)
    signed_in.close()
