"""A user's cookie choices, for "my data" and account deletion."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.registry import PersonalDataSection, deleting
from consent.cookies import CATEGORIES
from consent.models import ConsentOwner, ConsentRecord


def collect(user):
    names = {category.key: category.name for category in CATEGORIES}
    ids = list(ConsentOwner.objects.filter(user=user).values_list("consent_id", flat=True))
    records = ConsentRecord.objects.filter(consent_id__in=ids).select_related("revision")
    history = {consent_id: [] for consent_id in ids}
    for record in records.order_by("created_at", "id"):
        history[record.consent_id].append(
            {
                "time": timezone.localtime(record.created_at).isoformat(),
                "action": record.action,
                "action_label": str(record.get_action_display()),
                "categories": record.categories,
                # A category no longer declared keeps its key.
                "category_names": [str(names.get(key, key)) for key in record.categories],
                "policy_version": record.policy_version,
                "revision": record.revision.revision,
                "gpc": record.gpc,
            }
        )
    return [{"consent_id": str(key), "records": value} for key, value in history.items()]


SECTION = PersonalDataSection(
    key="cookie_consents",
    title=_("Val om kakor"),
    collect=collect,
    # The records are anonymous proof and stay; only the link to the account goes.
    delete=deleting(ConsentOwner),
    template="consent/_my_data.html",
)
