import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from registrations.models import LicenceKey, NoticeDelivery, ProductNotice, Registration
from registrations.notices import send_notice, unsubscribe_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def customers(django_user_model, product):
    """Five registrants of the product; the first two want updates, the last reads English."""
    users = []
    for number in range(5):
        user = django_user_model.objects.create_user(
            email=f"kund{number}@example.se", password="x", language="en" if number == 4 else "sv"
        )
        key = LicenceKey.objects.create(
            product=product,
            key=f"CUSTOMER{number:04d}",
            status=LicenceKey.Status.CLAIMED,
            claimed_at=timezone.now(),
        )
        Registration.objects.create(
            user=user, product=product, licence_key=key, updates_opt_in=number < 2
        )
        users.append(user)
    return users


def make_notice(product, kind):
    return ProductNotice.objects.create(
        product=product,
        kind=kind,
        subject_sv="Viktig uppdatering",
        subject_en="Important update",
        body_sv="Installera version 2.",
        body_en="Install version 2.",
    )


def test_service_notice_reaches_every_registrant_in_their_language(product, customers):
    notice = make_notice(product, ProductNotice.Kind.SERVICE)

    send_notice(notice)

    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in customers)
    english = next(m for m in mail.outbox if m.to == [customers[4].email])
    assert english.subject == "Important update"
    assert "Install version 2." in english.body
    assert "Install version 2." in english.alternatives[0][0]
    assert all("List-Unsubscribe" not in m.extra_headers for m in mail.outbox)
    notice.refresh_from_db()
    assert notice.sent_at is not None
    assert notice.recipient_count == 5


def test_update_goes_only_to_registrants_who_opted_in_with_unsubscribe_headers(product, customers):
    notice = make_notice(product, ProductNotice.Kind.UPDATE)

    send_notice(notice)

    assert sorted(m.to[0] for m in mail.outbox) == [customers[0].email, customers[1].email]
    message = mail.outbox[0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert link.startswith("https://www.centiro.se/portal/")
    assert link in message.body
    assert link in message.alternatives[0][0]


def test_a_user_with_two_keys_of_the_product_gets_one_mail(product, customers):
    key = LicenceKey.objects.create(
        product=product, key="SECONDKEY001", status="claimed", claimed_at=timezone.now()
    )
    Registration.objects.create(user=customers[0], product=product, licence_key=key)
    send_notice(make_notice(product, ProductNotice.Kind.SERVICE))
    assert len(mail.outbox) == 5


class FailsOnThirdMessage(EmailBackend):
    sent = 0

    def send_messages(self, messages):
        FailsOnThirdMessage.sent += len(messages)
        if FailsOnThirdMessage.sent == 3:
            raise ConnectionError("SMTP server went away")
        return super().send_messages(messages)


def test_a_crash_halfway_then_a_rerun_mails_everyone_exactly_once(product, customers, settings):
    notice = make_notice(product, ProductNotice.Kind.SERVICE)
    settings.EMAIL_BACKEND = f"{__name__}.FailsOnThirdMessage"
    FailsOnThirdMessage.sent = 0

    with pytest.raises(ConnectionError):
        send_notice(notice)

    assert len(mail.outbox) == 2
    assert NoticeDelivery.objects.filter(notice=notice).count() == 2
    notice.refresh_from_db()
    assert notice.sent_at is None

    call_command("send_notices")

    recipients = [m.to[0] for m in mail.outbox]
    assert sorted(recipients) == sorted(u.email for u in customers)
    notice.refresh_from_db()
    assert notice.recipient_count == 5
    assert notice.sent_at is not None


def test_sending_again_mails_nobody_twice_but_reaches_new_registrants(
    product, customers, django_user_model
):
    notice = make_notice(product, ProductNotice.Kind.SERVICE)
    send_notice(notice)
    newcomer = django_user_model.objects.create_user(email="ny@example.se", password="x")
    key = LicenceKey.objects.create(
        product=product, key="NEWCOMER0001", status="claimed", claimed_at=timezone.now()
    )
    Registration.objects.create(user=newcomer, product=product, licence_key=key)
    mail.outbox.clear()

    call_command("send_notices", str(notice.pk))

    assert [m.to for m in mail.outbox] == [[newcomer.email]]
    notice.refresh_from_db()
    assert notice.recipient_count == 6


def test_unsubscribe_link_works_signed_out_after_confirming(client, product, customers):
    url = reverse("registrations:unsubscribe", args=[unsubscribe_token(customers[0], product)])

    response = client.get(url)
    assert response.status_code == 200
    assert Registration.objects.get(user=customers[0]).updates_opt_in is True  # GET changes nothing

    response = client.post(url)
    assert response.status_code == 200
    assert Registration.objects.get(user=customers[0]).updates_opt_in is False
    assert Registration.objects.get(user=customers[1]).updates_opt_in is True


def test_one_click_unsubscribe_post_from_a_mail_client_needs_no_csrf_token(product, customers):
    mail_client = Client(enforce_csrf_checks=True)
    url = reverse("registrations:unsubscribe", args=[unsubscribe_token(customers[1], product)])
    response = mail_client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Registration.objects.get(user=customers[1]).updates_opt_in is False


def test_tampered_unsubscribe_token_is_not_found(client, product, customers):
    token = unsubscribe_token(customers[0], product)
    response = client.post(reverse("registrations:unsubscribe", args=[token[:-2] + "xx"]))
    assert response.status_code == 404
    assert Registration.objects.get(user=customers[0]).updates_opt_in is True


def test_staff_send_a_notice_from_the_admin(staff_client, product, customers):
    notice = make_notice(product, ProductNotice.Kind.UPDATE)
    response = staff_client.post(
        reverse("admin:registrations_productnotice_changelist"),
        {"action": "send", "_selected_action": [notice.pk]},
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    notice.refresh_from_db()
    assert notice.recipient_count == 2
