import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from registrations import services
from registrations.attempts import FAILURES_PER_ACCOUNT, FAILURES_PER_ADDRESS
from registrations.keys import GENERIC_KEY_ERROR, KEY_REGISTERED_BY_YOU_ERROR, KEY_REGISTERED_ERROR
from registrations.models import LicenceKey, Registration

pytestmark = pytest.mark.django_db


def post_key(client, key, address="127.0.0.1", **fields):
    return client.post(
        reverse("registrations:register"), {"key": key, **fields}, REMOTE_ADDR=address
    )


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


def test_revoked_unknown_and_malformed_keys_get_the_same_generic_message(verified_client, product):
    LicenceKey.objects.create(product=product, key="REVOKED00001", status=LicenceKey.Status.REVOKED)
    responses = [
        post_key(verified_client, "REVO-KED0-0001"),
        post_key(verified_client, "NOSUCHKEY999"),
        post_key(verified_client, "not a key!"),
    ]
    for response in responses:
        assert response.status_code == 200
        assert response.context["form"].errors == {"key": [str(GENERIC_KEY_ERROR)]}
    assert not Registration.objects.exists()


def test_a_key_a_colleague_registered_says_so_and_what_to_do_without_naming_them(
    client, verified_user, other_user, licence_key
):
    client.force_login(other_user)
    assert post_key(client, licence_key.key).status_code == 302

    client.force_login(verified_user)
    response = post_key(client, licence_key.key.lower())

    assert response.status_code == 200
    assert response.context["form"].errors == {"key": [str(KEY_REGISTERED_ERROR)]}
    html = response.content.decode()
    assert "Licensnyckeln är redan registrerad" in html
    assert "info@centiro.se" in html
    assert other_user.email not in html
    assert Registration.objects.get().user == other_user


def test_a_key_of_a_deleted_account_stays_registered(client, verified_user, licence_key):
    licence_key.status = LicenceKey.Status.CLAIMED
    licence_key.claimed_at = timezone.now()
    licence_key.save()  # what a deleted customer leaves: a claimed key, no registration
    client.force_login(verified_user)
    response = post_key(client, licence_key.key)
    assert response.context["form"].errors == {"key": [str(KEY_REGISTERED_ERROR)]}
    assert not Registration.objects.exists()


def test_the_already_registered_message_is_in_english_on_the_english_page(
    client, verified_user, other_user, licence_key
):
    client.force_login(other_user)
    post_key(client, licence_key.key)
    client.force_login(verified_user)
    with translation.override("en"):
        url = reverse("registrations:register")
    html = client.post(url, {"key": licence_key.key}).content.decode()
    assert "This licence key is already registered" in html
    assert "info@centiro.se" in html


def test_key_of_an_inactive_product_cannot_be_registered(verified_client, licence_key):
    licence_key.product.active = False
    licence_key.product.save()
    response = post_key(verified_client, licence_key.key)
    assert response.context["form"].errors == {"key": [str(GENERIC_KEY_ERROR)]}


def test_the_same_key_sent_from_two_tabs_registers_once(verified_client, licence_key):
    first = post_key(verified_client, licence_key.key)
    second = post_key(verified_client, licence_key.key)
    assert first.status_code == 302
    assert second.context["form"].errors == {"key": [str(KEY_REGISTERED_BY_YOU_ERROR)]}
    assert Registration.objects.count() == 1


class ClaimedMeanwhile:
    """The services' clock, read between finding the key available and claiming it: another
    request claims the key at that moment, as a racer does on PostgreSQL (test_concurrency)."""

    def __init__(self, key):
        self.key = key

    def now(self):
        LicenceKey.objects.filter(pk=self.key.pk).update(
            status=LicenceKey.Status.CLAIMED, claimed_at=timezone.now()
        )
        return timezone.now()


def test_a_key_claimed_after_the_look_up_is_refused_as_registered(
    verified_user, licence_key, monkeypatch
):
    monkeypatch.setattr(services, "timezone", ClaimedMeanwhile(licence_key))

    with pytest.raises(ValidationError) as refused:
        services.register_product(verified_user, licence_key.key, updates_opt_in=False)

    assert refused.value.code == "key_registered"
    assert not Registration.objects.exists()


def test_code_that_registers_a_product_must_say_whether_the_customer_wants_mail(
    verified_user, licence_key
):
    """No default: a caller that forgets cannot opt a customer into mail unasked."""
    with pytest.raises(TypeError, match="updates_opt_in"):
        services.register_product(verified_user, licence_key.key)
    assert not Registration.objects.exists()


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


def test_the_eleventh_failure_in_an_hour_by_one_account_gets_the_429_page(
    client, verified_user, licence_key
):
    client.force_login(verified_user)
    for number in range(FAILURES_PER_ACCOUNT):
        response = post_key(client, f"WRONGKEY{number:04}", address=f"192.0.2.{number}")
        assert response.status_code == 200
    response = post_key(client, licence_key.key, address="192.0.2.99")
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert not Registration.objects.exists()
    # The form comes back with what was typed and says when to try again.
    assert response.context["form"]["key"].value() == licence_key.key
    assert "Försök igen om 1 timme." in response.content.decode()


def test_an_already_registered_key_counts_as_a_failure(
    client, verified_user, other_user, licence_key, licence_key_factory
):
    client.force_login(other_user)
    post_key(client, licence_key.key)
    client.force_login(verified_user)
    for _ in range(FAILURES_PER_ACCOUNT):
        assert post_key(client, licence_key.key).status_code == 200
    spare = licence_key_factory(licence_key.product, key="SPARE0000001")
    assert post_key(client, spare.key).status_code == 429


def test_sending_a_key_one_has_registered_again_counts_as_a_failure(
    client, verified_user, licence_key, licence_key_factory
):
    """Every looked-up key that cannot be registered costs an attempt, whatever the message."""
    client.force_login(verified_user)
    assert post_key(client, licence_key.key).status_code == 302
    for _ in range(FAILURES_PER_ACCOUNT):
        assert post_key(client, licence_key.key).status_code == 200
    spare = licence_key_factory(licence_key.product, key="SPARE0000001")
    assert post_key(client, spare.key).status_code == 429


def test_a_mail_server_that_is_down_does_not_undo_or_hide_the_registration(
    verified_client, licence_key, monkeypatch, django_capture_on_commit_callbacks
):
    def down(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(services, "send_to_user", down)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_key(verified_client, licence_key.key)

    assert response.status_code == 302
    assert Registration.objects.filter(licence_key=licence_key).exists()


def test_successful_registrations_do_not_count(client, verified_user, product, licence_key_factory):
    """More registrations from one account on one address than either limit allows failures."""
    client.force_login(verified_user)
    for number in range(FAILURES_PER_ADDRESS + 5):
        key = licence_key_factory(product, key=f"GOODKEY{number:05}")
        assert post_key(client, key.key).status_code == 302
    assert Registration.objects.count() == FAILURES_PER_ADDRESS + 5
    # ...and leave the whole allowance of failures.
    for number in range(FAILURES_PER_ACCOUNT):
        assert post_key(client, f"WRONGKEY{number:04}").status_code == 200
    assert post_key(client, "WRONGKEY9999").status_code == 429


def test_a_malformed_key_or_a_bad_date_alone_does_not_count(client, verified_user, licence_key):
    client.force_login(verified_user)
    for _ in range(FAILURES_PER_ACCOUNT + 5):
        assert post_key(client, "ab-12").status_code == 200
        assert post_key(client, "").status_code == 200
        assert post_key(client, licence_key.key, purchase_date="2016-13-45").status_code == 200
    assert post_key(client, licence_key.key).status_code == 302


def test_an_office_behind_one_address_has_room_for_its_failures(
    client, user_factory, product, licence_key_factory
):
    """Four colleagues, each with a full account's failures, then a fifth is refused."""
    for number in range(FAILURES_PER_ADDRESS // FAILURES_PER_ACCOUNT):
        client.force_login(user_factory(f"kollega{number}@example.se"))
        for attempt in range(FAILURES_PER_ACCOUNT):
            assert post_key(client, f"WRONG{number}{attempt:06}").status_code == 200
    client.force_login(user_factory("femte@example.se"))
    key = licence_key_factory(product)
    response = post_key(client, key.key)
    assert response.status_code == 429
    assert not Registration.objects.exists()
    # Another address is not affected.
    assert post_key(client, key.key, address="198.51.100.7").status_code == 302


def test_the_bound_holds_across_accounts_and_addresses(client, user_factory, product):
    """Per address at most FAILURES_PER_ADDRESS lookups fail, whatever the accounts; per account
    at most FAILURES_PER_ACCOUNT, whatever the addresses: every further try is refused unseen."""
    looked_up = []
    real_key_error = services.key_error

    def counting_key_error(user, key_value):
        looked_up.append(key_value)
        return real_key_error(user, key_value)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services, "key_error", counting_key_error)
        for number in range(8):  # 8 accounts x 10 tries from one address
            client.force_login(user_factory(f"gissare{number}@example.se"))
            for attempt in range(10):
                post_key(client, f"GUESS{number}{attempt:06}")
        assert len(looked_up) == FAILURES_PER_ADDRESS

        looked_up.clear()
        client.force_login(user_factory("resande@example.se"))
        for number in range(30):  # one account from 30 addresses
            post_key(client, f"ROAM{number:08}", address=f"203.0.113.{number}")
        assert len(looked_up) == FAILURES_PER_ACCOUNT


def test_register_page_is_not_cached(verified_client):
    response = verified_client.get(reverse("registrations:register"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
