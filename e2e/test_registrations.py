import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from e2e.site import share_session
from registrations.models import LicenceKey, Product, Registration, Resource
from registrations.services import register_product


@pytest.fixture
def signed_in_customer(client, context, live_server, user_factory):
    """A verified customer, with the browser carrying their session cookie."""
    customer = user_factory()
    client.force_login(customer)
    share_session(context, live_server, client)
    return customer


def test_customer_registers_a_product_and_downloads_its_manual(
    page, live_server, signed_in_customer, settings, tmp_path, assert_accessible
):
    settings.MEDIA_ROOT = tmp_path
    settings.CSRF_COOKIE_SECURE = False  # the live server speaks plain HTTP
    product = Product.objects.create(slug="delivery", name_sv="Leverans", name_en="Delivery")
    LicenceKey.objects.create(product=product, key="ABCD1234EFGH5678")
    manual = Resource(title_sv="Installationsguide", title_en="Installation guide", product=product)
    manual.file.save("guide.pdf", ContentFile(b"%PDF-1.4 guide"), save=True)

    page.goto(live_server.url + reverse("registrations:register"))
    assert_accessible(page)
    page.get_by_label("Licensnyckel").fill("abcd-1234-efgh-5678")
    page.get_by_role("button", name="Registrera").click()

    page.wait_for_url(live_server.url + reverse("registrations:list"))
    assert "Leverans är registrerad" in page.get_by_role("status").inner_text()
    row = page.get_by_role("row", name="Leverans")
    assert "5678" in row.inner_text()
    assert_accessible(page)

    page.get_by_role("navigation", name="Portalen").get_by_role("link", name="Material").click()
    page.get_by_role("heading", name="Installationsguide").wait_for()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ner guide.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "guide.pdf"
    assert download.path().read_bytes() == b"%PDF-1.4 guide"


def colleague_page(browser, live_server, customer):
    """A browser of its own, signed in as `customer`: one colleague's computer in the office."""
    client = Client()
    client.force_login(customer)
    context = browser.new_context(locale="sv-SE")
    share_session(context, live_server, client)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def send_key(page, live_server, key):
    page.goto(live_server.url + reverse("registrations:register"))
    page.get_by_label("Licensnyckel").fill(key)
    page.get_by_role("button", name="Registrera").click()
    page.wait_for_load_state()


def test_three_colleagues_behind_one_address_register_their_keys(
    browser, live_server, user_factory, settings
):
    """Every browser here comes from 127.0.0.1, as an office behind one NAT does. Each colleague
    mistypes their key three times before getting it right: twelve attempts from the address,
    more than the old limit of ten attempts of any kind."""
    settings.CSRF_COOKIE_SECURE = False  # the live server speaks plain HTTP
    product = Product.objects.create(slug="delivery", name_sv="Leverans", name_en="Delivery")
    for number in range(3):
        key = f"OFFICE{number}KEY0001"
        LicenceKey.objects.create(product=product, key=key)
        page = colleague_page(
            browser, live_server, user_factory(f"kollega{number}@kund.example.se")
        )
        for typo in ("OFFICE{}KEY0010", "OFFICE{}KEY0100", "OFFICE{}KEY1000"):
            send_key(page, live_server, typo.format(number))
            alert = page.get_by_role("alert").inner_text()
            assert "Licensnyckeln kan inte användas" in alert
            assert "för många försök" not in page.content()
        send_key(page, live_server, key.lower())
        assert page.url == live_server.url + reverse("registrations:list")
        assert "Leverans är registrerad" in page.get_by_role("status").inner_text()
        page.context.close()
    assert Registration.objects.count() == 3


def test_a_key_a_colleague_registered_is_reported_as_registered(
    browser, live_server, user_factory, settings, assert_accessible
):
    settings.CSRF_COOKIE_SECURE = False
    product = Product.objects.create(slug="delivery", name_sv="Leverans", name_en="Delivery")
    LicenceKey.objects.create(product=product, key="ABCD1234EFGH5678")
    colleague = user_factory("kollega@kund.example.se")
    register_product(colleague, "ABCD1234EFGH5678", updates_opt_in=False)

    page = colleague_page(browser, live_server, user_factory("ny@kund.example.se"))
    send_key(page, live_server, "abcd-1234-efgh-5678")

    alert = page.get_by_role("alert").inner_text()
    assert "Licensnyckeln är redan registrerad, oftast av en kollega." in alert
    assert "info@centiro.se" in alert
    assert colleague.email not in page.content()
    assert page.get_by_label("Licensnyckel").input_value() == "abcd-1234-efgh-5678"
    assert_accessible(page)
    page.context.close()
