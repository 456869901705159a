from django.utils.functional import SimpleLazyObject

from policy import consent


def cookie_consent(request):
    """The visitor's consent for the banner, read only if a template asks."""
    return {
        "cookie_consent": SimpleLazyObject(lambda: consent.get(request)),
        "cookie_banner": consent.BANNER,
    }
