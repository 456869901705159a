import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from registrations.keys import GENERIC_KEY_ERROR
from registrations.models import LicenceKey, Registration

pytestmark = pytest.mark.django_db


def post_key(client, key, **extra):
    return client.post(reverse("registrations:register"), {"key": key, **extra})


def test_anonymous_visitor_is_sent_to_login_and_back(client):
    url = reverse("registrations:register")
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={url}"


def test_user_without_verified_email_cannot_use_the_portal(client, user, licence_key):
    client.force_login(user)
    response = post_key(client, licence_key.key)
    assert response.status_code == 403
    assert not Registration.objects.exists()


def test_key_typed_in_lower_case_with_dashes_and_spaces_registers_the_product(
    verified_client, verified_user, licence_key, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_key(verified_client, "  abcd-1234 efgh-5678 ", purchase_date="2016-03-01")

    assert response.status_code == 302
    assert response.url == reverse("registrations:list")
    registration = Registration.objects.get()
    assert registration.user == verified_user
    assert registration.product == licence_key.product
    assert registration.purchase_date == datetime.date(2016, 3, 1)
    assert registration.updates_opt_in is False
    licence_key.refresh_from_db()
    assert licence_key.status == LicenceKey.Status.CLAIMED
    assert licence_key.claimed_at is not None


def test_confirmation_mail_is_sent_after_commit_in_the_users_language(
    verified_client, verified_user, licence_key, django_capture_on_commit_callbacks
):
    verified_user.language = "en"
    verified_user.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post_key(verified_client, licence_key.key)
    assert mail.outbox == []  # nothing leaves before the registration is committed

    for callback in callbacks:
        callback()

    [message] = mail.outbox
    assert message.to == [verified_user.email]
    assert message.subject == "Confirmation: Delivery is registered"
    assert "5678" in message.body
    assert licence_key.key not in message.body
    assert "/en/portal/my-products/" in message.alternatives[0][0]


@pytest.mark.parametrize("status", [LicenceKey.Status.CLAIMED, LicenceKey.Status.REVOKED])
def test_used_revoked_and_unknown_keys_get_the_same_generic_message(
    verified_client, product, status
):
    LicenceKey.objects.create(
        product=product, key="USED00001111", status=status, claimed_at=timezone.now()
    )
    responses = [
        post_key(verified_client, "USED-0000-1111"),
        post_key(verified_client, "NOSUCHKEY999"),
        post_key(verified_client, "not a key!"),
    ]
    for response in responses:
        assert response.status_code == 200
        assert response.context["form"].errors == {"key": [str(GENERIC_KEY_ERROR)]}
    assert not Registration.objects.exists()


def test_key_of_an_inactive_product_cannot_be_registered(verified_client, licence_key):
    licence_key.product.active = False
    licence_key.product.save()
    response = post_key(verified_client, licence_key.key)
    assert response.context["form"].errors == {"key": [str(GENERIC_KEY_ERROR)]}


def test_the_same_key_sent_from_two_tabs_registers_once(verified_client, licence_key):
    first = post_key(verified_client, licence_key.key)
    second = post_key(verified_client, licence_key.key)
    assert first.status_code == 302
    assert second.context["form"].errors == {"key": [str(GENERIC_KEY_ERROR)]}
    assert Registration.objects.count() == 1


def test_purchase_date_in_the_future_is_refused(verified_client, licence_key):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = post_key(verified_client, licence_key.key, purchase_date=tomorrow.isoformat())
    assert "purchase_date" in response.context["form"].errors
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    ("purchase_date", "message"),
    [
        ("0001-01-01", "Inköpsdatumet kan inte vara före 2000-01-01."),
        ("1999-12-31", "Inköpsdatumet kan inte vara före 2000-01-01."),
        ("9999-12-31", "Inköpsdatumet kan inte ligga i framtiden."),
    ],
)
def test_purchase_date_outside_its_range_is_refused_with_a_message(
    verified_client, licence_key, purchase_date, message
):
    response = post_key(verified_client, licence_key.key, purchase_date=purchase_date)
    assert response.context["form"].errors["purchase_date"] == [message]
    assert not Registration.objects.exists()


@pytest.mark.parametrize("day", [datetime.date(2000, 1, 1), "today"])
def test_purchase_dates_from_2000_until_today_are_accepted(verified_client, licence_key, day):
    day = timezone.localdate() if day == "today" else day
    assert (
        post_key(verified_client, licence_key.key, purchase_date=day.isoformat()).status_code == 302
    )
    assert Registration.objects.get().purchase_date == day


def test_the_date_input_offers_only_the_allowed_range(verified_client):
    html = verified_client.get(reverse("registrations:register")).content.decode()
    assert 'min="2000-01-01"' in html
    assert f'max="{timezone.localdate().isoformat()}"' in html


def test_the_model_refuses_a_purchase_date_before_2000(verified_user, licence_key):
    registration = Registration(
        user=verified_user,
        product=licence_key.product,
        licence_key=licence_key,
        purchase_date=datetime.date(1, 1, 1),
    )
    with pytest.raises(ValidationError) as caught:
        registration.full_clean()
    assert "purchase_date" in caught.value.message_dict


def test_a_bad_date_and_a_wrong_key_are_both_reported_in_one_round(verified_client):
    response = post_key(verified_client, "WRONGKEY0000", purchase_date="2016-13-45")
    errors = response.context["form"].errors
    assert errors["purchase_date"] == ["Skriv datumet som ÅÅÅÅ-MM-DD."]
    assert errors["key"] == [str(GENERIC_KEY_ERROR)]


def test_a_bad_date_does_not_cost_a_good_key_its_registration_later(verified_client, licence_key):
    response = post_key(verified_client, licence_key.key, purchase_date="2016-13-45")
    assert "key" not in response.context["form"].errors
    assert response.context["form"]["key"].value() == licence_key.key
    assert post_key(verified_client, licence_key.key).status_code == 302


def test_eleventh_attempt_in_an_hour_by_one_user_gets_the_429_page(
    client, verified_user, licence_key
):
    client.force_login(verified_user)
    for number in range(10):
        response = client.post(
            reverse("registrations:register"),
            {"key": "WRONGKEY0000"},
            REMOTE_ADDR=f"192.0.2.{number}",
        )
        assert response.status_code == 200
    response = client.post(
        reverse("registrations:register"), {"key": licence_key.key}, REMOTE_ADDR="192.0.2.99"
    )
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert not Registration.objects.exists()
    # The form comes back with what was typed and says when to try again.
    assert response.context["form"]["key"].value() == licence_key.key
    assert "Försök igen om 1 timme." in response.content.decode()


def test_attempts_from_one_address_are_limited_across_accounts(
    client, verified_user, other_user, licence_key
):
    client.force_login(verified_user)
    for _ in range(10):
        client.post(reverse("registrations:register"), {"key": "WRONGKEY0000"})
    client.force_login(other_user)
    response = client.post(reverse("registrations:register"), {"key": licence_key.key})
    assert response.status_code == 429


def test_register_page_is_not_cached(verified_client):
    response = verified_client.get(reverse("registrations:register"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
