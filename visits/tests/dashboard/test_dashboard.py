"""The dashboard's figures against hand-computed ones on seeded visits and consent records."""

import csv
import datetime
import io
import uuid

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from accounts.tests.mfa import sign_in_staff
from consent.models import ConsentRecord, ConsentTextRevision
from consent.tests.consent_utils import choose
from visits.dashboard.figures import Action
from visits.dashboard.forms import MAX_DAYS
from visits.models import Visit
from visits.rollup import rollup_day
from visits.sketch import STANDARD_ERROR
from visits.tests.factories import NOW, at, consent_choice, visit, visitor_ids

TODAY = NOW.date()
DAY = datetime.timedelta(days=1)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def permitted_staff(django_user_model, email="analys@centiro.se"):
    person = django_user_model.objects.create_user(email=email, is_staff=True)
    person.user_permissions.add(Permission.objects.get(codename="view_visit"))
    return person


@pytest.fixture
def statistician(client, django_user_model):
    return sign_in_staff(client, permitted_staff(django_user_model))


def page(client, start, end):
    return client.get(
        f"{reverse('visits:statistics')}?start={start.isoformat()}&end={end.isoformat()}"
    )


def labels_of(response, breakdown):
    return [row.label for row in response.context["stats"].breakdowns[breakdown]]


def views(day, count, **fields):
    for _ in range(count):
        visit(at(day), **fields)


def seed_two_weeks():
    """Previous week (May 6–12): 10 views, 4 with an id from 2 visitors.
    This week (May 13–19): 15 views, 9 with an id from 3 visitors."""
    ids = visitor_ids(5)
    old, new = ids[:2], ids[2:]
    views(datetime.date(2026, 5, 8), 6)
    for person in old:
        views(datetime.date(2026, 5, 8), 2, visitor_id=person)
    visit(at(datetime.date(2026, 4, 1)))  # the statistics began well before
    rollup_day(datetime.date(2026, 4, 1))
    views(datetime.date(2026, 5, 15), 6)
    for person in new:
        views(datetime.date(2026, 5, 16), 3, visitor_id=person)
    for day in (datetime.date(2026, 5, 8), datetime.date(2026, 5, 15), datetime.date(2026, 5, 16)):
        rollup_day(day)


def test_cards_show_each_figure_with_its_change_in_words(statistician):
    seed_two_weeks()
    response = page(statistician, datetime.date(2026, 5, 13), datetime.date(2026, 5, 19))

    cards = {str(card.title): card for card in response.context["cards"]}
    assert cards["Sidvisningar"].value == "15"
    assert cards["Sidvisningar"].change.text == "upp 50 % mot föregående period"
    assert cards["Unika besökare"].value == "3"
    assert cards["Unika besökare"].change.text == "upp 50 % mot föregående period"
    assert "Bara besökare som samtyckt till statistik har ett id" in cards["Unika besökare"].note
    # 9 / 3 = 3.0 against 4 / 2 = 2.0
    assert cards["Visningar per besökare"].value == "3,0"
    assert cards["Visningar per besökare"].change.text == "upp 50 % mot föregående period"
    # 9 / 15 = 60 % against 4 / 10 = 40 %: a share changes in percentage points
    assert cards["Andel visningar med samtycke"].value == "60 %"
    assert (
        cards["Andel visningar med samtycke"].change.text
        == "upp 20 procentenheter mot föregående period"
    )
    content = response.content.decode()
    assert 'class="change change-up"' in content
    assert "upp 50 % mot föregående period" in content


def test_a_fall_is_worded_and_coloured_as_one(statistician):
    seed_two_weeks()
    views(datetime.date(2026, 5, 7), 20)
    rollup_day(datetime.date(2026, 5, 7))

    # May 14–20 holds 15 views, May 7–13 holds 30.
    response = page(statistician, datetime.date(2026, 5, 14), TODAY)

    cards = {str(card.title): card for card in response.context["cards"]}
    assert cards["Sidvisningar"].change.text == "ner 50 % mot föregående period"
    assert 'class="change change-down"' in response.content.decode()


def test_a_previous_period_the_statistics_only_partly_cover_is_not_compared(statistician):
    views(TODAY - 3 * DAY, 2)  # the first day with statistics, inside the previous period
    views(TODAY - DAY, 8)
    for day in (TODAY - 3 * DAY, TODAY - DAY):
        rollup_day(day)
    response = page(statistician, TODAY - 2 * DAY, TODAY)  # previous: the 15th to 17th
    assert response.context["stats"].previous_totals.views == 2
    assert all(card.change is None for card in response.context["cards"])


def test_without_previous_data_the_card_says_so_in_words(statistician):
    views(TODAY - DAY, 3)
    rollup_day(TODAY - DAY)
    response = page(statistician, TODAY - DAY, TODAY)
    assert all(card.change is None for card in response.context["cards"])
    assert "ingen jämförelse: föregående period saknar data" in response.content.decode()


def test_entry_pages_are_each_consented_visitors_first_page_of_the_day(statistician):
    day = TODAY - DAY
    first, second = visitor_ids(2)
    visit(at(day, 9), path="/", visitor_id=first)
    visit(at(day, 10), path="/kontakt/", visitor_id=first)
    visit(at(day, 11), path="/om-centiro/", visitor_id=second)
    visit(at(day, 12), path="/", visitor_id=second)
    visit(at(TODAY, 9), path="/kontakt/", visitor_id=first)  # a new day: a new entry
    visit(at(day, 8), path="/om-centiro/")  # no id: no entry
    rollup_day(day)

    stats = page(statistician, day, TODAY).context["stats"]

    entries = [(row.label, row.count) for row in stats.breakdowns["entries"]]
    assert sorted(entries) == [("/", 1), ("/kontakt/", 1), ("/om-centiro/", 1)]


def test_referrers_leave_out_the_sites_own_hosts_and_name_direct_visits(statistician, settings):
    settings.ALLOWED_HOSTS = [".centiro.se", "testserver"]
    day = TODAY - DAY
    visit(at(day), referrer_host="www.centiro.se")  # allowed host
    visit(at(day), referrer_host="shop.centiro.se")  # allowed by the leading dot
    visit(at(day), host="centiro.example", referrer_host="centiro.example")  # recorded host
    visit(at(day), referrer_host="www.google.se")
    visit(at(day), referrer_host="www.google.se")
    visit(at(day), referrer_host="")
    rollup_day(day)

    stats = page(statistician, day, day).context["stats"]

    referrers = [(row.label, row.count, row.percent) for row in stats.breakdowns["referrers"]]
    # Shares of all six page views, as in every other breakdown.
    assert referrers == [("www.google.se", 2, 33), ("Direkt / ingen", 1, 17)]
    html = page(statistician, day, day).content.decode()
    assert "Andel av alla sidvisningar" in html


def test_a_one_day_period_reads_as_one_date(statistician):
    day = TODAY - DAY
    html = page(statistician, day, day).content.decode()
    one_date = date_format(day, "j F Y")
    assert f'<h2 class="period-title">{one_date}</h2>' in html
    two = page(statistician, day - DAY, day).content.decode()
    assert f"{date_format(day - DAY, 'j F Y')} – {one_date}</h2>" in two


def test_pages_show_the_host_only_when_several_hosts_had_views(statistician):
    day = TODAY - DAY
    visit(at(day), path="/kontakt/")
    rollup_day(day)
    assert labels_of(page(statistician, day, day), "pages") == ["/kontakt/"]
    visit(at(day), host="www.centiro.com", path="/en/contact/")
    rollup_day(day)
    assert sorted(labels_of(page(statistician, day, day), "pages")) == [
        "www.centiro.com/en/contact/",
        "www.centiro.se/kontakt/",
    ]


def test_breakdowns_draw_bars_by_class_and_name_languages(statistician):
    day = TODAY - DAY
    views(day, 3, language="sv")
    views(day, 1, language="en")
    rollup_day(day)

    response = page(statistician, day, day)

    rows = response.context["stats"].breakdowns["languages"]
    assert [(row.label, row.percent) for row in rows] == [("Svenska", 75), ("English", 25)]
    content = response.content.decode()
    assert 'class="bar bar-75"' in content
    assert 'class="bar bar-25"' in content
    assert "style=" not in content
    assert '<th scope="col">Språk</th>' in content


def test_unique_visitors_over_days_are_within_the_sketchs_stated_error(statistician):
    people = [uuid.UUID(int=n + 1) for n in range(3_000)]
    days = [TODAY - DAY * n for n in range(1, 4)]
    rows = [
        # Each visitor on two of the three days: 6 000 views, 3 000 distinct visitors.
        Visit(time=at(day), host="www.centiro.se", path="/", visitor_id=person, device=1)
        for index, person in enumerate(people)
        for day in (days[index % 3], days[(index + 1) % 3])
    ]
    Visit.objects.bulk_create(rows, batch_size=1_000)
    for day in days:
        rollup_day(day)

    stats = page(statistician, days[-1], days[0]).context["stats"]

    assert stats.totals.views == 6_000
    assert abs(stats.totals.visitors - 3_000) <= 3 * STANDARD_ERROR * 3_000


def test_consent_choices_are_counted_for_the_period_and_the_one_before(statistician):
    revision = ConsentTextRevision.objects.create(revision="a" * 64, texts={"sv": {}, "en": {}})

    def record(day, action, categories, gpc=False):
        consent_choice(action, at(day), revision=revision, categories=categories, gpc=gpc)

    yesterday, before = TODAY - DAY, TODAY - 3 * DAY
    record(yesterday, Action.ACCEPT_ALL, ["necessary", "statistics"])
    record(yesterday, Action.NECESSARY_ONLY, ["necessary"], gpc=True)
    record(yesterday, Action.NECESSARY_ONLY, ["necessary"])
    record(TODAY, Action.CUSTOM, ["necessary", "statistics"], gpc=True)
    record(before, Action.ACCEPT_ALL, ["necessary", "statistics"])
    for day in (yesterday, before):
        rollup_day(day)

    stats = page(statistician, yesterday, TODAY).context["stats"]

    assert stats.consent.by_action[Action.ACCEPT_ALL] == 1
    assert stats.consent.by_action[Action.NECESSARY_ONLY] == 2
    assert stats.consent.by_action[Action.CUSTOM] == 1
    assert stats.consent.choices == 4
    assert stats.consent.opt_in_rate == 0.5
    assert stats.consent.gpc_share == 0.5
    assert stats.previous_consent.choices == 1


def test_a_range_reaching_before_the_statistics_says_what_it_covers(statistician):
    first = TODAY - 10 * DAY
    visit(at(first))
    rollup_day(first)

    response = page(statistician, TODAY - 399 * DAY, TODAY)

    assert response.status_code == 200
    assert (
        "Statistiken finns från och med 10 maj 2026: siffrorna omfattar 10 maj 2026 – "
        "20 maj 2026, 11 av periodens 400 dagar."
    ) in response.content.decode()


def test_a_range_entirely_before_the_statistics_says_there_are_none(statistician):
    visit(at(TODAY - DAY))
    rollup_day(TODAY - DAY)
    response = page(statistician, TODAY - 30 * DAY, TODAY - 20 * DAY)
    assert "Det finns ingen statistik för perioden" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (f"start={TODAY}&end={TODAY - DAY}", "Startdatumet måste vara före slutdatumet."),
        (f"start={TODAY}", "Ange både ett start- och ett slutdatum."),
        (f"start={TODAY}&end={TODAY + DAY}", "Slutdatumet kan inte ligga efter i dag."),
        (
            f"start={TODAY - MAX_DAYS * DAY}&end={TODAY}",
            f"Välj högst {MAX_DAYS} dagar åt gången.",
        ),
        ("start=2026-02-30&end=2026-03-01", "Ange ett datum som ÅÅÅÅ-MM-DD"),
        ("period=5y", "Välj en av perioderna i listan."),
    ],
)
def test_invalid_ranges_are_refused_with_a_clear_message(statistician, query, message):
    response = statistician.get(f"{reverse('visits:statistics')}?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_summary_csv_holds_the_cards_figures(statistician):
    seed_two_weeks()
    response = statistician.get(
        f"{reverse('visits:export')}?table=summary&start=2026-05-13&end=2026-05-19"
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows == [
        ["Mått", "Perioden", "Föregående period", "Preliminär"],
        ["Sidvisningar", "15", "10", "nej"],
        ["Unika besökare (uppskattning)", "3", "2", "nej"],
        ["Visningar per besökare", "3.0", "2.0", "nej"],
        ["Andel visningar med samtycke (%)", "60.0", "40.0", "nej"],
    ]


def test_the_header_links_to_the_dashboard_only_for_staff_allowed_to_read_it(
    client, django_user_model, user
):
    link = f'href="{reverse("visits:statistics")}"'
    sign_in_staff(client, permitted_staff(django_user_model))
    assert link in client.get(reverse("home")).content.decode()

    client.logout()
    other_staff = django_user_model.objects.create_user(email="annan@centiro.se", is_staff=True)
    sign_in_staff(client, other_staff)
    assert link not in client.get(reverse("home")).content.decode()

    client.logout()
    client.force_login(user)
    assert link not in client.get(reverse("home")).content.decode()

    client.logout()
    assert link not in client.get(reverse("home")).content.decode()


def test_the_english_dashboard_words_its_changes_in_english(statistician):
    seed_two_weeks()
    with translation.override("en"):
        address = reverse("visits:statistics")
    response = statistician.get(f"{address}?start=2026-05-13&end=2026-05-19")
    assert "up 50 % on the previous period" in response.content.decode()


def client_csv(client, table, start, end):
    response = client.get(
        f"{reverse('visits:export')}?table={table}&start={start.isoformat()}&end={end.isoformat()}"
    )
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_consent_choices_by_language_with_opt_in_rate_and_the_previous_period(statistician):
    revision = ConsentTextRevision.objects.create(revision="b" * 64, texts={"sv": {}, "en": {}})

    def record(day, action, language):
        consent_choice(action, at(day), revision=revision, language=language)

    yesterday, before = TODAY - DAY, TODAY - 3 * DAY
    # Period: sv 3 choices (2 accept all), en 1 choice (necessary only); today's raw rows count.
    record(yesterday, Action.ACCEPT_ALL, "sv")
    record(yesterday, Action.NECESSARY_ONLY, "sv")
    record(TODAY, Action.ACCEPT_ALL, "sv")
    record(TODAY, Action.NECESSARY_ONLY, "en")
    # Previous period: two English choices.
    record(before, Action.ACCEPT_ALL, "en")
    record(before, Action.ACCEPT_ALL, "en")
    for day in (yesterday, before):
        rollup_day(day)

    response = page(statistician, yesterday, TODAY)
    rows = response.context["consent_languages"]

    assert [
        (r.label, r.choices, r.percent, r.opt_in_percent, r.previous_choices) for r in rows
    ] == [
        ("Svenska", 3, 75, 67, 0),
        ("English", 1, 25, 0, 2),
    ]
    export = client_csv(statistician, "consent-languages", yesterday, TODAY)
    assert export[1:] == [
        ["Svenska", "3", "75.0", "66.7", "0", "ja"],
        ["English", "1", "25.0", "0.0", "2", "ja"],
    ]
    per_day = client_csv(statistician, "consent-days-languages", yesterday, TODAY)
    assert per_day == [
        ["Dag", "Språk", "Val", "Andel som valt statistik (%)", "Preliminär"],
        [yesterday.isoformat(), "Svenska", "2", "50.0", "nej"],
        [TODAY.isoformat(), "English", "1", "0.0", "ja"],
        [TODAY.isoformat(), "Svenska", "1", "100.0", "ja"],
    ]


def test_a_consent_choice_records_the_page_language(client):
    with translation.override("en"):
        choose(client, "necessary_only")
    choose(client, "accept_all")

    assert sorted(ConsentRecord.objects.values_list("language", "action")) == [
        ("en", "necessary_only"),
        ("sv", "accept_all"),
    ]
