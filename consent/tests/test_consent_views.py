"""The banner, the consent POST endpoint and the cookie settings page."""

import re
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from consent import records, texts, views
from consent.cookies import CONSENT_COOKIE, NECESSARY, STATISTICS
from consent.models import ConsentOwner, ConsentRecord
from consent.tests.consent_utils import BANNER_SENTENCE, banner_html, choose, state_of
from core.cookies import declaration
from visits.visitor_cookie import VISITOR_COOKIE

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["home", "about", "contact", "policy:current"])
def test_the_banner_is_on_every_page_until_the_visitor_chooses(client, name):
    banner = banner_html(client.get(reverse(name)))
    assert BANNER_SENTENCE in banner
    assert f'href="{reverse("policy:current")}"' in banner
    assert f'href="{reverse("consent:cookies")}"' in banner

    choose(client, "necessary_only")
    assert banner_html(client.get(reverse(name))) is None


def test_the_banner_is_in_english_on_english_pages(client):
    with translation.override("en"):
        policy_url, cookies_url = reverse("policy:current"), reverse("consent:cookies")
        banner = banner_html(client.get(reverse("about")))
    assert "a random id used only to count visits to our pages, nothing else" in banner
    assert "Nothing is shared with third parties." in banner
    assert BANNER_SENTENCE not in banner
    assert f'href="{policy_url}"' in banner
    assert f'href="{cookies_url}"' in banner
    assert ">Accept all<" in banner


def test_the_banner_marks_each_button_and_link_with_its_role_in_any_language(client):
    """Audits that read no Swedish recognise accept, reject, settings and the policy link."""
    for language in ["sv", "en"]:
        with translation.override(language):
            policy_url, cookies_url = reverse("policy:current"), reverse("consent:cookies")
            banner = banner_html(client.get(reverse("about")))
        button = r'name="choice" value="([a-z_]+)" data-consent-action="([a-z]+)"'
        assert re.findall(button, banner) == [
            ("accept_all", "accept"),
            ("necessary_only", "reject"),
            ("settings", "settings"),
        ]
        assert f'href="{policy_url}" data-consent-link="privacy-policy"' in banner
        assert f'href="{cookies_url}" data-consent-link="cookie-settings"' in banner


def test_the_three_choices_are_buttons_of_the_same_kind_and_classes(client):
    banner = banner_html(client.get(reverse("home")))
    buttons = re.findall(
        r'<button type="submit" name="choice" value="(\w+)" data-consent-action="\w+" '
        r'class="([^"]+)">([^<]+)<',
        banner,
    )
    assert [(value, label) for value, _classes, label in buttons] == [
        ("accept_all", "Godkänn alla"),
        ("necessary_only", "Endast nödvändiga"),
        ("settings", "Inställningar"),
    ]
    assert len({classes for _value, classes, _label in buttons}) == 1
    assert banner.count("<button") == 3


def test_nothing_is_pre_ticked(client):
    assert "checked" not in banner_html(client.get(reverse("home")))
    assert "checked" not in client.get(reverse("consent:cookies")).content.decode()


def test_accept_all_records_the_choice_and_sets_the_signed_cookie(client, monkeypatch):
    monkeypatch.setattr(records.services, "current_version", lambda: SimpleNamespace(number=3))

    response = choose(client, "accept_all", next_url=reverse("about"))

    assert response.status_code == 302
    assert response["Location"] == reverse("about") + "?consent=saved"
    record = ConsentRecord.objects.get()
    assert record.action == ConsentRecord.Action.ACCEPT_ALL
    assert record.categories == [NECESSARY, STATISTICS]
    assert record.policy_version == 3
    assert record.revision.revision == texts.current_revision().revision
    assert record.gpc is False
    state = state_of(client)
    assert state.consent_id == record.consent_id
    assert state.allows(STATISTICS)
    assert state.policy_version == 3
    assert VISITOR_COOKIE.name not in response.cookies


def test_a_database_without_a_published_policy_records_no_version(client, monkeypatch):
    monkeypatch.setattr(records.services, "current_version", lambda: None)
    choose(client, "accept_all")
    assert ConsentRecord.objects.get().policy_version is None


def test_necessary_only_deletes_the_visitor_id_in_the_same_response(client):
    client.cookies[VISITOR_COOKIE.name] = "a-visitor-id"

    response = choose(client, "necessary_only")

    assert ConsentRecord.objects.get().categories == [NECESSARY]
    assert not state_of(client).allows(STATISTICS)
    assert response.cookies[VISITOR_COOKIE.name].value == ""
    assert response.cookies[VISITOR_COOKIE.name]["max-age"] == 0


def test_settings_leads_to_the_settings_page_without_recording_anything(client):
    response = choose(client, "settings", next_url=reverse("about"))
    assert response["Location"] == (
        reverse("consent:cookies") + "?" + urlencode({"next": reverse("about")})
    )
    assert not ConsentRecord.objects.exists()
    assert CONSENT_COOKIE.name not in response.cookies

    page = client.get(response["Location"]).content.decode()
    assert f'name="next" value="{reverse("about")}"' in page


def test_the_settings_page_opts_in_and_out_of_statistics(client):
    choose(client, "custom", data={"categories": [STATISTICS]})
    assert state_of(client).allows(STATISTICS)
    page = client.get(reverse("consent:cookies")).content.decode()
    assert re.search(r'value="statistics"[^>]*checked', page)

    choose(client, "custom")
    assert not state_of(client).allows(STATISTICS)
    assert [r.action for r in ConsentRecord.objects.order_by("created_at", "id")] == [
        "custom",
        "custom",
    ]


def test_withdrawing_is_one_click_from_the_footer_link(client):
    client.cookies[VISITOR_COOKIE.name] = "a-visitor-id"
    choose(client, "accept_all")
    consent_id = state_of(client).consent_id
    home = client.get(reverse("home")).content.decode()
    assert f'<a href="{reverse("consent:cookies")}">Inställningar för kakor</a>' in home

    page = client.get(reverse("consent:cookies")).content.decode()
    assert 'value="withdraw"' in page
    response = choose(client, "withdraw", next_url=reverse("consent:cookies"))

    assert response["Location"] == reverse("consent:cookies") + "?consent=saved"
    assert response.cookies[VISITOR_COOKIE.name]["max-age"] == 0
    state = state_of(client)
    assert state.chosen
    assert not state.allows(STATISTICS)
    assert state.consent_id == consent_id
    latest = ConsentRecord.objects.order_by("created_at", "id").last()
    assert latest.action == ConsentRecord.Action.WITHDRAW
    assert latest.categories == [NECESSARY]


def test_a_leftover_visitor_id_without_consent_is_deleted(client):
    client.cookies[VISITOR_COOKIE.name] = "a-visitor-id"
    response = client.get(reverse("home"))
    assert response.cookies[VISITOR_COOKIE.name]["max-age"] == 0


def test_the_settings_page_tells_the_six_things_for_every_cookie(client):
    page = client.get(reverse("consent:cookies"))
    html = page.content.decode()
    for cookie in declaration():
        for fact in [cookie.name, cookie.purpose, cookie.party, cookie.lifetime, cookie.data]:
            assert str(fact) in html
    assert "Du kan när som helst återkalla ditt samtycke" in html
    # The same for everyone before a choice, so cached; no-store once it shows a consent id
    # (pagecache/tests/test_bound.py).
    assert "no-store" not in page.get("Cache-Control", "")
    assert banner_html(page) is None


def test_the_settings_page_shows_the_current_choice(client):
    assert "Du har inte gjort något val" in client.get(reverse("consent:cookies")).content.decode()
    choose(client, "accept_all")
    html = client.get(reverse("consent:cookies")).content.decode()
    assert "Du har godkänt: Nödvändiga, Statistik" in html
    assert str(state_of(client).consent_id) in html


def test_gpc_keeps_statistics_off_and_the_banner_says_the_signal_is_respected(client):
    response = client.get(reverse("home"), headers={"Sec-GPC": "1"})
    assert "Global Privacy Control" in banner_html(response)
    assert "Sec-GPC" in response["Vary"]
    assert "Global Privacy Control" not in banner_html(client.get(reverse("home")))

    choose(client, "necessary_only", headers={"Sec-GPC": "1"})
    assert not state_of(client).allows(STATISTICS)
    assert ConsentRecord.objects.get().gpc is True


def test_accept_all_is_an_explicit_choice_that_overrides_gpc(client):
    choose(client, "accept_all", headers={"Sec-GPC": "1"})
    assert state_of(client, **{"Sec-GPC": "1"}).allows(STATISTICS)
    assert ConsentRecord.objects.get().gpc is True


def test_opting_in_on_the_settings_page_overrides_gpc(client):
    choose(client, "custom", data={"categories": [STATISTICS]}, headers={"Sec-GPC": "1"})
    assert state_of(client, **{"Sec-GPC": "1"}).allows(STATISTICS)
    assert ConsentRecord.objects.get().gpc is True


def test_pages_with_the_banner_vary_on_the_cookie_and_gpc(client):
    vary = client.get(reverse("home"))["Vary"]
    assert "Sec-GPC" in vary
    assert "Cookie" in vary


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example",
        "https://evil.example/kakor/",
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "http:///evil.example",
        "javascript:alert(1)",
    ],
)
def test_the_redirect_after_a_choice_never_leaves_the_site(client, next_url):
    response = choose(client, "necessary_only", next_url=next_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("home") + "?consent=saved"
    assert ConsentRecord.objects.count() == 1


def test_the_redirect_to_settings_never_leaves_the_site(client):
    response = choose(client, "settings", next_url="//evil.example")
    assert response["Location"] == (
        reverse("consent:cookies") + "?" + urlencode({"next": reverse("home")})
    )
    page = client.get(reverse("consent:cookies"), {"next": "https://evil.example"})
    html = page.content.decode()
    assert 'name="next" value="https://evil.example"' not in html
    assert f'name="next" value="{reverse("consent:cookies")}"' in html


def test_a_same_site_path_with_a_query_is_kept(client):
    response = choose(client, "accept_all", next_url="/kontakt/?a=1&b=2")
    assert response["Location"] == "/kontakt/?a=1&b=2&consent=saved"


def test_a_parameter_without_a_value_is_kept_too(client):
    """`?q=` is not `?`: the page after the choice is the page the visitor was on."""
    response = choose(client, "accept_all", next_url="/kontakt/?q=&b=2")
    assert response["Location"] == "/kontakt/?q=&b=2&consent=saved"


def test_the_page_after_a_choice_confirms_it_in_words_without_a_session(client):
    response = choose(client, "necessary_only", next_url="/kontakt/?consent=saved")
    assert response["Location"] == "/kontakt/?consent=saved"  # the flag only once

    page = client.get(response["Location"])

    assert "Ditt val är sparat: vi sätter bara nödvändiga kakor." in page.content.decode()
    assert settings.SESSION_COOKIE_NAME not in client.cookies
    choose(client, "accept_all")
    html = client.get(reverse("about"), {"consent": "saved"}).content.decode()
    assert "Ditt val är sparat: du har godkänt statistikkakan." in html
    assert "Ditt val är sparat" not in client.get(reverse("about")).content.decode()


def test_the_flag_confirms_nothing_before_a_choice(client):
    html = client.get(reverse("about"), {"consent": "saved"}).content.decode()
    assert "Ditt val är sparat" not in html


def test_consent_posts_are_rate_limited_per_client_address(client):
    for _attempt in range(views.RATE_LIMIT):
        assert choose(client, "necessary_only").status_code == 302
    cookie_before = client.cookies[CONSENT_COOKIE.name].value

    response = choose(client, "accept_all")

    assert response.status_code == 429
    assert response["Retry-After"] == str(views.RATE_PERIOD)
    assert CONSENT_COOKIE.name not in response.cookies
    assert ConsentRecord.objects.count() == views.RATE_LIMIT
    assert client.cookies[CONSENT_COOKIE.name].value == cookie_before
    assert choose(client, "accept_all", REMOTE_ADDR="192.0.2.7").status_code == 302


def test_an_unknown_choice_is_refused_and_nothing_is_recorded(client):
    response = choose(client, "accept_everything_forever")
    assert response.status_code == 400
    assert not ConsentRecord.objects.exists()
    assert CONSENT_COOKIE.name not in response.cookies


def test_an_unknown_category_is_refused(client):
    response = choose(client, "custom", data={"categories": ["marketing"]})
    assert response.status_code == 400
    assert not ConsentRecord.objects.exists()


def test_the_consent_endpoint_answers_only_post(client):
    assert client.get(reverse("consent:choose")).status_code == 405


def test_a_signed_in_choice_links_the_consent_id_to_the_account(client, user):
    client.force_login(user)
    choose(client, "accept_all")
    choose(client, "withdraw")
    owner = ConsentOwner.objects.get()
    assert owner.user == user
    assert owner.consent_id == state_of(client).consent_id


def test_an_anonymous_choice_has_no_owner(client):
    choose(client, "accept_all")
    assert not ConsentOwner.objects.exists()
