from django.core.management.base import BaseCommand
from django.utils import timezone

from visits import rollup, spool


class Command(BaseCommand):
    help = (
        "Insert this node's spooled page visits into the database, exactly once, then count "
        "today's new visits into the daily tables. Safe to rerun, to interrupt and to run twice "
        "at once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=10_000, help="visits per transaction")

    def handle(self, *args, batch_size, **options):
        self.stdout.write("Draining spooled visits...")
        total = spool.drain(batch_size=batch_size, progress=self.stdout.write)
        self.stdout.write(f"Done: {total} visits inserted.")
        try:
            mark = rollup.rollup_increment(timezone.localdate())
        except rollup.TableBusy as busy:
            self.stdout.write(f"Today's daily tables not updated: {busy} is locked; next run.")
        else:
            self.stdout.write(f"Today's daily tables count visits up to id {mark.visit_id}.")
