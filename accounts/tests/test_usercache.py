"""The signed-in user read from the cache (accounts/usercache.py).

A cached user must never outlive a change that signs them out or changes what they may see:
each test first has the user in the cache (a portal request), changes them, and requires the
next request to see the change.
"""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from accounts import usercache

pytestmark = pytest.mark.django_db

PORTAL = reverse("registrations:portal")


@pytest.fixture
def customer(verified_user):
    client = Client()
    client.force_login(verified_user)
    assert client.get(PORTAL).status_code == 200
    return client


def test_a_signed_in_request_reads_its_user_from_the_cache(
    customer, verified_user, django_assert_num_queries
):
    customer.get(PORTAL)
    with django_assert_num_queries(0):
        response = customer.get(PORTAL)

    assert response.status_code == 200
    assert response.wsgi_request.user.pk == verified_user.pk


def test_a_password_changed_elsewhere_signs_the_session_out(customer, verified_user):
    verified_user.set_password("ett-helt-nytt-lösenord-2026")
    verified_user.save()

    response = customer.get(PORTAL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not response.wsgi_request.user.is_authenticated


def test_a_deactivated_user_is_signed_out(customer, verified_user):
    verified_user.is_active = False
    verified_user.save()

    response = customer.get(PORTAL)

    assert response.status_code == 302
    assert not response.wsgi_request.user.is_authenticated


def test_a_deleted_user_is_signed_out(customer, verified_user):
    verified_user.delete()

    assert customer.get(PORTAL).status_code == 302


def test_made_staff_the_portal_is_rendered_for_staff_not_served_from_the_cache(
    customer, verified_user
):
    customer.get(PORTAL)  # the customer's portal is now cached
    verified_user.is_staff = True
    verified_user.save()

    response = customer.get(PORTAL)

    assert response.wsgi_request.user.is_staff
    assert response.context is not None  # rendered


def test_a_changed_address_shows_at_once(customer, verified_user):
    verified_user.email = "ny@example.se"
    verified_user.save()

    response = customer.get(PORTAL)

    assert response.wsgi_request.user.email == "ny@example.se"


def test_a_row_read_before_a_change_committed_is_not_used_after_the_commit(
    customer, verified_user, django_capture_on_commit_callbacks
):
    before = get_user_model().objects.get(pk=verified_user.pk)
    with django_capture_on_commit_callbacks(execute=True):
        verified_user.set_password("ett-helt-nytt-lösenord-2026")
        verified_user.save()
        # A concurrent request read the row before the commit and stores it now, under the
        # stamp the save renewed at once.
        usercache.get(verified_user.pk, lambda: before)

    assert customer.get(PORTAL).status_code == 302


def test_a_user_is_cached_under_their_own_key(customer, verified_user, user_factory):
    other = user_factory("annan@example.se")
    client = Client()
    client.force_login(other)

    assert client.get(PORTAL).wsgi_request.user.pk == other.pk
    assert customer.get(PORTAL).wsgi_request.user.pk == verified_user.pk
