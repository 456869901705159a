"""Known devices: browsers that have signed in to an address before.

allauth limits failed sign-ins per address (ACCOUNT_RATE_LIMITS["login_failed"]), so anyone who
types wrong passwords for an address could keep its owner out. Failures from a browser that
has signed in to that address before are counted under a key of their own: a guesser elsewhere
fills only the counter of unknown browsers, and the owner's own browser still gets in. The
per-IP limit counts everyone. The cookie holds a keyed hash of the address, never the address.
"""

from datetime import timedelta

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from core.cookies import NECESSARY, Cookie, set_cookie

DEVICE_COOKIE = Cookie(
    name="centiro_device",
    category=NECESSARY,
    purpose=_(
        "Visar att webbläsaren har loggat in på kontot förut, så att någon som gissar "
        "lösenord på annat håll inte kan spärra dig från att logga in."
    ),
    data=_("Ett signerat kontrollvärde beräknat från e-postadressen, inte adressen själv."),
    lifetime=_("1 år"),
    max_age=timedelta(days=365),
    position=40,
)
_SALT = "accounts.devices"


def _address_digest(address):
    return salted_hmac(_SALT, address.strip().lower()).hexdigest()


def remember(response, address):
    """Mark the browser that receives `response` as having signed in to `address`."""
    set_cookie(
        response, DEVICE_COOKIE, signing.TimestampSigner(salt=_SALT).sign(_address_digest(address))
    )


def is_known(request, address):
    """True when the request's browser has signed in to `address` within the cookie's lifetime."""
    value = request.COOKIES.get(DEVICE_COOKIE.name)
    if not value or not address:
        return False
    try:
        digest = signing.TimestampSigner(salt=_SALT).unsign(value, max_age=DEVICE_COOKIE.max_age)
    except signing.BadSignature:
        return False
    return constant_time_compare(digest, _address_digest(address))
