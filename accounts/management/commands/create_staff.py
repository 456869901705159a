import getpass

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import translation


class Command(BaseCommand):
    help = (
        "Create a staff user with a verified email address. Prints a one-time link to set "
        "the password, or asks for it with --password-prompt. Passwords never go in argv."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--superuser", action="store_true")
        parser.add_argument("--language", choices=[code for code, _ in settings.LANGUAGES])
        parser.add_argument(
            "--password-prompt", action="store_true", help="Ask for the password interactively."
        )
        parser.add_argument(
            "--role",
            action="append",
            default=[],
            help="A staff role (group), e.g. Policyredaktör; repeat for several.",
        )

    def handle(self, *args, email, superuser, language, password_prompt, role, **options):
        User = get_user_model()
        email = User.objects.normalize_email(email)
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"Not a valid email address: {email}") from error
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"A user with the email address {email} already exists.")
        groups = list(Group.objects.filter(name__in=role))
        if len(groups) != len(set(role)):
            known = ", ".join(Group.objects.order_by("name").values_list("name", flat=True))
            raise CommandError(f"Unknown role in {', '.join(role)}. Roles: {known}.")
        user = User(
            email=email,
            is_staff=True,
            is_superuser=superuser,
            language=language or settings.LANGUAGE_CODE,
        )
        password = self._ask_password(user) if password_prompt else None
        with transaction.atomic():
            if password:
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.save()
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            user.groups.set(groups)
        roles = ", ".join(group.name for group in groups) or "no role"
        self.stdout.write(f"Created staff user {email} ({roles}).")
        if not password:
            self.stdout.write("Set the password within a few days with this one-time link:")
            self.stdout.write(self._reset_link(user))
        self.stdout.write("At first sign-in the admin asks them to set up an authenticator app.")

    def _ask_password(self, user):
        while True:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("The passwords differ.")
                continue
            try:
                password_validation.validate_password(password, user)
            except ValidationError as error:
                self.stderr.write("\n".join(error.messages))
                continue
            return password

    def _reset_link(self, user):
        key = default_token_generator.make_token(user)
        with translation.override(user.language):
            path = reverse(
                "account_reset_password_from_key",
                kwargs={"uidb36": user_pk_to_url_str(user), "key": key},
            )
        return settings.SITE_URL + path
