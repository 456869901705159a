""" "Dina besök" in Chromium: accept statistics, visit three pages, see them, erase them (issue 27).

Swedish without JavaScript, English with it; readable at 390 px (no sideways scrolling).
"""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from visits.models import DailyErasures, Visit

ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)


@pytest.mark.parametrize(("language", "javascript"), [("sv", False), ("en", True)])
def test_a_visitor_sees_their_three_visits_and_erases_them(
    browser, live_server, language, javascript
):
    context = browser.new_context(
        locale=f"{language}-SE",
        java_script_enabled=javascript,
        viewport={"width": 390, "height": 844},
        # Headless Chromium names itself HeadlessChrome, which the site counts as a bot.
        user_agent=ANDROID_CHROME,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    with translation.override(language):
        home, about = reverse("home"), reverse("about")
        accept, see = gettext("Godkänn alla"), gettext("Se och radera dina besök")
        erase, erased = gettext("Radera mina besök"), gettext("Dina besök är raderade.")
        heading = gettext("Dina besök")

    page.goto(live_server.url + home)
    page.get_by_role("button", name=accept).click()  # back on the home page: 1
    page.wait_for_url("**consent=saved")
    page.goto(live_server.url + about)  # 2
    page.locator("footer").get_by_role(
        "link", name=gettext_in(language, "Inställningar för kakor")
    ).click()  # 3
    page.get_by_role("link", name=see).click()

    assert page.get_by_role("heading", level=1, name=heading).is_visible()
    assert page.locator("[data-own-visit]").count() == 3
    assert page.locator("[data-own-count]").inner_text() == "3"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("button", name=erase).click()

    assert page.get_by_text(erased).is_visible()
    assert page.locator("[data-own-visit]").count() == 0
    assert page.locator("[data-own-count]").inner_text() == "0"
    assert page.locator("[data-own-none]").is_visible()
    assert DailyErasures.objects.get().erasures == 1
    assert not Visit.objects.exists()
    context.close()


def gettext_in(language, message):
    with translation.override(language):
        return gettext(message)
