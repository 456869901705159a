from django.core.management.base import BaseCommand

from visits import spool


class Command(BaseCommand):
    help = (
        "Insert this node's spooled page visits into the database, exactly once. "
        "Safe to rerun, to interrupt and to run twice at once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=10_000, help="visits per transaction")

    def handle(self, *args, batch_size, **options):
        self.stdout.write("Draining spooled visits...")
        total = spool.drain(batch_size=batch_size, progress=self.stdout.write)
        self.stdout.write(f"Done: {total} visits inserted.")
