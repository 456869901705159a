from django.utils.functional import SimpleLazyObject

from policy import services


def policy(request):
    """The current version and the announcement for the footer, and the notice for the bar.

    All come from one cache read; the notice is only worked out if a template asks.
    """
    in_effect = services.in_effect(request)
    return {
        "policy_current": in_effect.current,
        "policy_announcement": services.announcement(in_effect),
        "policy_notice": SimpleLazyObject(lambda: services.notice_for_request(request)),
    }
