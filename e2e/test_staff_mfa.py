from django.urls import reverse

from accounts.tests.mfa import totp_code

PASSWORD = "personalens-lösenord-2016"


def test_new_staff_member_sets_up_an_authenticator_before_reaching_the_admin(
    page, live_server, user_factory, sign_in_with_form
):
    staff = user_factory("ny@centiro.se", PASSWORD, superuser=True)
    console = []
    page.on("console", lambda message: console.append(message.text))

    page.goto(live_server.url + reverse("admin:index"))
    sign_in_with_form(page, staff.email, PASSWORD)

    page.wait_for_url(live_server.url + reverse("mfa_activate_totp"))
    qr = page.locator("img.qr-code")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    assert not [text for text in console if "Content Security Policy" in text]
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Autentiseringskod:").fill(totp_code(secret))
    page.get_by_role("button", name="Aktivera").click()

    # The code that activated the app is this sign-in's second factor.
    page.goto(live_server.url + reverse("admin:index"))
    assert page.url == live_server.url + reverse("admin:index")
