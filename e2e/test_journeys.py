"""Journeys through the real pages (issue 14)."""

from io import StringIO
from urllib.parse import urlsplit

from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from accounts.tests.mfa import activate_totp, totp_code

PASSWORD = "ett-långt-lösenord-2016"
STAFF_PASSWORD = "personalens-lösenord-2016"


def test_customer_finds_the_portal_from_the_home_page(
    page, live_server, user_factory, sign_in_with_form
):
    customer = user_factory(password=PASSWORD)

    page.goto(live_server.url + reverse("home"))
    page.get_by_role("link", name="Kundportal").click()
    sign_in_with_form(page, customer.email, PASSWORD)

    page.wait_for_url(live_server.url + reverse("registrations:portal"))
    header = page.get_by_role("navigation", name="Huvudmeny")
    assert header.get_by_role("link", name="Kundportal").get_attribute("aria-current") == "page"
    assert header.get_by_role("link", name="Mina uppgifter").get_attribute("aria-current") is None

    tabs = page.get_by_role("navigation", name="Portalen")
    tabs.get_by_role("link", name="Mina produkter").click()
    page.wait_for_url(live_server.url + reverse("registrations:list"))
    assert tabs.get_by_role("link", name="Mina produkter").get_attribute("aria-current") == "page"
    assert tabs.get_by_role("link", name="Material").get_attribute("aria-current") is None
    # The tabs read as a row of tabs, not a bulleted list.
    assert tabs.locator("ul").evaluate("ul => getComputedStyle(ul).display") == "flex"
    assert tabs.locator("li").first.evaluate("li => getComputedStyle(li).listStyleType") == "none"

    header.get_by_role("link", name="Mina uppgifter").click()
    page.wait_for_url(live_server.url + reverse("accounts:my_data"))
    assert header.get_by_role("link", name="Mina uppgifter").get_attribute("aria-current") == "page"


def test_sign_in_without_next_lands_on_the_portal_in_english(
    page, live_server, user_factory, sign_in_with_form
):
    customer = user_factory(password=PASSWORD, language="en")
    with translation.override("en"):
        login, portal = reverse("account_login"), reverse("registrations:portal")

    page.goto(live_server.url + login)
    sign_in_with_form(page, customer.email, PASSWORD)

    page.wait_for_url(live_server.url + portal)
    header = page.get_by_role("navigation", name="Main menu")
    portal_link = header.get_by_role("link", name="Customer portal")
    assert portal_link.get_attribute("aria-current") == "page"


def test_new_staff_member_goes_from_create_staff_to_the_admin_without_dead_ends(
    page, live_server, sign_in_with_form
):
    out = StringIO()
    call_command("create_staff", email="ny@centiro.se", superuser=True, stdout=out)
    reset_link = next(line for line in out.getvalue().splitlines() if "://" in line)
    page.goto(live_server.url + urlsplit(reset_link).path)
    page.locator("input[type=password]").nth(0).fill(STAFF_PASSWORD)
    page.locator("input[type=password]").nth(1).fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Ändra lösenord").click()

    page.goto(live_server.url + reverse("admin:index"))
    sign_in_with_form(page, "ny@centiro.se", STAFF_PASSWORD)

    page.wait_for_url(live_server.url + reverse("mfa_activate_totp"))
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Autentiseringskod").fill(totp_code(secret))
    page.get_by_role("button", name="Aktivera").click()

    page.wait_for_url(live_server.url + reverse("mfa_view_recovery_codes"))
    assert page.locator("#recovery_codes").input_value().strip()
    page.get_by_role("link", name="Fortsätt till administrationen").click()

    page.wait_for_url(live_server.url + reverse("admin:index"))
    assert page.get_by_role("heading", level=1).count() == 1


def test_staff_confirm_with_a_code_and_are_not_sent_round_by_the_password(
    page, live_server, user_factory, settings, sign_in_with_form
):
    staff = user_factory("personal@centiro.se", STAFF_PASSWORD, superuser=True)
    secret = activate_totp(staff)

    page.goto(live_server.url + reverse("account_login"))
    sign_in_with_form(page, staff.email, STAFF_PASSWORD)
    page.get_by_label("Kod").fill(totp_code(secret))
    page.get_by_role("button", name="Logga in", exact=True).click()
    page.wait_for_url(live_server.url + reverse("registrations:portal"))

    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0  # the sign-in is no longer fresh
    page.goto(live_server.url + reverse("accounts:delete"))
    page.wait_for_url(f"{live_server.url}{reverse('mfa_reauthenticate')}**")
    assert page.get_by_role("link", name="Använd ditt lösenord").count() == 0
    assert page.get_by_role("button", name="Använd ditt lösenord").count() == 0
