from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.lifecycle import purge_unverified_accounts


class Command(BaseCommand):
    help = (
        "Delete customer accounts whose email address was not verified within "
        "UNVERIFIED_ACCOUNT_DAYS of signing up. Never touches staff. Safe to rerun."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, batch_size, **options):
        days = settings.UNVERIFIED_ACCOUNT_DAYS
        self.stdout.write(f"Deleting accounts not verified within {days} days...")
        deleted = purge_unverified_accounts(
            batch_size=batch_size,
            progress=lambda total: self.stdout.write(f"  {total} deleted"),
        )
        self.stdout.write(f"Done: {deleted} unverified accounts deleted.")
