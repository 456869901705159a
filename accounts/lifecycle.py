"""Accounts whose time is up: sign-ups never verified within UNVERIFIED_ACCOUNT_DAYS."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone


def unverified_accounts(now=None):
    """Customer accounts that joined more than UNVERIFIED_ACCOUNT_DAYS ago and never verified.

    Staff are never included: they are created verified, and a staff account
    is deactivated, never deleted, so the record of who did what stays. Nor is
    anyone who ever signed in (mandatory verification means they once had a
    verified address), so a pending change of address never costs an account.
    """
    cutoff = (now or timezone.now()) - timedelta(days=settings.UNVERIFIED_ACCOUNT_DAYS)
    verified = EmailAddress.objects.filter(verified=True).values("user_id")
    return (
        get_user_model()
        .objects.filter(date_joined__lt=cutoff, last_login=None, is_staff=False, is_superuser=False)
        .exclude(pk__in=verified)
        .order_by("pk")
    )


def purge_unverified_accounts(*, now=None, batch_size=1000, progress=None):
    """Delete them in batches of `batch_size`, each batch in its own transaction.

    Idempotent: a second run finds nothing. Returns how many accounts were deleted.
    """
    deleted = 0
    while True:
        with transaction.atomic():
            batch = list(unverified_accounts(now).values_list("pk", flat=True)[:batch_size])
            if not batch:
                return deleted
            get_user_model().objects.filter(pk__in=batch).delete()
        deleted += len(batch)
        if progress:
            progress(deleted)
