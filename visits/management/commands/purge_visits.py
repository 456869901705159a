from django.conf import settings
from django.core.management.base import BaseCommand

from visits import rollup


class Command(BaseCommand):
    help = "Delete raw visits older than VISIT_RETENTION_DAYS; the daily tables stay."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=10_000)

    def handle(self, *args, batch_size, **options):
        days = settings.VISIT_RETENTION_DAYS
        self.stdout.write(f"Deleting raw visits older than {days} days...")
        deleted = rollup.purge_old_visits(
            days,
            batch_size=batch_size,
            progress=lambda total: self.stdout.write(f"  {total} deleted"),
        )
        self.stdout.write(f"Done: {deleted} raw visits deleted.")
