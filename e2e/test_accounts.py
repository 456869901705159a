import json
import re

from django.core import mail
from django.urls import reverse

from accounts.models import User

PASSWORD = "ett-långt-lösenord-2016"


def test_sign_up_verify_sign_in_view_export_and_delete_in_swedish(
    page, live_server, assert_accessible, sign_in_with_form
):
    page.goto(live_server.url + reverse("account_signup"))
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_label("Land:").input_value() == "SE"
    assert_accessible(page)
    page.get_by_label("E-postadress:").fill("journey@example.se")
    page.get_by_label("Lösenord:", exact=True).fill(PASSWORD)
    page.get_by_label("Lösenord (igen):").fill(PASSWORD)
    page.get_by_role("button", name="Skapa konto").click()
    page.wait_for_url(live_server.url + reverse("account_email_verification_sent"))

    (message,) = mail.outbox
    link = re.search(r"https?://\S+", message.body).group(0)
    page.goto(live_server.url + "/" + link.split("://", 1)[1].split("/", 1)[1])
    page.get_by_role("button", name="Verifiera").click()
    page.wait_for_url(live_server.url + reverse("account_login"))

    sign_in_with_form(page, "journey@example.se", PASSWORD)
    page.wait_for_url(live_server.url + reverse("registrations:portal"))

    page.get_by_role("link", name="Mina uppgifter").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Mina uppgifter"
    assert page.get_by_text("journey@example.se \N{EN DASH} verifierad").is_visible()
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner mina uppgifter").first.click()
    with open(download.value.path(), encoding="utf-8") as exported:
        assert json.load(exported)["account"]["email"] == "journey@example.se"

    page.get_by_role("link", name="Radera mitt konto").click()
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Verifiera").click()
    page.wait_for_url(live_server.url + reverse("accounts:delete"))
    assert_accessible(page)
    page.get_by_role("button", name="Radera mitt konto").click()

    page.wait_for_url(live_server.url + reverse("home"))
    assert page.get_by_text("Ditt konto är raderat").is_visible()
    assert not User.objects.filter(email="journey@example.se").exists()
    assert mail.outbox[-1].subject == "Centiro: ditt konto är raderat"
