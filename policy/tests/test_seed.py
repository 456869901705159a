"""Version 1 is the Sekretesspolicy of February 2016, word for word."""

import importlib
import re
from html import unescape
from pathlib import Path

import pytest
from django.urls import reverse

from policy.models import PolicyVersion

SEED = Path(__file__).parent / "data" / "sekretesspolicy-2016-02.txt"


def sentences(text):
    """Sentences with whitespace normalised, so layout differences do not count."""
    text = re.sub(r"\s+", " ", text).strip()
    return [s.strip() for s in re.split(r"(?<=[.:!?])\s+", text) if s.strip()]


def seed_policy_part():
    """The seed without the cookie banner above the title and the closing date line."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    start = lines.index("Sekretesspolicy") + 1
    end = next(i for i, line in enumerate(lines) if line.startswith("Senast uppdaterad"))
    return "\n".join(lines[start:end])


def page_policy_text(html):
    body = html.split("<h1>", 1)[1].split("</h1>", 1)[1]
    body = body.split('<p class="policy-updated">', 1)[0]
    return unescape(re.sub(r"<[^>]+>", " ", body))


@pytest.mark.django_db
def test_a_fresh_database_serves_version_1_with_every_sentence_of_the_seed(client):
    response = client.get(reverse("policy:current"))

    assert response.status_code == 200
    assert sentences(page_policy_text(response.content.decode())) == sentences(seed_policy_part())


@pytest.mark.django_db
def test_version_1_keeps_the_historical_spelling_and_leaves_out_the_cookie_banner(client):
    html = client.get(reverse("policy:current")).content.decode()

    assert "centiro.com och centrio.se" in html
    assert "Genom att fortsätta surfa" not in html
    assert html.count("Senast uppdaterad: februari 2016.") == 1


@pytest.mark.django_db
def test_version_1_is_published_from_february_2016_with_headings_lists_and_address():
    version = PolicyVersion.objects.get(number=1)

    assert version.status == PolicyVersion.Status.PUBLISHED
    assert version.effective_date.isoformat() == "2016-02-01"
    assert len(version.sha256) == 64
    headings = re.findall(r"<h2>(.*?)</h2>", version.body_sv_html)
    assert headings == [
        "Personlig information som vi samlar in",
        "Användning av personlig information",
        "Kontroll av din personliga information",
        "Säkerheten kring din personliga information",
        "Upprätthållande",
        "Ändringar",
        "Kontakt",
    ]
    assert version.body_sv_html.count("<ul>") == 2
    assert "Centiro Solutions AB<br>\nBox 950<br>\n501 10 Borås" in version.body_sv_html


@pytest.mark.django_db
def test_the_english_text_says_it_is_a_translation_of_the_binding_swedish_one():
    version = PolicyVersion.objects.get(number=1)

    assert "The Swedish version is the binding one" in version.body_en_html


@pytest.mark.django_db
def test_version_2_waits_as_a_major_gdpr_draft_for_staff():
    version = PolicyVersion.objects.get(number=2)

    assert version.status == PolicyVersion.Status.DRAFT
    assert version.is_major
    assert version.effective_date is None
    assert "Integritetsskyddsmyndigheten" in version.body_sv
    assert "IMY" in version.body_en
    assert version.change_summary_sv
    assert version.change_summary_en


@pytest.mark.django_db
def test_version_2_tells_in_plain_words_how_to_see_and_erase_ones_visits():
    version = PolicyVersion.objects.get(number=2)
    assert "”Dina besök”" in version.body_sv
    assert "”Radera mina besök”" in version.body_sv
    assert "“Your visits”" in version.body_en
    assert "Dina besök" in version.body_sv_html


@pytest.mark.django_db
def test_a_draft_migrated_before_the_paragraph_gets_it_once():
    from django.apps import apps

    describe = importlib.import_module(
        "policy.migrations.0006_version_2_draft_your_visits"
    ).describe_your_visits
    version = PolicyVersion.objects.get(number=2)
    paragraph = describe.__globals__["PARAGRAPHS"]["sv"]
    PolicyVersion.objects.filter(pk=version.pk).update(
        body_sv=version.body_sv.replace("\n\n" + paragraph, "")
    )
    describe(apps, None)
    describe(apps, None)
    version.refresh_from_db()
    assert version.body_sv.count(paragraph) == 1
    assert "Dina besök" in version.body_sv_html
