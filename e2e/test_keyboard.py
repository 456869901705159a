"""Keyboard only: every control is reached with Tab, shows where focus is, and works."""

import pytest
from django.urls import reverse

from consent.models import ConsentRecord

PASSWORD = "ett-långt-lösenord-2016"

# What the focused element is, and whether focus is visible on it (an outline or a ring).
FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  return {
    name: (el.getAttribute("aria-label") || el.textContent || el.name || "").trim(),
    tag: el.tagName.toLowerCase(),
    visible: outline || style.boxShadow !== "none",
  };
}"""


def tab_through(page, presses=60):
    """Tab from the top of the page until focus comes back round; what was focused, in order."""
    reached = []
    for _press in range(presses):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["tag"] == "body" or focused in reached[:1]:
            break
        reached.append(focused)
    return reached


def test_banner_menus_and_footer_are_reached_in_order_with_visible_focus(page, live_server):
    page.goto(live_server.url + reverse("home"))

    reached = tab_through(page)

    names = [focused["name"] for focused in reached]
    assert names[:12] == [
        "Hoppa till innehållet",
        "Sekretesspolicy",
        "Vilka kakor vi använder",
        "Godkänn alla",
        "Endast nödvändiga",
        "Inställningar",
        "Centiro",
        "Start",
        "Om Centiro",
        "Kontakt",
        "Logga in",
        "English",
    ]
    # The policy's date is part of its link.
    assert names[-3:] == [
        "Sekretesspolicy Senast uppdaterad: februari 2016",
        "Inställningar för kakor",
        "Kontakt",
    ]
    assert [focused for focused in reached if not focused["visible"]] == []


def test_skip_link_takes_keyboard_users_to_the_content(page, live_server):
    page.goto(live_server.url + reverse("about"))
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main, footer') !== null")


def test_cookie_settings_are_chosen_with_the_keyboard(page, live_server):
    page.goto(live_server.url + reverse("consent:cookies"))
    page.get_by_role("checkbox").first.focus()

    page.keyboard.press("Space")
    focus = page.evaluate(FOCUSED)
    assert focus["visible"]
    while page.evaluate(FOCUSED)["name"] != "Spara mitt val":
        page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    record = ConsentRecord.objects.get()
    assert record.action == ConsentRecord.Action.CUSTOM
    assert "statistics" in record.categories


@pytest.fixture
def customer(user_factory):
    return user_factory(password=PASSWORD)


def test_sign_in_form_is_filled_and_sent_with_the_keyboard(page, live_server, customer):
    page.goto(live_server.url + reverse("account_login"))
    page.get_by_label("E-postadress").focus()

    page.keyboard.type(customer.email)
    for _press in range(3):
        page.keyboard.press("Tab")
        assert page.evaluate(FOCUSED)["visible"]
        if page.evaluate("document.activeElement.type") == "password":
            break
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.get_by_role("button", name="Logga ut").count() == 1
