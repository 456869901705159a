"""The policy versions shown to and acknowledged by a user, for "my data" and deletion."""

from policy.models import PolicyAcceptance


def collect_acknowledgements(user):
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


def delete_acknowledgements(user):
    PolicyAcceptance.objects.filter(user=user).delete()
