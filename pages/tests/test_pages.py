from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache, caches
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = {
    "home": {"sv": "/", "en": "/en/"},
    "about": {"sv": "/om-centiro/", "en": "/en/about-centiro/"},
    "contact": {"sv": "/kontakt/", "en": "/en/contact/"},
}


def reverse_in(language, name, **kwargs):
    with translation.override(language):
        return reverse(name, **kwargs)


@pytest.mark.parametrize("name", PUBLIC_PAGES)
@pytest.mark.parametrize("language", ["sv", "en"])
def test_public_page_answers_in_language_with_translated_path(client, name, language):
    path = reverse_in(language, name)
    assert path == PUBLIC_PAGES[name][language]

    response = client.get(path)

    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.text


def test_swedish_is_default_and_english_is_translated(client):
    assert "Programvara som får leveranser att fungera" in client.get("/").text
    assert "Software that makes deliveries work" in client.get("/en/").text


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_language_switcher_links_to_same_page_in_other_language(client, name):
    sv_html = client.get(PUBLIC_PAGES[name]["sv"]).text
    en_html = client.get(PUBLIC_PAGES[name]["en"]).text

    assert f'href="{PUBLIC_PAGES[name]["en"]}" hreflang="en"' in sv_html
    assert f'href="{PUBLIC_PAGES[name]["sv"]}" hreflang="sv"' in en_html


def test_contact_page_shows_postal_address_and_email(client):
    response = client.get(reverse("contact"))
    for line in ["Centiro Solutions AB", "Box 950", "501 10 Borås", "info@centiro.se"]:
        assert line in response.text


def test_phone_and_organisation_number_show_only_when_set(client, settings):
    settings.COMPANY_PHONE = ""
    settings.COMPANY_ORG_NUMBER = ""
    for name in ["contact", "about"]:
        html = client.get(reverse(name)).text
        assert "tel:" not in html
        assert "Organisationsnummer" not in html

    settings.COMPANY_PHONE = "+46 33 00 00 00"
    settings.COMPANY_ORG_NUMBER = "556000-0000"
    # Anonymous pages are cached (memory in front of the shared cache), as after a deploy.
    cache.clear()
    caches["pages"].clear()
    contact = client.get(reverse("contact")).text
    assert '<a href="tel:+4633000000">+46 33 00 00 00</a>' in contact
    assert "Organisationsnummer 556000-0000" in contact
    assert "556000-0000" in client.get(reverse("about")).text


def test_the_policy_date_reads_as_part_of_the_footer_policy_link(client):
    footer = client.get(reverse("home")).text.split('<footer class="site-footer">', 1)[1]
    link = footer.split(f'<a href="{reverse("policy:current")}">', 1)[1].split("</a>", 1)[0]
    assert "Senast uppdaterad: februari 2016" in link


def test_base_has_skip_link_main_landmark_and_footer_links(client):
    html = client.get(reverse("home")).text
    assert 'href="#main"' in html
    assert '<main id="main"' in html
    assert f'href="{reverse("policy:current")}"' in html
    assert f'href="{reverse("consent:cookies")}"' in html


@pytest.mark.parametrize(
    ("path", "language", "heading"),
    [("/finns-inte/", "sv", "Sidan finns inte"), ("/en/no-such-page/", "en", "Page not found")],
)
def test_404_is_the_sites_own_page_in_the_right_language(client, path, language, heading):
    response = client.get(path)
    assert response.status_code == 404
    assert f'<html lang="{language}">' in response.text
    assert heading in response.text
    assert "Traceback" not in response.text


class SubresourceCollector(HTMLParser):
    """Collects every URL a browser would fetch while rendering the page."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"script", "img", "iframe", "frame", "embed", "source", "audio", "video"}:
            self.urls.append(attrs.get("src"))
        elif tag == "link" and attrs.get("rel") != "alternate" and attrs.get("rel") != "canonical":
            self.urls.append(attrs.get("href"))
        elif tag == "object":
            self.urls.append(attrs.get("data"))
        self.urls.extend(
            value for key, value in attrs.items() if key == "style" and value and "url(" in value
        )


@pytest.mark.parametrize("name", PUBLIC_PAGES)
@pytest.mark.parametrize("language", ["sv", "en"])
def test_no_subresource_from_a_foreign_origin(client, name, language):
    collector = SubresourceCollector()
    collector.feed(client.get(reverse_in(language, name)).text)

    assert collector.urls, "expected at least the stylesheet"
    for url in collector.urls:
        parts = urlsplit(url or "")
        assert not parts.scheme, f"foreign subresource: {url}"
        assert not parts.netloc, f"foreign subresource: {url}"
