import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from policy import services
from policy.cookies import NOTICE_COOKIE
from policy.models import PolicyAcceptance

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def url(name, *args, language="sv"):
    with translation.override(language):
        return reverse(name, args=args)


@pytest.mark.parametrize(
    ("language", "last_updated"),
    [
        ("sv", "Senast uppdaterad: februari 2016."),
        ("en", "Last updated: February 2016."),
    ],
)
def test_the_current_policy_ends_with_its_date_and_links_to_the_archive(
    client, language, last_updated
):
    response = client.get(url("policy:current", language=language))

    html = response.content.decode()
    assert response.status_code == 200
    article = html.split("<article", 1)[1].split("</article>", 1)[0]
    assert last_updated in article
    assert f'href="{url("policy:archive", language=language)}"' in article


def test_the_english_page_shows_the_translation(client):
    response = client.get(url("policy:current", language="en"))

    assert "Centiro respects your privacy" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "footer"),
    [("sv", "Senast uppdaterad: februari 2016"), ("en", "Last updated: February 2016")],
)
def test_every_page_has_the_policy_date_in_the_footer(client, language, footer):
    response = client.get(url("home", language=language))

    footer_html = response.content.decode().split('<footer class="site-footer">', 1)[1]
    assert f'href="{url("policy:current", language=language)}"' in footer_html
    assert footer in footer_html


def test_the_archive_lists_published_versions_only(client, policy_version, make_draft, publish):
    new = publish(make_draft(change_summary_sv="Kortare text."), timezone.localdate())

    response = client.get(url("policy:archive"))

    assert response.status_code == 200
    assert list(response.context["versions"]) == [new, policy_version]
    assert "Kortare text." in response.content.decode()
    assert new.number == 2  # published before the seeded draft, which is now version 3
    assert url("policy:version", 3) not in response.content.decode()  # the draft
    assert url("policy:diff", 1, new.number) in response.content.decode()


def test_an_older_version_says_it_no_longer_applies(client, make_draft, publish):
    publish(make_draft(), timezone.localdate())

    response = client.get(url("policy:version", 1))

    assert response.status_code == 200
    assert "som inte längre gäller" in response.content.decode()
    assert "Senast uppdaterad: februari 2016." in response.content.decode()


def test_drafts_unknown_and_scheduled_versions_are_not_found(client, make_draft, publish):
    scheduled = publish(make_draft(), timezone.localdate() + dt.timedelta(days=3))

    assert client.get(url("policy:version", 2)).status_code == 404  # the GDPR draft
    assert client.get(url("policy:version", 99)).status_code == 404
    assert client.get(url("policy:version", scheduled.number)).status_code == 404
    assert client.get(url("policy:diff", 1, 2)).status_code == 404
    assert client.get(url("policy:diff", 1, 99)).status_code == 404
    assert client.get(url("policy:diff", 99, 1)).status_code == 404


def test_the_diff_first_lists_the_changed_sections_then_shows_old_and_new(
    client, policy_version, make_draft, publish
):
    body = policy_version.body_sv.replace(
        "Läs igenom hela denna policy.", "Läs hela policyn noga."
    ).replace("## Upprätthållande", "## Ny rubrik\n\nEtt nytt avsnitt.\n\n## Upprätthållande")
    new = publish(make_draft(body_sv=body), timezone.localdate())

    response = client.get(url("policy:diff", 1, new.number))

    html = response.content.decode()
    assert response.status_code == 200
    summary = html.split('<nav class="diff-summary"', 1)[1].split("</nav>", 1)[0]
    assert "2 av 9 avsnitt har ändrats" in summary
    assert '<a href="#andring-inledning">Inledning</a>' in summary
    assert '<a href="#andring-ny-rubrik">Ny rubrik</a>' in summary
    assert html.index("diff-summary") < html.index('id="andring-inledning"')
    assert "Läs <del>igenom hela denna policy.</del>" in html
    assert "Läs <ins>hela policyn noga.</ins>" in html
    # Unchanged sections are folded away, whole.
    assert html.count('<details class="diff-unchanged">') == 7
    assert "<summary>Kontakt (oförändrat)</summary>" in html


def test_the_english_diff_has_the_english_summary(client, make_draft, publish):
    new = publish(
        make_draft(body_sv="Ny text.", body_en="New text.\n\n## Contact\n\nWrite."),
        timezone.localdate(),
    )

    html = client.get(url("policy:diff", 1, new.number, language="en")).content.decode()

    assert "sections changed" in html
    assert '<a href="#andring-inledning">Introduction</a>' in html


class TestNoticeBar:
    @pytest.fixture
    def major(self, make_draft, publish):
        with time_machine.travel(dt.datetime(2026, 3, 1, 8, tzinfo=STOCKHOLM), tick=False):
            return publish(make_draft(is_major=True), dt.date(2026, 3, 1))

    @time_machine.travel(dt.datetime(2026, 3, 15, 12, tzinfo=STOCKHOLM), tick=False)
    def test_a_visitor_who_chose_under_the_old_version_sees_it_with_a_link_to_the_diff(
        self, client, major, chose_cookies_under
    ):
        html = chose_cookies_under(client, 1).get(url("home")).content.decode()

        assert 'class="policy-notice"' in html
        assert url("policy:diff", 1, major.number) in html
        assert url("policy:acknowledge", major.number) not in html

    @time_machine.travel(dt.datetime(2026, 3, 15, 12, tzinfo=STOCKHOLM), tick=False)
    def test_a_new_visitor_and_one_who_chose_under_the_new_version_get_no_bar(
        self, client, major, chose_cookies_under
    ):
        assert 'class="policy-notice"' not in client.get(url("home")).content.decode()
        chose_cookies_under(client, major.number)
        assert 'class="policy-notice"' not in client.get(url("home")).content.decode()

    @time_machine.travel(dt.datetime(2026, 3, 15, 12, tzinfo=STOCKHOLM), tick=False)
    @pytest.mark.parametrize("language", ["sv", "en"])
    def test_everyone_sees_the_announcement_on_the_policy_page_and_in_the_footer(
        self, client, major, language
    ):
        html = client.get(url("policy:current", language=language)).content.decode()

        changed = {"sv": "Vi har ändrat sekretesspolicyn", "en": "We have changed the privacy"}
        footer = {"sv": "Sekretesspolicyn ändrades 1 mars 2026.", "en": "The privacy policy"}
        article = html.split("<article", 1)[1].split("</article>", 1)[0]
        assert changed[language] in article
        assert url("policy:diff", 1, major.number, language=language) in article
        footer_html = html.split('<footer class="site-footer">', 1)[1]
        assert footer[language] in footer_html
        assert url("policy:diff", 1, major.number, language=language) in footer_html

    @time_machine.travel(dt.datetime(2026, 3, 31, 12, tzinfo=STOCKHOLM), tick=False)
    def test_the_announcement_ends_after_30_days(self, client, major):
        html = client.get(url("policy:current")).content.decode()

        assert "Sekretesspolicyn ändrades" not in html
        assert "Vi har ändrat sekretesspolicyn" not in html

    @time_machine.travel(dt.datetime(2026, 4, 15, 12, tzinfo=STOCKHOLM), tick=False)
    def test_visitors_no_longer_see_it_after_30_days(self, client, major):
        assert 'class="policy-notice"' not in client.get(url("home")).content.decode()

    @time_machine.travel(dt.datetime(2026, 4, 15, 12, tzinfo=STOCKHOLM), tick=False)
    def test_a_user_acknowledges_it_and_goes_back_to_the_same_page(
        self, user, major, policy_version, chose_cookies_under
    ):
        services.record_shown(user, policy_version)  # at sign-up
        client = chose_cookies_under(Client(enforce_csrf_checks=True), major.number)
        client.force_login(user)
        page = client.get(url("about"))
        assert 'class="policy-notice"' in page.content.decode()

        response = client.post(
            url("policy:acknowledge", major.number),
            {"next": url("about"), "csrfmiddlewaretoken": page.context["csrf_token"]},
        )

        assert response.status_code == 302
        assert response["Location"] == url("about")
        assert PolicyAcceptance.objects.get(user=user, version=major).acknowledged_at
        assert 'class="policy-notice"' not in client.get(url("about")).content.decode()

    @time_machine.travel(dt.datetime(2026, 3, 15, 12, tzinfo=STOCKHOLM), tick=False)
    def test_a_visitor_closes_it_without_javascript_and_it_stays_closed(
        self, client, major, chose_cookies_under
    ):
        chose_cookies_under(client, 1)
        page = client.get(url("about")).content.decode()
        assert f'action="{url("policy:dismiss_notice", major.number)}"' in page

        response = client.post(
            url("policy:dismiss_notice", major.number),
            {"next": url("about")},
            headers={"Sec-Fetch-Site": "same-origin"},
        )

        assert response.status_code == 302
        assert response["Location"] == url("about")
        cookie = response.cookies[NOTICE_COOKIE.name]
        assert cookie.value == str(major.number)
        assert cookie["httponly"]
        # Remembered only while the notice is shown: until 31 March, 16 days from now.
        assert int(cookie["max-age"]) == 16 * 24 * 60 * 60
        assert settings.SESSION_COOKIE_NAME not in response.cookies
        for name in ["home", "about", "policy:current"]:
            assert 'class="policy-notice"' not in client.get(url(name)).content.decode()

    @time_machine.travel(dt.datetime(2026, 3, 15, 12, tzinfo=STOCKHOLM), tick=False)
    def test_closing_one_notice_does_not_close_the_next(
        self, client, major, make_draft, publish, chose_cookies_under
    ):
        chose_cookies_under(client, 1)
        client.post(url("policy:dismiss_notice", major.number), {"next": "/"})
        newer = publish(make_draft(is_major=True), dt.date(2026, 3, 15))

        html = client.get(url("home")).content.decode()

        assert 'class="policy-notice"' in html
        assert url("policy:dismiss_notice", newer.number) in html

    @time_machine.travel(dt.datetime(2026, 3, 15, 12, tzinfo=STOCKHOLM), tick=False)
    def test_a_cross_site_post_cannot_close_it(self, client, major):
        response = client.post(
            url("policy:dismiss_notice", major.number),
            {"next": "/"},
            headers={"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
        )

        assert response.status_code == 403
        assert NOTICE_COOKIE.name not in response.cookies

    @pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/"])
    def test_closing_never_redirects_to_another_site(self, client, major, next_url):
        response = client.post(url("policy:dismiss_notice", major.number), {"next": next_url})

        assert response["Location"] == url("policy:current")

    def test_closing_is_post_only_and_needs_a_published_version(self, client, major):
        assert client.get(url("policy:dismiss_notice", major.number)).status_code == 405
        assert client.post(url("policy:dismiss_notice", 99), {"next": "/"}).status_code == 404

    @time_machine.travel(dt.datetime(2026, 3, 15, 12, tzinfo=STOCKHOLM), tick=False)
    def test_a_signed_in_user_acknowledges_instead_of_closing(
        self, user, major, policy_version, chose_cookies_under
    ):
        services.record_shown(user, policy_version)
        client = chose_cookies_under(Client(), major.number)
        client.force_login(user)
        client.cookies[NOTICE_COOKIE.name] = str(major.number)

        html = client.get(url("about")).content.decode()

        assert url("policy:acknowledge", major.number) in html
        assert url("policy:dismiss_notice", major.number) not in html


def test_acknowledging_needs_csrf(user, policy_version):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post(url("policy:acknowledge", 1), {"next": "/"})

    assert response.status_code == 403
    assert not PolicyAcceptance.objects.filter(user=user).exists()


def test_acknowledging_is_post_only(client, user, policy_version):
    client.force_login(user)

    assert client.get(url("policy:acknowledge", 1)).status_code == 405


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", ""])
def test_acknowledging_never_redirects_to_another_site(client, user, policy_version, next_url):
    client.force_login(user)

    response = client.post(url("policy:acknowledge", 1), {"next": next_url})

    assert response["Location"] == url("policy:current")


def test_acknowledging_a_draft_is_not_found(client, user, policy_version):
    client.force_login(user)

    assert client.post(url("policy:acknowledge", 2), {"next": "/"}).status_code == 404


def test_an_ordinary_page_view_costs_no_query_once_the_cache_is_warm(
    client, policy_version, django_assert_num_queries
):
    client.get(url("about"))

    with django_assert_num_queries(0):
        response = client.get(url("about"))

    assert "Senast uppdaterad: februari 2016" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "last_updated", "footer"),
    [
        ("sv", "Senast uppdaterad: 3 december 2026.", "Senast uppdaterad: 3 december 2026"),
        ("en", "Last updated: 3 December 2026.", "Last updated: 3 December 2026"),
    ],
)
def test_a_version_published_here_shows_its_effective_date_in_full(
    client, make_draft, publish, language, last_updated, footer
):
    with time_machine.travel(dt.datetime(2026, 12, 3, 9, tzinfo=STOCKHOLM), tick=False):
        publish(make_draft(), dt.date(2026, 12, 3))
        html = client.get(url("policy:current", language=language)).content.decode()

    article = html.split("<article", 1)[1].split("</article>", 1)[0]
    assert last_updated in article
    assert footer in html.split('<footer class="site-footer">', 1)[1]
