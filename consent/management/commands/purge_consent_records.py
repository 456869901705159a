from django.conf import settings
from django.core.management.base import BaseCommand

from consent.records import purge


class Command(BaseCommand):
    help = (
        "Delete cookie consent records whose 12-month validity ended more than "
        "CONSENT_RECORD_RETENTION_DAYS ago, their owner links and texts no record needs. "
        "Safe to rerun."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=10_000)

    def handle(self, *args, batch_size, **options):
        days = settings.CONSENT_RECORD_RETENTION_DAYS
        self.stdout.write(f"Deleting consent records expired more than {days} days ago...")
        records, owners, revisions = purge(
            batch_size=batch_size,
            progress=lambda total: self.stdout.write(f"  {total} deleted"),
        )
        self.stdout.write(
            f"Done: {records} consent records, {owners} owner links "
            f"and {revisions} unused text revisions deleted."
        )
