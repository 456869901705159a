from django.urls import reverse
from django.utils import translation

from e2e.site import PUBLIC_PAGES


def test_home_in_swedish_then_switch_to_english_keeps_the_page(page, live_server):
    page.goto(live_server.url + reverse("about"))
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_role("heading", level=1).inner_text() == "Om Centiro"

    page.get_by_role("navigation", name="Språk").get_by_role("link", name="English").click()

    page.wait_for_url(live_server.url + "/en/about-centiro/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "About Centiro"


def test_every_public_page_meets_wcag_22_aa_in_both_languages(page, live_server, assert_accessible):
    for name, args in PUBLIC_PAGES:
        for language in ["sv", "en"]:
            with translation.override(language):
                page.goto(live_server.url + reverse(name, args=args))
            assert_accessible(page)
    page.goto(live_server.url + "/finns-inte/")
    assert_accessible(page)


def test_skip_link_is_first_in_keyboard_order(page, live_server):
    page.goto(live_server.url + reverse("home"))
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Hoppa till innehållet"
