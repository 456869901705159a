"""Helpers shared by the consent tests."""

import re

from django.test import RequestFactory
from django.urls import reverse

from consent import state as consent_state

BANNER_SENTENCE = (
    "Om du godkänner det sätter vi en enda valfri kaka: ett slumpmässigt id som bara "
    "används för att räkna besök på våra sidor, inget annat. Ingenting delas med tredje part."
)


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
