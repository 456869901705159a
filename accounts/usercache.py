"""The signed-in user read from the shared cache: a signed-in request costs no query for them.

Django loads the user of a signed-in request from the database on every request
(`django.contrib.auth.get_user`, through the backends in accounts/backends.py), and the portal
then asks whether they have a verified address. Both answers are kept in one cache entry per
user, read together with the user's stamp in one round trip, and the entry is used only if it
was stored under the current stamp. Saving or deleting the user or one of their email addresses
replaces the stamp (`connect()`; other apps call `bump()` for what they keep under it), at once
and again when the transaction commits, so a request that read the old row before the commit
cannot leave it stored under the new stamp. Django still compares the session's auth hash with
the user's password hash on every request: a password changed elsewhere signs the other
sessions out at their next request, a deactivated user is signed out, and a staff flag takes
effect at once.

The entry holds the user's row, password hash included (the session check needs it), in the
same Redis as the sessions.
"""

import uuid

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save

from core import release

# Keys of shared stamps that other apps read on signed-in requests (`read_along()`): fetched in
# the same round trip as the user.
_ALONG = []

# Bounds how long a change that could not reach Redis (an outage: each process then writes to
# its own memory) or made without signals (queryset.update) leaves an old row in use.
TIMEOUT = 60


def _stamp_key(user_pk):
    return f"user:stamp:{user_pk}"


def _entry_key(user_pk):
    # A deploy may change the model: an entry pickled by another release is never read.
    return f"user:{release.release_id()}:{user_pk}"


def _renew(user_pk):
    cache.set(_stamp_key(user_pk), uuid.uuid4().hex, None)


def bump(user_pk):
    """Forget what is cached about this user (their row and everything kept under the stamp)."""
    _renew(user_pk)
    if connection.in_atomic_block:
        transaction.on_commit(lambda: _renew(user_pk))


def _current_stamp(user_pk):
    cache.add(_stamp_key(user_pk), uuid.uuid4().hex, None)
    return cache.get(_stamp_key(user_pk))


def read_along(key):
    """Read the shared cache's `key` with every user: `read_along_values[key]` on the user."""
    _ALONG.append(key)


def get(user_pk, load):
    """The user `load()` returns (None: no such active user), from the cache when current.

    The user carries `cache_stamp` (their current stamp), `has_verified_address` and
    `read_along_values`."""
    stamp_key, entry_key = _stamp_key(user_pk), _entry_key(user_pk)
    found = cache.get_many([stamp_key, entry_key, *_ALONG])
    stamp, entry = found.get(stamp_key), found.get(entry_key)
    if stamp is not None and entry is not None and entry[0] == stamp:
        _, user, verified = entry
    else:
        stamp = stamp or _current_stamp(user_pk)
        user = load()
        if user is None:
            return None
        verified = EmailAddress.objects.filter(user=user, verified=True).exists()
        cache.set(entry_key, (stamp, user, verified), TIMEOUT)
    user.cache_stamp = stamp
    user.has_verified_address = verified
    user.read_along_values = {key: found.get(key) for key in _ALONG}
    return user


def stamp(user):
    """The user's current stamp: it changes whenever anything cached about them changes."""
    return getattr(user, "cache_stamp", None) or _current_stamp(user.pk)


def connect():
    def user_changed(sender, instance, **kwargs):
        bump(instance.pk)

    def address_changed(sender, instance, **kwargs):
        bump(instance.user_id)

    for signal in (post_save, post_delete):
        signal.connect(user_changed, sender=get_user_model(), weak=False)
        signal.connect(address_changed, sender=EmailAddress, weak=False)
