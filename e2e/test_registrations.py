import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from e2e.site import share_session
from registrations.models import LicenceKey, Product, Resource


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
