"""WCAG 2.2 SC 1.4.10 Reflow: no page scrolls sideways at 320 CSS px (nor at 1280). And, in
the same walk, what axe does not fail: header and footer links at least 24 px tall and wide
(axe's target-size rule passes small ones on spacing), and names that must not break mid-word
(cookie names, "Version 3", paths in the statistics) kept on one line on a wide screen."""

import pytest

from e2e.site import (
    CUSTOMER_PAGES,
    PUBLIC_PAGES,
    STAFF_PAGES,
    address,
    customer_with_registrations,
    sign_in,
    staff_member,
)
from registrations.models import Resource

# Tables wider than their container. The site's tables stack their rows instead; only the
# admin's change lists may scroll inside a container of their own (the page still fits).
OVERFLOWING_TABLES = """allowScrolling => [...document.querySelectorAll("table")].filter(table => {
  const container = table.parentElement;
  const scrolls = ["auto", "scroll"].includes(getComputedStyle(container).overflowX);
  return !(allowScrolling && scrolls) && table.scrollWidth > container.clientWidth + 1;
}).map(table => (table.closest("[id]") || table.parentElement).id || table.className || "table")"""


# The innermost elements reaching past the right edge, to name the culprit in a failure.
WIDE_ELEMENTS = """width => [...document.body.querySelectorAll("*")]
  .filter(el => el.getBoundingClientRect().right > width + 1 && !el.querySelector("*"))
  .slice(0, 3).map(el => el.tagName.toLowerCase() + (el.className ? "." + el.className : ""))"""


# The header's and footer's links and buttons smaller than 24 × 24 CSS px (WCAG 2.2 SC 2.5.8's
# size, without its spacing exception: on a phone these are what a thumb aims at).
SMALL_TARGETS = """() => [...document.querySelectorAll(
  ".site-header a, .site-header button, .site-footer a, .site-footer button")]
  .filter(el => { const box = el.getBoundingClientRect();
    return box.width > 0 && (box.height < 24 || box.width < 24); })
  .map(el => `${el.textContent.trim()} ${Math.round(el.getBoundingClientRect().height)} px`)"""

# One-word names laid out on more than one line (an inline box broken across lines).
BROKEN_NAMES = """() => [...document.querySelectorAll("td code, th code, .nowrap a, .bar-label")]
  .filter(el => el.getClientRects().length > 1).map(el => el.textContent.trim())"""


def overflow(page, width, *, admin):
    """What does not fit `width`: the page's own width when wider, and overflowing tables."""
    problems = []
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width:
        problems.append(f"page {scroll_width} px: {page.evaluate(WIDE_ELEMENTS, width)}")
    tables = page.evaluate(OVERFLOWING_TABLES, admin)
    problems += [f"table in {where}" for where in tables]
    if not admin:
        problems += [f"small target: {target}" for target in page.evaluate(SMALL_TARGETS)]
    if width >= 1280:
        problems += [f"broken mid-word: {name}" for name in page.evaluate(BROKEN_NAMES)]
    return problems


WIDTHS = [320, 1280]


def visit_all(page, live_server, pages, language):
    """Each page loaded once and measured at every width (resizing lays it out again)."""
    found = {}
    for name, args in pages:
        path = address(name, args, language)
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            if problems := overflow(page, width, admin=name.startswith("admin:")):
                found[f"{path} at {width} px"] = problems
    return found


@pytest.mark.parametrize("language", ["sv", "en"])
def test_no_page_scrolls_sideways(browser, live_server, django_user_model, language):
    customer = customer_with_registrations(django_user_model, language)
    staff = staff_member(django_user_model)
    resource = Resource.objects.first()
    found = {}

    anonymous = browser.new_context()
    found |= visit_all(anonymous.new_page(), live_server, PUBLIC_PAGES, language)
    anonymous.close()

    signed_in = browser.new_context()
    sign_in(signed_in, live_server, customer)
    customer_pages = [*CUSTOMER_PAGES, ("registrations:resource", [resource.pk])]
    found |= visit_all(signed_in.new_page(), live_server, customer_pages, language)
    signed_in.close()

    staff_context = browser.new_context()
    sign_in(staff_context, live_server, staff, staff=True)
    found |= visit_all(staff_context.new_page(), live_server, STAFF_PAGES, language)
    staff_context.close()

    assert found == {}
