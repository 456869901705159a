from django.utils.functional import SimpleLazyObject

from policy import services


def policy(request):
    """The current version for the footer, and the major-change notice for the bar.

    Both come from one cache read; the notice is only worked out if a template asks.
    """
    user = getattr(request, "user", None)
    in_effect = services.in_effect(request)
    return {
        "policy_current": in_effect["current"],
        "policy_notice": SimpleLazyObject(
            lambda: (
                services.notice_for(user, in_effect, services.dismissed_notice(request))
                if user is not None
                else None
            )
        ),
    }
