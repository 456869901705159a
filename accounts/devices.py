"""Known devices: browsers that have signed in to an address before.

allauth limits failed sign-ins per address (ACCOUNT_RATE_LIMITS["login_failed"]), so anyone who
types wrong passwords for an address could keep its owner out. Failures from a browser that
has signed in to that address before are counted under a key of their own: a guesser elsewhere
fills only the counter of unknown browsers, and the owner's own browser still gets in. The
per-IP limit counts everyone. The cookie holds a keyed hash of the address, never the address.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

LIFETIME = datetime.timedelta(days=365)
_SALT = "accounts.devices"


def _address_digest(address):
    return salted_hmac(_SALT, address.strip().lower()).hexdigest()


def remember(response, address):
    """Mark the browser that receives `response` as having signed in to `address`."""
    response.set_cookie(
        settings.DEVICE_COOKIE_NAME,
        signing.TimestampSigner(salt=_SALT).sign(_address_digest(address)),
        max_age=int(LIFETIME.total_seconds()),
        secure=not settings.DEBUG,
        httponly=True,
        samesite="Lax",
    )


def is_known(request, address):
    """True when the request's browser has signed in to `address` within LIFETIME."""
    value = request.COOKIES.get(settings.DEVICE_COOKIE_NAME)
    if not value or not address:
        return False
    try:
        digest = signing.TimestampSigner(salt=_SALT).unsign(value, max_age=LIFETIME)
    except signing.BadSignature:
        return False
    return constant_time_compare(digest, _address_digest(address))
