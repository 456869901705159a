"""Nobody can fill the shared cache with pages (issue 24, item 3): only the query parameters a
page reads are part of its key, a request with any other is answered but not stored, and the
shared cache holds at most `SLOTS` page entries whatever the requests."""

import pytest
from django.core.cache import caches
from django.http import HttpResponse
from django.urls import reverse

from consent.tests.consent_utils import choose
from pagecache import store
from pagecache.tests.layer_client import LayerClient

pytestmark = pytest.mark.django_db


def page_entries():
    # The test settings' default cache is local memory; its keys are "<prefix>:<version>:<key>".
    return sum(1 for key in caches["default"]._cache if ":page:" in key)


def test_unknown_query_strings_are_answered_but_never_stored(policy_version):
    client = LayerClient()
    client.get(reverse("home"))
    before = page_entries()

    for number in range(1000):
        response = client.get(reverse("home"), {f"x{number}": number})
        assert response.status_code == 200

    assert page_entries() <= before + 2


def test_a_known_parameter_is_part_of_the_key_and_still_cached(policy_version):
    client = LayerClient()
    url = reverse("consent:cookies")
    client.get(url)
    before = page_entries()

    first = client.get(url, {"next": "/om-centiro/"})
    stored = page_entries()
    second = client.get(url, {"next": "/om-centiro/"})

    assert stored == before + 1
    assert page_entries() == stored
    assert second.content == first.content
    assert 'value="/om-centiro/"' in first.content.decode()


def test_known_parameters_with_any_values_stay_within_the_slots(policy_version, monkeypatch):
    monkeypatch.setattr(store, "SLOTS", 8)
    client = LayerClient()

    for number in range(100):
        client.get(reverse("consent:cookies"), {"next": f"/{number}/"})

    assert page_entries() <= 8


@pytest.mark.parametrize("cache_control", ["no-store", "private", "private, no-store"])
def test_a_response_marked_no_store_or_private_is_never_stored(cache_control):
    response = HttpResponse("x", headers={"Cache-Control": cache_control})

    assert not store.storable(response, [])
    assert store.storable(HttpResponse("x"), [])


def test_the_cookie_page_is_no_store_exactly_when_it_shows_a_consent_id(policy_version):
    client = LayerClient()
    url = reverse("consent:cookies")
    before = page_entries()

    assert "no-store" not in client.get(url).get("Cache-Control", "")
    assert page_entries() == before + 1
    choose(client, "accept_all")
    assert "no-store" in client.get(url)["Cache-Control"]
    assert page_entries() == before + 1
