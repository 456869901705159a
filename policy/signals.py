"""What the policy app hears from allauth."""

from allauth.account.signals import user_signed_up
from django.dispatch import receiver

from policy import services


@receiver(user_signed_up, dispatch_uid="policy.record_version_shown_at_signup")
def record_version_shown_at_signup(sender, request, user, **kwargs):
    """Sign-up shows the current policy; it informs, so this records, it does not ask consent."""
    services.record_shown(user)
