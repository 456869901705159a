"""Product notices by email: service notices to every registrant, updates on request.

Sending is idempotent per recipient. Each mail is sent inside a transaction
that first inserts the (notice, user) delivery row; the unique constraint makes
a concurrent sender wait and then skip, and a failure while sending rolls the
row back so a rerun mails that person. Only a process killed between the SMTP
server accepting a mail and the commit can repeat one mail, the window any
mail queue without two-phase commit has.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from core.bilingual import in_language
from core.mail import absolute_url, send_to_user
from registrations.models import NoticeDelivery, ProductNotice, Registration

UNSUBSCRIBE_SALT = "registrations.unsubscribe"


def recipients(notice):
    """Users who should receive the notice (each once, however many keys they own)."""
    registrations = Registration.objects.filter(product=notice.product)
    if notice.kind == ProductNotice.Kind.UPDATE:
        registrations = registrations.filter(updates_opt_in=True)
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=registrations.values("user"))
        .order_by("pk")
    )


def unsubscribe_token(user, product):
    return signing.dumps({"u": user.pk, "p": product.pk}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token):
    """(user pk, product pk), or None for a token we did not sign."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return data["u"], data["p"]


def unsubscribe(user_pk, product_pk):
    """Stop product updates for every registration the user has of the product."""
    return Registration.objects.filter(
        user_id=user_pk, product_id=product_pk, updates_opt_in=True
    ).update(updates_opt_in=False)


def _send_one(notice, user):
    language = user.language or settings.LANGUAGE_CODE
    context = {
        "notice": notice,
        "subject": in_language(notice, "subject", language),
        "body": in_language(notice, "body", language),
    }
    headers = {}
    if notice.kind == ProductNotice.Kind.UPDATE:
        with translation.override(language):
            url = absolute_url(
                reverse(
                    "registrations:unsubscribe",
                    args=[unsubscribe_token(user, notice.product)],
                )
            )
        context["unsubscribe_url"] = url
        headers = {
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    send_to_user(user, "registrations/email/notice", context, headers=headers, language=language)


def send_notice(notice):
    """Mail everyone who should have the notice and has not had it; returns how many now."""
    sent_now = 0
    pending = recipients(notice).exclude(notice_deliveries__notice=notice)
    for user in list(pending):
        try:
            with transaction.atomic():
                NoticeDelivery.objects.create(notice=notice, user=user)
                _send_one(notice, user)
        except IntegrityError:
            continue  # another sender got there first
        sent_now += 1
    notice.sent_at = timezone.now()
    notice.recipient_count = notice.deliveries.count()
    notice.save(update_fields=["sent_at", "recipient_count"])
    return sent_now
