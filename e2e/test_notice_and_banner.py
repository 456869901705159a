"""The policy notice and the cookie banner on a phone, and closing the notice (issue 14)."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from policy.models import PolicyVersion

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def major_version(staff_user, django_capture_on_commit_callbacks):
    version = PolicyVersion.objects.create(
        body_sv="Stor ändring.", body_en="Big change.", is_major=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        version.publish(by=staff_user, effective_date=timezone.localdate())
    return version


def test_on_a_phone_the_notice_and_the_banner_leave_the_h1_in_the_first_screen(
    browser, live_server, major_version
):
    context = browser.new_context(locale="sv-SE", viewport=PHONE)
    page = context.new_page()
    for name in ["home", "about", "contact", "policy:current", "account_login"]:
        for language in ["sv", "en"]:
            with translation.override(language):
                url = live_server.url + reverse(name)
            page.goto(url)
            assert page.locator(".policy-notice").is_visible(), url
            assert page.locator(".cookie-banner").is_visible(), url
            box = page.get_by_role("heading", level=1).bounding_box()
            assert box["y"] + box["height"] <= PHONE["height"], (url, box)
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_visitor_closes_the_notice_and_it_stays_closed(
    browser, live_server, major_version, javascript, assert_accessible
):
    context = browser.new_context(locale="sv-SE", java_script_enabled=javascript)
    page = context.new_page()
    about = live_server.url + reverse("about")
    page.goto(about)
    notice = page.get_by_role("region", name="Ändrad sekretesspolicy")
    if javascript:
        assert_accessible(page)  # notice bar, banner and page together

    notice.get_by_role("button", name="Stäng meddelandet").click()

    page.wait_for_url(about)
    assert notice.count() == 0
    page.goto(live_server.url + reverse("home"))
    assert page.get_by_role("region", name="Ändrad sekretesspolicy").count() == 0
    context.close()
