"""Which authenticator-app codes are valid right now for a user (RFC 6238).

allauth refuses a code it has already accepted within its period with the same "Incorrect
code." as a mistyped one, and keeps the used codes and its own code generator in internal
modules; the code is computed here from the stored secret (through the MFA adapter's public
decrypt) so a refused code that is the current one can be told apart: it was used already.
"""

import base64
import hashlib
import hmac
import struct
import time

from allauth.mfa import app_settings
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator


def code_at(secret, counter):
    key = base64.b32decode(secret, casefold=True)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**app_settings.TOTP_DIGITS:0{app_settings.TOTP_DIGITS}d}"


def is_current_code(user, code, now=None):
    """Whether `code` is one allauth would accept for `user` now, had it not been used."""
    code = "".join(code.split())
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None or not code.isdigit():
        return False
    secret = get_adapter().decrypt(authenticator.data["secret"])
    counter = int(time.time() if now is None else now) // app_settings.TOTP_PERIOD
    tolerance = app_settings.TOTP_TOLERANCE
    return any(
        hmac.compare_digest(code_at(secret, counter + step), code)
        for step in range(-tolerance, tolerance + 1)
    )
