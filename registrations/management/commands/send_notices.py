from django.core.management.base import BaseCommand, CommandError

from registrations.models import ProductNotice
from registrations.notices import send_notice


class Command(BaseCommand):
    help = (
        "Send product notices to everyone who should have them and has not had them yet. "
        "Safe to rerun: nobody is mailed twice. Without an id, sends every unsent notice."
    )

    def add_arguments(self, parser):
        parser.add_argument("notice_id", nargs="?", type=int)

    def handle(self, *args, notice_id=None, **options):
        if notice_id is None:
            notices = ProductNotice.objects.filter(sent_at=None)
        else:
            notices = ProductNotice.objects.filter(pk=notice_id)
            if not notices.exists():
                raise CommandError(f"No notice with id {notice_id}.")
        for notice in notices.select_related("product"):
            sent_now = send_notice(notice)
            self.stdout.write(
                f"notice {notice.pk}: {sent_now} sent now, {notice.recipient_count} in total"
            )
