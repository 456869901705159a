"""The policy notice and the cookie banner: who sees the bar, the announcement everyone sees, and
how much of a phone's first screen the two take (issues 14 and 26)."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from e2e.site import sign_in
from policy import services
from policy.models import PolicyVersion

PHONE = {"width": 390, "height": 844}
NOTICE = "Ändrad sekretesspolicy"
PAGES = ["home", "about", "contact", "policy:current"]


@pytest.fixture
def publish_major(staff_user, django_capture_on_commit_callbacks):
    def publish():
        version = PolicyVersion.objects.create(
            body_sv="Stor ändring.", body_en="Big change.", is_major=True
        )
        with django_capture_on_commit_callbacks(execute=True):
            version.publish(by=staff_user, effective_date=timezone.localdate())
        return version

    return publish


def url(live_server, name, *args, language="sv"):
    with translation.override(language):
        return live_server.url + reverse(name, args=args)


def choose_necessary_only(page, live_server):
    page.goto(url(live_server, "about"))
    page.get_by_role("button", name="Endast nödvändiga").click()
    page.wait_for_url("**?consent=saved")


def test_the_bar_goes_to_a_returning_visitor_not_a_new_one_and_both_see_the_announcement(
    browser, live_server, publish_major
):
    returning = browser.new_context(locale="sv-SE").new_page()
    choose_necessary_only(returning, live_server)  # under version 1

    version = publish_major()
    new = browser.new_context(locale="sv-SE").new_page()

    for page in (returning, new):
        page.goto(url(live_server, "home"))
        footer = page.get_by_role("contentinfo")
        announcement = footer.get_by_text(f"Sekretesspolicyn ändrades {timezone.localdate().day}")
        assert announcement.is_visible()
        assert footer.get_by_role("link", name="Se vad som har ändrats").get_attribute(
            "href"
        ) == reverse("policy:diff", args=[1, version.number])
        page.goto(url(live_server, "policy:current"))
        assert page.get_by_role("note").get_by_text("Vi har ändrat sekretesspolicyn.").is_visible()
    assert returning.get_by_role("region", name=NOTICE).is_visible()
    assert new.get_by_role("region", name=NOTICE).count() == 0
    assert new.locator(".cookie-banner").is_visible()  # a new visitor is asked about cookies


def covered(page):
    """How many pixels of the first screen the notice bar and the cookie banner cover."""
    shown = [page.locator(css) for css in (".policy-notice", ".cookie-banner")]
    boxes = [banner.bounding_box() for banner in shown if banner.count()]
    return sum(box["height"] for box in boxes if box["y"] < PHONE["height"])


def test_on_a_phone_the_bar_and_the_banner_cover_at_most_a_third_of_the_first_screen(
    browser, live_server, publish_major, django_user_model
):
    # A signed-in customer shown version 1 at sign-up, in a browser that has made no cookie
    # choice: the cookie banner first, then, once they have chosen, the bar.
    customer = django_user_model.objects.create_user(email="kund@example.se", password="x" * 20)
    services.record_shown(customer)
    publish_major()
    context = browser.new_context(locale="sv-SE", viewport=PHONE)
    sign_in(context, live_server, customer)
    page = context.new_page()
    pages = [(name, language) for name in PAGES for language in ["sv", "en"]]
    for name, language in pages:
        page.goto(url(live_server, name, language=language))
        assert page.locator(".cookie-banner").is_visible(), (name, language)
        assert covered(page) <= PHONE["height"] / 3, (name, language, covered(page))
    choose_necessary_only(page, live_server)
    for name, language in pages:
        page.goto(url(live_server, name, language=language))
        assert page.locator(".policy-notice").is_visible(), (name, language)
        assert covered(page) <= PHONE["height"] / 3, (name, language, covered(page))
    context.close()


def test_a_staff_preview_shows_the_page_first_and_the_banners_after_it(
    browser, live_server, publish_major, staff_user
):
    draft = PolicyVersion.objects.create(body_sv="Utkast.", body_en="Draft.")
    context = browser.new_context(locale="sv-SE", viewport=PHONE)
    sign_in(context, live_server, staff_user, staff=True)
    page = context.new_page()
    page.goto(url(live_server, "admin:policy_policyversion_preview", draft.pk))

    heading = page.get_by_role("heading", level=1).bounding_box()
    banner = page.locator(".cookie-banner").bounding_box()
    assert heading["y"] + heading["height"] <= PHONE["height"]
    assert banner["y"] > heading["y"] + heading["height"]
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_returning_visitor_closes_the_notice_and_it_stays_closed(
    browser, live_server, publish_major, javascript, assert_accessible
):
    context = browser.new_context(locale="sv-SE", java_script_enabled=javascript)
    page = context.new_page()
    choose_necessary_only(page, live_server)
    publish_major()
    about = url(live_server, "about")
    page.goto(about)
    notice = page.get_by_role("region", name=NOTICE)
    if javascript:
        assert_accessible(page)  # notice bar, announcement and page together

    notice.get_by_role("button", name="Stäng meddelandet").click()

    page.wait_for_url(about)
    assert notice.count() == 0
    page.goto(url(live_server, "home"))
    assert page.get_by_role("region", name=NOTICE).count() == 0
    context.close()
