"""How often keys may be tried: failed attempts per account and per address.

Only a key that was looked up and cannot be registered counts (registrations/services.py,
UNAVAILABLE_KEY_CODES): a successful registration, a mistyped date or a malformed key learns
nothing about which keys exist and costs nothing. An office behind one address (NAT) shares
FAILURES_PER_ADDRESS; one account, from anywhere, has FAILURES_PER_ACCOUNT. Each attempt is
counted before its key is looked up and given back afterwards unless it failed, so requests
sent in parallel cannot look up more keys than the limits allow. The bound this gives on key
guessing is worked out in the docs (docs/customers-and-staff.md, "The bound on guessing keys").
"""

from core.net import client_ip
from core.ratelimit import hit, release

FAILURES_PER_ACCOUNT = 10
FAILURES_PER_ADDRESS = 40
PERIOD = 3600


class Attempt:
    """One POST of the registration form, held against both limits while it runs."""

    def __init__(self, request):
        self.limits = [
            ("registrations.register.user", request.user.pk, FAILURES_PER_ACCOUNT),
            ("registrations.register.ip", client_ip(request), FAILURES_PER_ADDRESS),
        ]
        self.held = []

    def start(self):
        """Hold the attempt against the limits; False (holding nothing) if one is used up."""
        for scope, key, limit in self.limits:
            self.held.append((scope, key))
            if not hit(scope, key, limit=limit, period=PERIOD):
                self.give_back()
                return False
        return True

    def give_back(self):
        """The attempt did not fail: it no longer counts."""
        for scope, key in self.held:
            release(scope, key)
        self.held = []
