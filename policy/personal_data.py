"""The policy versions shown to and acknowledged by a user, for "my data" and deletion."""

from django.utils.translation import gettext_lazy as _

from accounts.registry import PersonalDataSection, deleting
from policy import services
from policy.models import PolicyAcceptance


def collect(user):
    acceptances = PolicyAcceptance.objects.filter(user=user).select_related("version")
    return [
        {
            "version": acceptance.version.number,
            "shown_at": acceptance.shown_at.isoformat(),
            "acknowledged_at": (
                acceptance.acknowledged_at.isoformat() if acceptance.acknowledged_at else None
            ),
        }
        for acceptance in acceptances.order_by("version__number")
    ]


SECTION = PersonalDataSection(
    key="policy_acknowledgements",
    title=_("Sekretesspolicyn"),
    collect=collect,
    delete=deleting(PolicyAcceptance),
    template="policy/_my_data.html",
    # A policy change no longer concerns someone who has just left: no bar on their way out.
    on_account_deleted=services.close_notice,
)
