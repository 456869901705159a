"""Sessions as `cached_db` keeps them, with a database outage reported as one.

Django's database store turns every DatabaseError of a session update into UpdateError, which
SessionMiddleware answers with SessionInterrupted: a 400 saying the session was deleted in a
concurrent request. That is right when the forced UPDATE found no row (a plain DatabaseError),
but a connection the database refused or dropped is an outage: re-raised, it reaches the 503
page and `centiro_database_errors_total` like every other database failure (core/views.py).

The session is written after the view has answered, and a view commits its own writes: when
only that write fails, what the request sent may well be saved (a registration), and the 503
page must not say it was not. SessionMiddleware marks that failure as SessionWriteFailed.
"""

from django.contrib.sessions import middleware
from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.base import UpdateError
from django.db import OperationalError

from core.metrics import DATABASE_FAILURES


class SessionWriteFailed(OperationalError):
    """The database failed while the session was saved, after the view had answered."""


class SessionStore(cached_db.SessionStore):
    def save(self, must_create=False):
        try:
            super().save(must_create)
        except UpdateError as error:
            # Django's InterfaceError is no DatabaseError: it never becomes an UpdateError.
            if isinstance(error.__context__, OperationalError):
                raise error.__context__ from None
            raise


class SessionMiddleware(middleware.SessionMiddleware):
    def process_response(self, request, response):
        try:
            return super().process_response(request, response)
        except DATABASE_FAILURES as error:
            raise SessionWriteFailed(*error.args) from error
