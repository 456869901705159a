"""Django's and allauth's authentication backends, with the signed-in user read from the cache
(accounts/usercache.py) instead of the database on each request."""

from allauth.account import auth_backends
from django.contrib.auth import backends

from accounts import usercache


class CachedUserMixin:
    def get_user(self, user_id):
        return usercache.get(user_id, lambda: super(CachedUserMixin, self).get_user(user_id))


class ModelBackend(CachedUserMixin, backends.ModelBackend):
    pass


class AuthenticationBackend(CachedUserMixin, auth_backends.AuthenticationBackend):
    pass
