import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from visits import rollup


class Command(BaseCommand):
    help = "Aggregate one Stockholm day of raw visits into the daily tables (default: yesterday)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to roll up, YYYY-MM-DD")

    def handle(self, *args, date=None, **options):
        if date:
            try:
                day = datetime.date.fromisoformat(date)
            except ValueError as error:
                raise CommandError(f"--date must be YYYY-MM-DD: {error}") from error
        else:
            day = timezone.localdate() - datetime.timedelta(days=1)
        views = rollup.rollup_day(day)
        self.stdout.write(f"Rolled up {day.isoformat()}: {views} views.")
