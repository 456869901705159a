import csv
import datetime
import io

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from accounts.tests.mfa import sign_in_staff
from visits.dashboard import tables
from visits.models import DailyErasures, Device
from visits.rollup import rollup_day
from visits.tests.factories import FIREFOX_LINUX, NOW, at, recorded_visits, visit, visitor_id

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.fixture
def statistician(client, django_user_model):
    person = django_user_model.objects.create_user(
        email="analys@centiro.se", password="analytikerns-lösenord", is_staff=True
    )
    person.user_permissions.add(Permission.objects.get(codename="view_visit"))
    return sign_in_staff(client, person)


def url(start, end, name="visits:statistics"):
    return f"{reverse(name)}?start={start.isoformat()}&end={end.isoformat()}"


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(reverse("visits:statistics"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", ["visits:statistics", "visits:export"])
def test_customers_are_forbidden(client, user, name):
    client.force_login(user)
    assert client.get(reverse(name), follow=True).status_code == 403


def test_staff_without_a_second_factor_are_not_let_in(client, django_user_model):
    person = django_user_model.objects.create_user(email="ny@centiro.se", is_staff=True)
    person.user_permissions.add(Permission.objects.get(codename="view_visit"))
    client.force_login(person)
    response = client.get(reverse("visits:statistics"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("mfa_activate_totp")


def test_staff_without_the_permission_are_forbidden(client, django_user_model):
    staff = django_user_model.objects.create_user(email="ny@centiro.se", is_staff=True)
    sign_in_staff(client, staff)
    assert client.get(reverse("visits:statistics")).status_code == 403


def test_the_page_combines_daily_tables_with_todays_raw_visits(statistician):
    today = NOW.date()
    yesterday = today - datetime.timedelta(days=1)
    for _ in range(3):
        visit(at(yesterday), path="/om-centiro/", visitor_id=visitor_id())
    visit(at(yesterday), path="/", device=Device.MOBILE, browser="Mobile Safari")
    rollup_day(yesterday)
    visit(at(today, 9), path="/om-centiro/")
    visit(at(today, 10), path="/kontakt/", referrer_host="duckduckgo.com")
    # Before the period and in the previous period of the same length:
    previous_day = yesterday - datetime.timedelta(days=2)
    visit(at(previous_day), path="/")
    rollup_day(previous_day)

    response = statistician.get(url(yesterday, today))

    assert response.status_code == 200
    stats = response.context["stats"]
    assert [(day, views) for day, views, _ in stats.per_day] == [(yesterday, 4), (today, 2)]
    assert stats.totals.views == 6
    assert stats.previous_totals.views == 1
    assert stats.totals.views_with_id == 3
    assert stats.totals.visitors == 3
    assert stats.totals.consent_share == 0.5
    top_page = stats.breakdowns["pages"][0]
    assert (top_page.label, top_page.count) == ("/om-centiro/", 4)
    assert [(r.label, r.count) for r in stats.breakdowns["entries"]] == [("/om-centiro/", 3)]
    assert ("duckduckgo.com", 1) in [(r.label, r.count) for r in stats.breakdowns["referrers"]]
    assert ("Mobil", 1) in [(r.label, r.count) for r in stats.breakdowns["devices"]]
    content = response.content.decode()
    assert "<svg" in content
    assert content.count('class="chart-bar"') == 2 * 2  # narrow and wide drawing
    assert "style=" not in content
    assert "no-store" in response["Cache-Control"]


def test_the_page_never_reads_raw_visits_of_past_days(statistician):
    yesterday = NOW.date() - datetime.timedelta(days=1)
    visit(at(yesterday))  # not rolled up yet: not shown until the rollup ran
    response = statistician.get(url(yesterday, yesterday))
    assert response.context["stats"].totals.views == 0


def test_an_invalid_range_is_refused_with_a_message(statistician):
    today = NOW.date()
    response = statistician.get(url(today, today - datetime.timedelta(days=3)))
    assert response.status_code == 400
    assert "Startdatumet måste vara före slutdatumet." in response.content.decode()
    response = statistician.get(reverse("visits:statistics") + "?start=igår&end=idag")
    assert response.status_code == 400
    assert "ÅÅÅÅ-MM-DD" in response.content.decode()


@pytest.mark.parametrize("name", ["visits:statistics", "visits:export"])
def test_a_range_before_2000_is_refused_with_a_message(statistician, name):
    response = statistician.get(url(datetime.date(1, 1, 1), datetime.date(1, 1, 2), name))
    assert response.status_code == 400
    assert "Startdatumet kan inte vara före 2000-01-01." in response.content.decode()


def test_the_csv_export_of_top_pages_has_a_header_and_the_range_in_its_name(statistician):
    day = NOW.date() - datetime.timedelta(days=1)
    visit(at(day), path="/", visitor_id=visitor_id())
    visit(at(day), path="/kontakt/")
    visit(at(day), path="/kontakt/")
    rollup_day(day)

    response = statistician.get(url(day, day, "visits:export") + "&table=pages")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f"pages-{day.isoformat()}-{day.isoformat()}.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["Sida", "Visningar", "Andel (%)", "Preliminär"]
    assert rows[1:] == [["/kontakt/", "2", "66.7", "nej"], ["/", "1", "33.3", "nej"]]


def test_today_is_counted_once_even_if_rolled_up_early(statistician):
    today = NOW.date()
    visit(at(today, 9), path="/om-centiro/")
    rollup_day(today)
    stats = statistician.get(url(today, today)).context["stats"]
    assert stats.totals.views == 1
    assert [(r.label, r.count) for r in stats.breakdowns["pages"]] == [("/om-centiro/", 1)]
    assert [(r.label, r.count) for r in stats.breakdowns["browsers"]] == [("Firefox", 1)]


def test_the_page_is_translated_to_english(statistician):
    from django.utils import translation

    with translation.override("en"):
        english = reverse("visits:statistics")
    assert english.startswith("/en/")
    response = statistician.get(english)
    assert response.status_code == 200
    assert "Page views" in response.content.decode()


HOSTILE_REFERRERS = [
    'http://=HYPERLINK("http:',
    "http://+1+cmd|calc.example/",
    "http://-2.example/",
    "http://ev\x00il.example/",
    "http://" + "a" * 300 + ".example/",
    "http://ünïcødé\x01.example/",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def test_hostile_referrers_never_reach_any_csv_export_as_formulas(client, statistician):
    from visits.models import INVALID

    yesterday = NOW.date() - datetime.timedelta(days=1)
    visitor = client.__class__(HTTP_USER_AGENT=FIREFOX_LINUX)
    for day in (yesterday, NOW.date()):
        with time_machine.travel(at(day, 10), tick=False):
            for referrer in HOSTILE_REFERRERS:
                assert visitor.get(reverse("home"), HTTP_REFERER=referrer).status_code == 200
    recorded_visits()  # drains the spool, so the rollup sees the visits
    rollup_day(yesterday)

    assert set(recorded_visits().values_list("referrer_host", flat=True)) == {INVALID}
    stats = statistician.get(url(yesterday, NOW.date())).context["stats"]
    assert [(r.label, r.count) for r in stats.breakdowns["referrers"]] == [
        ("Ogiltig", 2 * len(HOSTILE_REFERRERS))
    ]
    for table in tables.TABLES:
        response = statistician.get(url(yesterday, NOW.date(), "visits:export") + f"&table={table}")
        assert response.status_code == 200
        text = b"".join(response.streaming_content).decode()
        cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
        assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)], table
        assert "hyperlink" not in text.lower()


@time_machine.travel(NOW, tick=False)
def test_the_consent_section_counts_erasures_of_the_period_without_ids(statistician):
    today = NOW.date()
    DailyErasures.objects.create(day=today, erasures=2)
    DailyErasures.objects.create(day=today - datetime.timedelta(days=1), erasures=1)
    response = statistician.get(url(today, today))
    cards = {str(card.title): card for card in response.context["consent_cards"]}
    assert cards["Raderade sina besök"].value == "2"
    assert cards["Raderade sina besök"].change is not None  # +100 % against the day before


@time_machine.travel(NOW, tick=False)
def test_in_development_the_page_says_how_to_drain_waiting_visits(statistician, settings):
    settings.DEBUG = True
    today = NOW.date()
    assert b"data-spool-waiting" not in statistician.get(url(today, today)).content
    Client(HTTP_USER_AGENT=FIREFOX_LINUX).get(reverse("home"))
    html = statistician.get(url(today, today)).content.decode()
    assert "data-spool-waiting" in html
    assert "manage.py drain_visits" in html
    recorded_visits()
    assert b"data-spool-waiting" not in statistician.get(url(today, today)).content
    settings.DEBUG = False
    Client(HTTP_USER_AGENT=FIREFOX_LINUX).get(reverse("about"))
    assert b"data-spool-waiting" not in statistician.get(url(today, today)).content
