from django.utils.functional import SimpleLazyObject

from policy import services


def policy(request):
    """The current version for the footer, and the major-change notice for the bar.

    Both come from the cache; the notice is only worked out if a template asks.
    """
    user = getattr(request, "user", None)
    return {
        "policy_current": services.current_version(),
        "policy_notice": SimpleLazyObject(
            lambda: services.notice_for(user) if user is not None else None
        ),
    }
