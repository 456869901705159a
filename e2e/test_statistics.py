"""The statistics dashboard in Chromium: readable from 320 px up, within the CSP, both languages.

With SCREENSHOT_DIR set, each width and language is saved as a PNG (docs/screenshots/).
"""

import datetime
import os
import random
import uuid
import zoneinfo
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from accounts.tests.mfa import sign_in_staff
from consent.models import ConsentTextRevision
from visits.dashboard.figures import Action
from visits.models import Device, Visit
from visits.rollup import rollup_day
from visits.tests.factories import consent_choice

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
PAGES = [
    ("/", 30),
    ("/om-centiro/", 12),
    ("/kontakt/", 8),
    ("/sekretesspolicy/", 4),
    ("/en/", 10),
    ("/en/about-centiro/", 5),
    ("/portal/", 6),
    ("/kakor/", 2),
]
REFERRERS = [("", 50), ("www.google.se", 25), ("www.linkedin.com", 8), ("duckduckgo.com", 5)]
BROWSERS = [("Chrome", 45), ("Safari", 20), ("Mobile Safari", 15), ("Firefox", 10), ("Edge", 10)]
SYSTEMS = [("Windows", 40), ("Mac OS X", 20), ("iOS", 20), ("Android", 12), ("Linux", 8)]
DEVICES = [(Device.DESKTOP, 65), (Device.MOBILE, 30), (Device.TABLET, 5)]


def pick(rng, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def seed_realistic_visits(days=60):
    rng = random.Random(15)  # noqa: S311 (seeded test data, not secrets)
    today = timezone.localdate()
    people = [uuid.UUID(int=rng.getrandbits(128)) for _ in range(400)]
    revision = ConsentTextRevision.objects.create(revision="e" * 64, texts={"sv": {}, "en": {}})
    for back in range(days, -1, -1):
        day = today - datetime.timedelta(days=back)
        weekday = day.weekday() < 5
        count = int((120 if weekday else 50) * (1 + (days - back) / days) * rng.uniform(0.8, 1.2))
        rows = []
        for _ in range(count):
            path = pick(rng, PAGES)
            rows.append(
                Visit(
                    time=datetime.datetime.combine(
                        day, datetime.time(rng.randrange(7, 22), rng.randrange(60)), STOCKHOLM
                    ),
                    host="www.centiro.se",
                    path=path,
                    referrer_host=pick(rng, REFERRERS),
                    browser=pick(rng, BROWSERS),
                    os=pick(rng, SYSTEMS),
                    device=pick(rng, DEVICES),
                    language="en" if path.startswith("/en/") else "sv",
                    visitor_id=rng.choice(people) if rng.random() < 0.6 else None,
                )
            )
        Visit.objects.bulk_create(rows)
        for _ in range(count // 10):
            action = pick(
                rng,
                [
                    (Action.ACCEPT_ALL, 55),
                    (Action.NECESSARY_ONLY, 35),
                    (Action.CUSTOM, 8),
                    (Action.WITHDRAW, 2),
                ],
            )
            consent_choice(
                action,
                datetime.datetime.combine(day, datetime.time(12), STOCKHOLM),
                revision=revision,
                gpc=rng.random() < 0.1,
                language="en" if rng.random() < 0.3 else "sv",
            )
        if back:
            rollup_day(day)


@pytest.fixture
def signed_in_statistician(context, live_server, django_user_model):
    person = django_user_model.objects.create_user(email="analys@centiro.se", is_staff=True)
    person.user_permissions.add(Permission.objects.get(codename="view_visit"))
    client = sign_in_staff(Client(), person)
    host = live_server.url.split("//")[1].split(":")[0]
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "domain": host,
                "path": "/",
            }
        ]
    )
    return person


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("width", [1280, 390, 320])
def test_the_dashboard_fits_every_width_without_breaking_the_csp(
    page, live_server, signed_in_statistician, language, width
):
    seed_realistic_visits()
    problems = []
    page.on("console", lambda message: problems.append(message.text))
    page.set_viewport_size({"width": width, "height": 800})
    with translation.override(language):
        address = reverse("visits:statistics")

    page.goto(f"{live_server.url}{address}?period=30d")
    page.locator(".cookie-banner button").nth(1).click()  # necessary only, to see the page
    page.wait_for_load_state()

    assert page.evaluate("document.documentElement.scrollWidth") <= width
    narrow, wide = page.locator("figure.chart-narrow"), page.locator("figure.chart-wide")
    assert (narrow.is_visible(), wide.is_visible()) == (width < 640, width >= 640)
    chart = narrow if width < 640 else wide
    assert chart.locator("polyline.chart-previous").get_attribute("stroke-dasharray")
    label_size = chart.locator("text.chart-label").first.evaluate(
        "text => text.getBoundingClientRect().height"
    )
    assert label_size >= 10  # legible: the drawing is not shrunk to illegibility
    card_tops = page.locator(".breakdown").evaluate_all(
        "cards => cards.map(card => card.getBoundingClientRect().top)"
    )
    side_by_side = len(set(card_tops)) < len(card_tops)
    assert side_by_side == (width >= 1280)
    # Every panel spans the content column (none is held to a paragraph's reading width).
    content = page.locator(".stat-cards").first.evaluate(
        "cards => cards.getBoundingClientRect().width"
    )
    panel_widths = page.locator(".chart-panel, section.panel:not(.breakdown)").evaluate_all(
        "panels => panels.map(panel => panel.getBoundingClientRect().width)"
    )
    assert panel_widths
    assert all(abs(w - content) <= 2 for w in panel_widths), (content, panel_widths)
    assert not [text for text in problems if "Content Security Policy" in text]
    if directory := os.environ.get("SCREENSHOT_DIR"):
        save_screenshots(page, Path(directory) / f"statistics-{language}-{width}", width)


def save_screenshots(page, stem, width):
    """The whole page at 1280 px; on phones the first screen and the breakdowns' first screen,
    which keeps the PNGs small."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    if width >= 1280:
        page.screenshot(path=f"{stem}.png", full_page=True, scale="css")
        return
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=f"{stem}.png", scale="css")
    page.evaluate("document.querySelector('.stat-cards').scrollIntoView()")
    page.screenshot(path=f"{stem}-cards.png", scale="css")
    page.evaluate("document.querySelector('.chart-panel').scrollIntoView()")
    page.screenshot(path=f"{stem}-chart.png", scale="css")
    page.evaluate("document.querySelector('.breakdowns').scrollIntoView()")
    page.screenshot(path=f"{stem}-breakdowns.png", scale="css")
