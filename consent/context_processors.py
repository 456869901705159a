from django.utils.functional import SimpleLazyObject

from consent import state
from consent.texts import BANNER


def cookie_consent(request):
    """The visitor's consent for the banner, read only if a template asks."""
    return {
        "cookie_consent": SimpleLazyObject(lambda: state.get(request)),
        "cookie_banner": BANNER,
        "cookie_choice_confirmed": SimpleLazyObject(lambda: state.confirmed(request)),
    }
