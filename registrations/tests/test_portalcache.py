"""The portal rendered once per user and state (registrations/portalcache.py).

A cached portal must be what a render gives the same user in the same state, with no CSRF
token in it, and must change at once when what it shows changes.
"""

import pytest
from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.messages.storage.session import SessionStorage
from django.core.cache import caches
from django.middleware.csrf import get_token
from django.test import Client
from django.urls import reverse

from registrations import services, views
from registrations.models import Registration, Resource

pytestmark = pytest.mark.django_db

PORTAL = reverse("registrations:portal")


def forget_pages():
    caches["pages"].clear()
    caches["default"].clear()


def signed_in(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


@pytest.fixture
def customer(verified_user):
    return signed_in(verified_user)


@pytest.mark.parametrize("language", ["", "/en"])
def test_a_cached_portal_is_what_a_render_gives_without_a_query(
    customer, product, language, django_assert_num_queries
):
    Resource.objects.create(title_sv="För alla", title_en="For everyone")
    rendered = customer.get(language + PORTAL)

    # The session, the user with their verified-address check and the page come from the cache.
    with django_assert_num_queries(0):
        cached = customer.get(language + PORTAL)

    assert rendered.context is not None
    assert cached.context is None
    assert cached.content == rendered.content
    assert cached["Content-Type"] == rendered["Content-Type"]
    assert "no-store" in cached["Cache-Control"]


def test_a_cached_portal_carries_no_token_and_its_sign_out_form_works(customer):
    rendered = customer.get(PORTAL)
    cached = customer.get(PORTAL)

    for response in (rendered, cached):
        assert "csrfmiddlewaretoken" not in response.content.decode()
        assert "csrftoken" not in response.cookies
    # As the browser posts the header's form (core/crossorigin.py).
    signed_out = customer.post(reverse("account_logout"), headers={"Sec-Fetch-Site": "same-origin"})
    assert signed_out.status_code == 302
    assert customer.get(PORTAL).status_code == 302  # to the login page


def test_a_portal_whose_render_used_a_token_is_never_stored(customer, monkeypatch):
    """A form added to the portal one day must not put one session's token in the cache."""
    render = views.render

    def render_with_a_form(request, *args, **kwargs):
        get_token(request)
        return render(request, *args, **kwargs)

    monkeypatch.setattr(views, "render", render_with_a_form)

    assert customer.get(PORTAL).context is not None
    assert customer.get(PORTAL).context is not None  # rendered again, not served from the cache


def test_another_user_never_gets_the_first_users_portal(
    customer, verified_user, user_factory, product, licence_key
):
    Resource.objects.create(title_sv="Leveransguide", title_en="Guide", product=product)
    services.register_product(verified_user, licence_key.key, updates_opt_in=False)
    first = customer.get(PORTAL)
    other = signed_in(user_factory("annan@example.se", email_verified=True))

    page = other.get(PORTAL)

    assert "Leveransguide" in first.content.decode()
    assert "Leveransguide" not in page.content.decode()


def test_registering_a_product_shows_its_resources_at_once(
    customer, verified_user, product, licence_key
):
    Resource.objects.create(title_sv="Leveransguide", title_en="Guide", product=product)
    assert "Leveransguide" not in customer.get(PORTAL).content.decode()

    services.register_product(verified_user, licence_key.key, updates_opt_in=False)

    assert "Leveransguide" in customer.get(PORTAL).content.decode()
    Registration.objects.get().delete()
    assert "Leveransguide" not in customer.get(PORTAL).content.decode()


def test_new_changed_and_removed_resources_and_products_show_at_once(customer, product):
    assert "Handbok" not in customer.get(PORTAL).content.decode()

    resource = Resource.objects.create(title_sv="Handbok", title_en="Manual")
    assert "Handbok" in customer.get(PORTAL).content.decode()

    resource.product = product
    resource.save()
    assert "Handbok" not in customer.get(PORTAL).content.decode()

    resource.product = None
    resource.title_sv = "Ny handbok"
    resource.save()
    assert "Ny handbok" in customer.get(PORTAL).content.decode()

    resource.delete()
    assert "Ny handbok" not in customer.get(PORTAL).content.decode()


def test_a_changed_product_name_shows_at_once(
    customer, verified_user, product, licence_key, product_resource
):
    services.register_product(verified_user, licence_key.key, updates_opt_in=False)
    assert "Leverans" in customer.get(PORTAL).content.decode()

    product.name_sv = "Frakt"
    product.save()

    assert "Frakt" in customer.get(PORTAL).content.decode()


def test_a_waiting_message_is_shown_not_a_cached_page(customer, verified_user, rf):
    customer.get(PORTAL)
    request = rf.get("/")
    request.session = customer.session
    storage = SessionStorage(request)
    storage.add(messages.SUCCESS, "Klart och sparat.")
    storage.update(None)
    request.session.save()

    assert "Klart och sparat." in customer.get(PORTAL).content.decode()
    assert "Klart och sparat." not in customer.get(PORTAL).content.decode()


def test_the_cache_emptied_renders_the_same_portal(customer, product):
    Resource.objects.create(title_sv="För alla", title_en="For everyone")
    cached = customer.get(PORTAL) and customer.get(PORTAL)

    forget_pages()

    assert customer.get(PORTAL).content == cached.content


def test_removing_the_verified_address_closes_the_portal_at_once(customer, verified_user):
    assert customer.get(PORTAL).status_code == 200

    EmailAddress.objects.get(user=verified_user).delete()

    assert customer.get(PORTAL).status_code == 403


def test_confirming_an_address_opens_the_portal_at_once(user):
    client = signed_in(user)
    assert client.get(PORTAL).status_code == 403
    address = EmailAddress.objects.create(user=user, email=user.email, primary=True)
    assert client.get(PORTAL).status_code == 403

    address.verified = True
    address.save()

    assert client.get(PORTAL).status_code == 200
