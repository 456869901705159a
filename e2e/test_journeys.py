"""Journeys through the real pages (issue 14)."""

from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import translation

PASSWORD = "ett-långt-lösenord-2016"


def _verified_customer(django_user_model, language="sv"):
    customer = django_user_model.objects.create_user(
        email="kund@example.se", password=PASSWORD, language=language
    )
    EmailAddress.objects.create(user=customer, email=customer.email, verified=True, primary=True)
    return customer


def test_customer_finds_the_portal_from_the_home_page(page, live_server, django_user_model):
    customer = _verified_customer(django_user_model)

    page.goto(live_server.url + reverse("home"))
    page.get_by_role("link", name="Kundportal").click()
    page.get_by_label("E-postadress").fill(customer.email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()

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


def test_sign_in_without_next_lands_on_the_portal_in_english(page, live_server, django_user_model):
    customer = _verified_customer(django_user_model, language="en")
    with translation.override("en"):
        login, portal = reverse("account_login"), reverse("registrations:portal")

    page.goto(live_server.url + login)
    page.get_by_label("Email").fill(customer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()

    page.wait_for_url(live_server.url + portal)
    header = page.get_by_role("navigation", name="Main menu")
    portal_link = header.get_by_role("link", name="Customer portal")
    assert portal_link.get_attribute("aria-current") == "page"
