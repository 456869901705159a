"""The admin in Chromium at 1280 and 390 px: nothing covers the title, wide lists scroll in place.

With SCREENSHOT_DIR set, each page and width is saved as a PNG (docs/screenshots/).
"""

import os
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.mfa import sign_in_staff
from e2e.site import share_session
from policy.models import PolicyVersion
from registrations.models import LicenceKey, Product


@pytest.fixture
def admin_page(page, context, live_server, staff_user):
    share_session(context, live_server, sign_in_staff(Client(), staff_user))
    return page


def overlaps(first, second):
    return not (
        first["x"] + first["width"] <= second["x"]
        or second["x"] + second["width"] <= first["x"]
        or first["y"] + first["height"] <= second["y"]
        or second["y"] + second["height"] <= first["y"]
    )


def visit(page, live_server, address, width, name):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}{address}")
    page.wait_for_load_state()
    if directory := os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=str(Path(directory) / f"admin-{name}-sv-{width}.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1280, 390])
def test_the_index_is_centiros_with_the_statistics_link(admin_page, live_server, width):
    visit(admin_page, live_server, reverse("admin:index"), width, "index")

    assert admin_page.locator("#site-name").inner_text() == "Centiro – administration"
    assert admin_page.locator(".statistics-link a").is_visible()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_policy_diff_tools_do_not_cover_the_title(admin_page, live_server, staff_user, width):
    current = PolicyVersion.objects.get(number=1)
    draft = PolicyVersion.objects.open_draft()  # the seeded version 2: one draft at a time
    draft.body_sv = current.body_sv + "\n\nEtt nytt stycke om hur vi skyddar dina uppgifter."
    draft.save()
    address = reverse("admin:policy_policyversion_diff", args=[draft.pk])

    visit(admin_page, live_server, address, width, "diff")

    title = admin_page.locator("#content h1").bounding_box()
    for tool in admin_page.locator(".object-tools li").all():
        assert not overlaps(title, tool.bounding_box())


@pytest.mark.parametrize("width", [1280, 390])
def test_the_licence_key_list_scrolls_inside_its_box(admin_page, live_server, width):
    product = Product.objects.create(
        slug="centiro-wms", name_sv="Centiro WMS", name_en="Centiro WMS"
    )
    LicenceKey.objects.bulk_create(
        LicenceKey(product=product, key=f"CENTIRO-WMS-{n:04d}-ABCD-EFGH-IJKL-MNOP-QRST")
        for n in range(30)
    )

    visit(
        admin_page, live_server, reverse("admin:registrations_licencekey_changelist"), width, "keys"
    )

    results = admin_page.locator("#changelist-form .results")
    assert results.evaluate("box => getComputedStyle(box).overflowX") == "auto"
    results.evaluate("box => { box.scrollLeft = box.scrollWidth; }")
    last_column = admin_page.locator("#result_list thead th").last.bounding_box()
    assert last_column["x"] + last_column["width"] <= width
