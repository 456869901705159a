"""Every view says which methods it takes and refuses the others with 405 (issue 24, item 5).

Asked as a signed-in staff member with a second factor (who may reach every page) in a request
the cross-origin check lets through (same-origin `Sec-Fetch-Site`), so that only the view's own
rule decides. OPTIONS may instead be answered with the methods in `Allow` and no body.
"""

import pytest
from django.urls import NoReverseMatch, reverse

from tests.test_hostile_requests import every_named_pattern, sample_kwargs

pytestmark = pytest.mark.django_db

REFUSED = ["PUT", "DELETE", "PATCH", "TRACE", "FOO"]


def site_paths():
    paths = {}
    for name, pattern in every_named_pattern():
        if name.startswith("admin:"):
            continue
        try:
            paths[name] = reverse(name, kwargs=sample_kwargs(pattern))
        except NoReverseMatch:
            continue
    return paths


def test_every_view_refuses_methods_it_does_not_take(staff_client, policy_version):
    answered = {}
    for name, path in site_paths().items():
        for method in REFUSED:
            response = staff_client.generic(method, path, headers={"Sec-Fetch-Site": "same-origin"})
            if response.status_code != 405:
                answered[f"{method} {name}"] = response.status_code
        response = staff_client.options(path, headers={"Sec-Fetch-Site": "same-origin"})
        if response.status_code != 405 and not (
            response.has_header("Allow") and not response.content
        ):
            answered[f"OPTIONS {name}"] = response.status_code

    assert sorted(answered.items()) == []


def test_the_product_registration_page_takes_get_and_post_only(client, verified_user):
    client.force_login(verified_user)
    path = reverse("registrations:register")

    for method in ["OPTIONS", *REFUSED]:
        response = client.generic(method, path, headers={"Sec-Fetch-Site": "same-origin"})
        assert response.status_code == 405, method
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("name", ["home", "account_login", "policy:archive"])
def test_a_head_answer_has_no_body_from_the_application_gunicorn_serves(name, policy_version):
    from tests.test_hostile_requests import answer, environ

    for _ in range(2):  # the page cache's miss, then its hit
        status, headers, body = answer(environ(reverse(name), method="HEAD"))
        assert status == 200
        assert body == b""
        assert ("Content-Type", "text/html; charset=utf-8") in headers
