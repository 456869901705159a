"""What the portal does: register a product and change its opt-in."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.mail import send_to_user
from registrations.keys import GENERIC_KEY_ERROR, normalise_key
from registrations.models import LicenceKey, Registration


def key_is_available(key_value):
    """Could `key_value` (normalised) be registered now? For reporting, not for claiming."""
    return LicenceKey.objects.filter(
        key=key_value, status=LicenceKey.Status.AVAILABLE, product__active=True
    ).exists()


def register_product(user, raw_key, *, purchase_date=None, updates_opt_in=False):
    """Claim the licence key for `user` and record the registration.

    The key's status changes from available to claimed in one conditional
    UPDATE: of two requests racing for one key, exactly one sees a row count of
    1; the other gets the same ValidationError as for an unknown key.
    """
    key_value = normalise_key(raw_key)
    with transaction.atomic():
        key = (
            LicenceKey.objects.filter(
                key=key_value, status=LicenceKey.Status.AVAILABLE, product__active=True
            )
            .only("pk", "product_id")
            .first()
        )
        if key is None:
            raise ValidationError(GENERIC_KEY_ERROR, code="key_unavailable")
        now = timezone.now()
        claimed = LicenceKey.objects.filter(pk=key.pk, status=LicenceKey.Status.AVAILABLE).update(
            status=LicenceKey.Status.CLAIMED, claimed_at=now
        )
        if claimed != 1:
            raise ValidationError(GENERIC_KEY_ERROR, code="key_unavailable")
        registration = Registration.objects.create(
            user=user,
            product_id=key.product_id,
            licence_key_id=key.pk,
            registered_at=now,
            purchase_date=purchase_date,
            updates_opt_in=updates_opt_in,
        )
        # robust: a mail server that is down is logged and does not turn the saved
        # registration into an error page.
        transaction.on_commit(lambda: send_confirmation(registration.pk), robust=True)
    return registration


def send_confirmation(registration_pk):
    registration = Registration.objects.select_related("user", "product", "licence_key").get(
        pk=registration_pk
    )
    send_to_user(
        registration.user,
        "registrations/email/registered",
        {"registration": registration},
    )


def set_updates_opt_in(registration, opt_in):
    registration.updates_opt_in = opt_in
    registration.save(update_fields=["updates_opt_in"])
