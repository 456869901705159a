"""The heading outline of every public page starts with the page's own <h1> (issue 12.5)."""

from django.urls import reverse
from django.utils import translation

from e2e.site import PUBLIC_PAGES

OUTLINE = """() => Array.from(
    document.querySelectorAll("h1, h2, h3, h4, h5, h6, [role=heading]"),
    (heading) => heading.tagName.toLowerCase() + ": " + heading.textContent.trim(),
)"""


def test_every_public_page_outline_starts_with_its_h1_while_the_banner_shows(page, live_server):
    for name, args in PUBLIC_PAGES:
        for language in ["sv", "en"]:
            with translation.override(language):
                url = live_server.url + reverse(name, args=args)
            page.goto(url)
            outline = page.evaluate(OUTLINE)
            assert outline, url
            assert outline[0].startswith("h1: "), (url, outline)


def test_the_banner_is_a_labelled_region_first_in_keyboard_order_after_the_skip_link(
    page, live_server
):
    page.goto(live_server.url + reverse("about"))
    banner = page.get_by_role("region", name="Kakor på centiro.se")
    assert banner.is_visible()

    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    in_banner = page.evaluate("document.activeElement.closest('.cookie-banner') !== null")
    assert in_banner
