from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Remove a user's authenticators (TOTP, passkeys and recovery codes) after they lost them. "
        "Verify who is asking first; they set up a new authenticator at next admin sign-in."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)

    def handle(self, *args, email, **options):
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user with the email address {email}.")
        deleted, _ = Authenticator.objects.filter(user=user).delete()
        self.stdout.write(f"Removed {deleted} authenticator(s) of {user.email}.")
