"""The cookie banner in Chromium, with and without JavaScript."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from consent.cookies import CONSENT_COOKIE, NECESSARY, STATISTICS
from consent.models import ConsentRecord
from visits.visitor_cookie import VISITOR_COOKIE

SAVED = "?consent=saved"
BANNER_BUTTONS = ["Godkänn alla", "Endast nödvändiga", "Inställningar"]


@pytest.fixture(params=[True, False], ids=["js", "no-js"])
def visitor(request, browser, live_server, transactional_db):
    context = browser.new_context(locale="sv-SE", java_script_enabled=request.param)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def cookies_of(page):
    return {cookie["name"]: cookie for cookie in page.context.cookies()}


def banner(page):
    return page.get_by_role("region", name="Kakor på centiro.se")


def latest_record():
    return ConsentRecord.objects.order_by("created_at", "id").last()


def test_accept_all_sets_the_consent_cookie_and_records_it(visitor, live_server):
    visitor.goto(live_server.url + reverse("about"))
    banner(visitor).get_by_role("button", name="Godkänn alla").click()

    visitor.wait_for_url(live_server.url + reverse("about") + SAVED)
    assert banner(visitor).count() == 0
    consent_cookie = cookies_of(visitor)[CONSENT_COOKIE.name]
    assert consent_cookie["httpOnly"]
    assert consent_cookie["sameSite"] == "Lax"
    record = latest_record()
    assert record.action == ConsentRecord.Action.ACCEPT_ALL
    assert record.categories == [NECESSARY, STATISTICS]


def test_necessary_only_records_the_refusal_and_removes_the_visitor_id(visitor, live_server):
    visitor.goto(live_server.url + reverse("contact"))
    visitor.context.add_cookies(
        [{"name": VISITOR_COOKIE.name, "value": "left-over", "url": live_server.url}]
    )
    banner(visitor).get_by_role("button", name="Endast nödvändiga").click()

    visitor.wait_for_url(live_server.url + reverse("contact") + SAVED)
    assert banner(visitor).count() == 0
    cookies = cookies_of(visitor)
    assert CONSENT_COOKIE.name in cookies
    assert VISITOR_COOKIE.name not in cookies
    assert latest_record().categories == [NECESSARY]


def test_settings_leads_to_the_choice_of_categories_and_back(visitor, live_server):
    visitor.goto(live_server.url + reverse("about"))
    banner(visitor).get_by_role("button", name="Inställningar").click()

    visitor.wait_for_url(f"**{reverse('consent:cookies')}?next=*")
    assert not ConsentRecord.objects.exists()
    statistics = visitor.get_by_role("checkbox", name="Statistik")
    assert not statistics.is_checked()
    statistics.check()
    visitor.get_by_role("button", name="Spara mitt val").click()

    visitor.wait_for_url(live_server.url + reverse("about") + SAVED)
    assert CONSENT_COOKIE.name in cookies_of(visitor)
    record = latest_record()
    assert record.action == ConsentRecord.Action.CUSTOM
    assert record.categories == [NECESSARY, STATISTICS]


def test_withdrawing_from_the_footer_link_is_one_click(visitor, live_server):
    visitor.goto(live_server.url + reverse("home"))
    banner(visitor).get_by_role("button", name="Godkänn alla").click()
    visitor.wait_for_url(live_server.url + reverse("home") + SAVED)
    visitor.context.add_cookies(
        [{"name": VISITOR_COOKIE.name, "value": "a-visitor-id", "url": live_server.url}]
    )

    visitor.get_by_role("contentinfo").get_by_role("link", name="Inställningar för kakor").click()
    visitor.get_by_role("button", name="Återkalla samtycke").click()

    visitor.wait_for_url(live_server.url + reverse("consent:cookies") + SAVED)
    assert VISITOR_COOKIE.name not in cookies_of(visitor)
    assert latest_record().action == ConsentRecord.Action.WITHDRAW
    assert visitor.get_by_text("Du har godkänt: Nödvändiga.").count() == 1


def test_every_banner_button_is_reached_by_keyboard(page, live_server, transactional_db):
    page.goto(live_server.url + reverse("home"))
    reached = []
    for _press in range(40):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.textContent.trim()"))
        if all(label in reached for label in BANNER_BUTTONS):
            break
    assert [label for label in reached if label in BANNER_BUTTONS] == BANNER_BUTTONS

    page.keyboard.press("Shift+Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".cookie-banner").count() == 0
    assert latest_record().action == ConsentRecord.Action.NECESSARY_ONLY


def test_the_banner_tells_a_gpc_browser_its_signal_is_respected(browser, live_server):
    context = browser.new_context(locale="sv-SE", extra_http_headers={"Sec-GPC": "1"})
    page = context.new_page()
    page.goto(live_server.url + reverse("home"))
    assert banner(page).get_by_text("Global Privacy Control").count() == 1
    context.close()


def test_banner_and_settings_page_are_accessible(page, live_server, assert_accessible):
    for language in ["sv", "en"]:
        with translation.override(language):
            home, settings = reverse("home"), reverse("consent:cookies")
        page.goto(live_server.url + home)
        assert page.locator(".cookie-banner").count() == 1
        assert_accessible(page)
        page.goto(live_server.url + settings)
        assert_accessible(page)


@pytest.mark.parametrize("width", [1100, 380])
def test_the_three_choices_look_the_same(page, live_server, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + reverse("home"))
    looks = [
        button.evaluate(
            """element => {
                const style = getComputedStyle(element);
                const box = element.getBoundingClientRect();
                return [style.backgroundColor, style.color, style.fontWeight, style.fontSize,
                        style.borderColor, Math.round(box.width), Math.round(box.height)];
            }"""
        )
        for button in [banner(page).get_by_role("button", name=label) for label in BANNER_BUTTONS]
    ]
    assert looks[0] == looks[1] == looks[2]


def test_the_choice_is_confirmed_in_words_on_the_page_the_visitor_returns_to(visitor, live_server):
    visitor.goto(live_server.url + reverse("contact") + "?a=1")
    banner(visitor).get_by_role("button", name="Endast nödvändiga").click()

    visitor.wait_for_url(live_server.url + reverse("contact") + "?a=1&consent=saved")
    status = visitor.get_by_role("status")
    assert status.inner_text().startswith("Ditt val är sparat: vi sätter bara nödvändiga kakor.")
    assert settings.SESSION_COOKIE_NAME not in cookies_of(visitor)

    status.get_by_role("link", name="Ändra ditt val").click()
    visitor.get_by_role("checkbox", name="Statistik").check()
    visitor.get_by_role("button", name="Spara mitt val").click()

    visitor.wait_for_url(f"**{reverse('consent:cookies')}?consent=saved")
    confirmation = "Ditt val är sparat: du har godkänt statistikkakan."
    assert visitor.get_by_role("status").inner_text().startswith(confirmation)
    visitor.goto(live_server.url + reverse("about"))
    assert visitor.get_by_role("status").count() == 0
