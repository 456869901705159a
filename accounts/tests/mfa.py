"""Test helpers for staff's second factor: a TOTP authenticator, its current code, a passkey,
and a session that has passed password and TOTP, as the admin requires.

allauth's public API covers the session's authentication records and encrypting a secret;
generating a secret, activating TOTP and computing a code live only in allauth internals
(allauth.mfa.totp.internal.auth), so they are written here from RFC 6238 instead.
"""

import base64
import hashlib
import hmac
import secrets
import struct
import time

from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa import app_settings
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from cryptography.hazmat.primitives.asymmetric import ec
from fido2.cose import ES256
from fido2.utils import websafe_encode
from fido2.webauthn import (
    AttestationObject,
    AttestedCredentialData,
    AuthenticatorData,
    CollectedClientData,
)

# allauth keeps whose records they are under this session key and exports no name for it
# (allauth.account.internal.flows.login._AUTHENTICATION_METHODS_USER_SESSION_KEY).
AUTHENTICATED_USER_SESSION_KEY = "account_authentication_methods_user"


def generate_totp_secret():
    return base64.b32encode(secrets.token_bytes(20)).decode()


def activate_totp(user, secret=None):
    """Give `user` an authenticator app with `secret` (a new one by default); returns the secret."""
    secret = secret or generate_totp_secret()
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": get_adapter().encrypt(secret)}
    )
    return secret


def totp_code(secret, at=None):
    """The code an authenticator app shows for `secret` at time `at` (default now).

    For now, a code about to expire is not handed out: allauth accepts only the current period
    (no tolerance), so a browser test that types it a moment later would be refused.
    """
    if at is None:
        left = app_settings.TOTP_PERIOD - time.time() % app_settings.TOTP_PERIOD
        if left < 5:
            time.sleep(left)
        at = time.time()
    counter = int(at) // app_settings.TOTP_PERIOD
    key = base64.b32decode(secret, casefold=True)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**app_settings.TOTP_DIGITS:0{app_settings.TOTP_DIGITS}d}"


def record_authentication(client, user, *methods):
    """Note in the client's session that `user` passed `methods` just now, as allauth does."""
    session = client.session
    session[AUTHENTICATED_USER_SESSION_KEY] = str(user.pk)
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": method, "at": time.time(), "reauthenticated": False, **extra}
        for method, extra in methods
    ]
    session.save()


def sign_in_staff(client, user):
    """Sign `user` in as if with password and TOTP, which the admin requires of staff."""
    client.force_login(user)
    record_authentication(
        client, user, ("password", {"email": user.email}), ("mfa", {"type": "totp"})
    )
    return client


def add_passkey(user, name, rp_id="testserver"):
    """Give `user` a passkey as allauth stores one after the browser's registration ceremony:
    the credential's JSON with a "none" attestation (the test client cannot run the ceremony;
    e2e/test_passkeys.py does, in Chromium)."""
    key = ec.generate_private_key(ec.SECP256R1())
    credential_id = secrets.token_bytes(16)
    flags = AuthenticatorData.FLAG
    auth_data = AuthenticatorData.create(
        hashlib.sha256(rp_id.encode()).digest(),
        flags.UP | flags.UV | flags.AT,
        0,
        AttestedCredentialData.create(
            bytes(16), credential_id, ES256.from_cryptography_key(key.public_key())
        ),
    )
    client_data = CollectedClientData.create(
        "webauthn.create", secrets.token_bytes(32), f"https://{rp_id}"
    )
    credential = {
        "id": websafe_encode(credential_id),
        "rawId": websafe_encode(credential_id),
        "type": "public-key",
        "response": {
            "clientDataJSON": websafe_encode(client_data),
            "attestationObject": websafe_encode(AttestationObject.create("none", auth_data, {})),
        },
        "clientExtensionResults": {"credProps": {"rk": True}},
    }
    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.WEBAUTHN, data={"name": name, "credential": credential}
    )
