import re
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

pytestmark = pytest.mark.django_db


def test_robots_txt_disallows_private_areas_and_names_the_sitemap(client):
    body = client.get("/robots.txt").text
    private = ["/admin/", "/konto/", "/en/account/", "/portal/", "/en/portal/"]
    private += ["/besoksstatistik/", "/en/visit-statistics/"]
    for path in private:
        assert f"Disallow: {path}" in body


def test_robots_txt_disallows_the_consent_endpoint_in_both_languages(client):
    body = client.get("/robots.txt").text
    for language in ["sv", "en"]:
        with translation.override(language):
            assert f"Disallow: {reverse('consent:choose')}" in body
    assert "Sitemap: https://www.centiro.se/sitemap.xml" in body


def test_sitemap_lists_public_pages_in_both_languages_with_hreflang(client):
    body = client.get(reverse("sitemap")).text
    paths = ["/", "/om-centiro/", "/kontakt/", "/en/about-centiro/", "/en/contact/"]
    paths += [reverse("policy:archive"), reverse("policy:version", args=[1])]
    for path in paths:
        assert f"<loc>https://www.centiro.se{path}</loc>" in body
    assert 'hreflang="en" href="https://www.centiro.se/en/about-centiro/"' in body
    assert 'hreflang="x-default"' in body


def test_every_page_has_canonical_and_hreflang_on_the_canonical_host(client):
    html = client.get("/en/contact/", HTTP_HOST="centiro.com").text
    assert '<link rel="canonical" href="https://www.centiro.se/en/contact/">' in html
    assert '<link rel="alternate" hreflang="sv" href="https://www.centiro.se/kontakt/">' in html
    assert 'name="robots"' not in html


def test_pages_have_their_own_title_and_description_in_both_languages(client):
    sv = client.get(reverse("about")).text
    en = client.get("/en/about-centiro/").text
    assert "<title>Om Centiro – Centiro Solutions AB</title>" in sv
    assert "<title>About Centiro – Centiro Solutions AB</title>" in en
    assert re.search(r'<meta name="description" content="Om Centiro Solutions AB', sv)
    assert re.search(r'<meta name="description" content="About Centiro Solutions AB', en)


def test_security_txt_follows_rfc_9116(client, settings):
    settings.SECURITY_CONTACT = "mailto:security@centiro.se"
    response = client.get("/.well-known/security.txt")

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = dict(line.split(": ", 1) for line in response.text.splitlines() if line)
    assert fields["Contact"] == "mailto:security@centiro.se"
    expires = datetime.fromisoformat(fields["Expires"].replace("Z", "+00:00"))
    assert timezone.now() < expires < timezone.now() + timedelta(days=365)
    assert fields["Canonical"] == "https://www.centiro.se/.well-known/security.txt"


def test_security_txt_expiry_comes_from_settings(client, settings):
    settings.SECURITY_TXT_EXPIRES = "2027-06-30T00:00:00+00:00"
    assert "Expires: 2027-06-30T00:00:00Z" in client.get("/.well-known/security.txt").text


def test_sign_in_page_is_not_indexed(client):
    assert '<meta name="robots" content="noindex' in client.get(reverse("account_login")).text


def test_favicon_ico_leads_to_the_sites_own_icon(client):
    from django.contrib.staticfiles import finders
    from django.templatetags.static import static

    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"] == static("img/favicon.ico")
    with open(finders.find("img/favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # an ICO file's signature
