"""What the portal does: register a product and change its opt-in."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.mail import send_to_user
from registrations.keys import (
    GENERIC_KEY_ERROR,
    KEY_REGISTERED_BY_YOU_ERROR,
    KEY_REGISTERED_ERROR,
    normalise_key,
)
from registrations.models import LicenceKey, Registration

# The errors of a key that was looked up and cannot be registered: each is a failed attempt
# against the limits (registrations/attempts.py), whatever it tells the customer.
UNAVAILABLE_KEY_CODES = ("key_unavailable", "key_registered", "key_registered_by_you")


def key_error(user, key_value):
    """Why `user` cannot register `key_value` (normalised) now, or None if they can.

    For reporting, not for claiming. A claimed key says that it is registered, and whether by
    `user`, never by whom: a colleague needs to know to ask around. Unknown and revoked keys,
    and keys of a product no longer sold, share the generic message.
    """
    key = LicenceKey.objects.filter(key=key_value).select_related("product").first()
    if key is not None and key.status == LicenceKey.Status.CLAIMED:
        # A deleted account's keys stay claimed without a registration (personal_data.py).
        if Registration.objects.filter(licence_key=key, user=user).exists():
            return ValidationError(KEY_REGISTERED_BY_YOU_ERROR, code="key_registered_by_you")
        return ValidationError(KEY_REGISTERED_ERROR, code="key_registered")
    if key is None or key.status != LicenceKey.Status.AVAILABLE or not key.product.active:
        return ValidationError(GENERIC_KEY_ERROR, code="key_unavailable")
    return None


def register_product(user, raw_key, *, updates_opt_in, purchase_date=None):
    """Claim the licence key for `user` and record the registration.

    The key's status changes from available to claimed in one conditional
    UPDATE: of two requests racing for one key, exactly one sees a row count of
    1; the other is told the key is registered, as if it had come second.
    `updates_opt_in` has no default: only the customer says yes to mail.
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
            raise key_error(user, key_value) or ValidationError(
                GENERIC_KEY_ERROR, code="key_unavailable"
            )
        now = timezone.now()
        claimed = LicenceKey.objects.filter(pk=key.pk, status=LicenceKey.Status.AVAILABLE).update(
            status=LicenceKey.Status.CLAIMED, claimed_at=now
        )
        if claimed != 1:
            raise ValidationError(KEY_REGISTERED_ERROR, code="key_registered")
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
