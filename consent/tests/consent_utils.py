"""Helpers shared by the consent tests."""

import re

from django.test import RequestFactory
from django.urls import reverse

from consent import state as consent_state

BANNER_SENTENCE = "Vi använder kakor för att göra din upplevelse bättre när du besöker vår site."


def choose(client, choice, next_url="/", **extra):
    data = {"choice": choice, "next": next_url}
    data.update(extra.pop("data", {}))
    return client.post(reverse("consent:choose"), data, **extra)


def state_of(client, **headers):
    """The consent state the site reads from the client's current cookies."""
    request = RequestFactory().get("/", headers=headers)
    request.COOKIES = {name: morsel.value for name, morsel in client.cookies.items()}
    return consent_state.get(request)


def banner_html(response):
    match = re.search(
        r'<section class="cookie-banner".*?</section>', response.content.decode(), re.DOTALL
    )
    return match.group(0) if match else None
