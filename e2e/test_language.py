"""The language a customer chose is followed: after signing in from a Swedish link, and after
changing it on "My data" (issue 26, item 1)."""

from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import translation

PASSWORD = "ett-långt-lösenord-2016"


def test_an_english_customer_follows_their_language_after_a_swedish_link_and_a_change(
    page, live_server, django_user_model, sign_in_with_form
):
    customer = django_user_model.objects.create_user(
        email="buyer@customer.example.com", password=PASSWORD, language="en", country="GB"
    )
    EmailAddress.objects.create(user=customer, email=customer.email, verified=True, primary=True)
    with translation.override("en"):
        english_portal, english_my_data = (
            reverse("registrations:portal"),
            reverse("accounts:my_data"),
        )
    swedish_my_data = reverse("accounts:my_data")

    # The portal's own redirect for a signed-out visitor: the Swedish sign-in page.
    page.goto(live_server.url + reverse("registrations:portal"))
    assert page.url == f"{live_server.url}{reverse('account_login')}?next=/portal/"
    assert page.locator("html").get_attribute("lang") == "sv"
    sign_in_with_form(page, customer.email, PASSWORD)

    page.wait_for_url(live_server.url + english_portal)
    assert english_portal == "/en/portal/"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_text(f"Successfully signed in as {customer.email}").is_visible()

    page.get_by_role("link", name="My data").first.click()
    page.get_by_label("Language:").select_option("sv")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(live_server.url + swedish_my_data)
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_text("Dina uppgifter är sparade.").is_visible()
    assert not page.get_by_text("Your details have been saved.").count()

    page.get_by_label("Språk:").select_option("en")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url(live_server.url + english_my_data)
    assert page.get_by_text("Your details have been saved.").is_visible()
    assert not page.get_by_text("Dina uppgifter är sparade.").count()
