"""The registrations app's part of "my data", the JSON export and account deletion.

On deletion the Registration rows go and the licence keys stay claimed: the
key was sold and used, so it must not become available again, while who
registered it, when and with what purchase date is the person's data. A
claimed key without a registration is what a deleted customer leaves behind.
The notice delivery rows (who received which mail) go as well.
"""

from django.utils.translation import gettext_lazy as _

from accounts.registry import PersonalDataSection, deleting
from core.bilingual import in_language
from registrations.models import NoticeDelivery, Registration


def collect(user):
    """The user's registrations and the mail they received, in the active language: the
    export is read in the language of the page it was asked for from."""
    registrations = Registration.objects.filter(user=user).select_related("product", "licence_key")
    deliveries = NoticeDelivery.objects.filter(user=user).select_related("notice__product")
    return {
        "registrations": [
            {
                "product": registration.product.name,
                "licence_key": registration.licence_key.masked,
                "registered_at": registration.registered_at.isoformat(),
                "purchase_date": (
                    registration.purchase_date.isoformat() if registration.purchase_date else None
                ),
                "updates_opt_in": registration.updates_opt_in,
            }
            for registration in registrations
        ],
        "notices_received": [
            {
                "product": delivery.notice.product.name,
                "kind": delivery.notice.kind,
                "subject": in_language(delivery.notice, "subject"),
                "sent_at": delivery.sent_at.isoformat(),
            }
            for delivery in deliveries
        ],
    }


SECTION = PersonalDataSection(
    key="registrations",
    title=_("Produktregistreringar"),
    collect=collect,
    delete=deleting(NoticeDelivery, Registration),
    template="registrations/my_data.html",
)
