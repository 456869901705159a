import base64
import secrets

from allauth.account.models import EmailAddress
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from registrations.models import LicenceKey, Product, Registration, Resource
from registrations.services import register_product

PRODUCT_SLUG = "demo-lager"
KEYS = [f"DEMO{n:04d}CENTIRO" for n in range(1, 6)]
CUSTOMER_EMAIL = "demo-kund@example.se"
STAFF_EMAIL = "demo-personal@centiro.se"
# Printed for anyone to read: these accounts exist only on development databases.
CUSTOMER_PASSWORD = "demo-kund-lösenord-2016"  # noqa: S105
STAFF_PASSWORD = "demo-personal-lösenord-2016"  # noqa: S105


class Command(BaseCommand):
    help = (
        "Development only: a demo product with licence keys and portal resources, a verified "
        "customer with a registration and a staff member with every role and an authenticator. "
        "Safe to run again."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_data runs only with DEBUG on (development databases).")
        with transaction.atomic():
            product = self._product()
            customer = self._customer(product)
            staff, secret = self._staff()
        site = settings.SITE_URL
        self.stdout.write(f"Product {product.slug}: free licence keys to try in the portal:")
        for key in product.licence_keys.filter(status=LicenceKey.Status.AVAILABLE):
            self.stdout.write(f"  {key.key}")
        self.stdout.write("")
        self.stdout.write(f"Customer: sign in at {site}{reverse('account_login')}")
        self.stdout.write(f"  email {customer.email}, password {CUSTOMER_PASSWORD}")
        self.stdout.write(f"  then open {site}{reverse('registrations:portal')}")
        self.stdout.write("")
        self.stdout.write(f"Staff (every role): open {site}{reverse('admin:index')}")
        self.stdout.write(f"  email {staff.email}, password {STAFF_PASSWORD}")
        self.stdout.write(f"  TOTP secret (base32): {secret}")
        self.stdout.write(
            f"  authenticator app URI: {get_mfa_adapter().build_totp_url(staff, secret)}"
        )

    def _product(self):
        product, _ = Product.objects.get_or_create(
            slug=PRODUCT_SLUG,
            defaults={
                "name_sv": "Centiro Lager (demo)",
                "name_en": "Centiro Warehouse (demo)",
                "description_sv": "En påhittad produkt att prova portalen med.",
                "description_en": "A made-up product to try the portal with.",
            },
        )
        for key in KEYS:
            LicenceKey.objects.get_or_create(key=key, defaults={"product": product})
        Resource.objects.get_or_create(
            title_sv="Välkommen till portalen (demo)",
            product=None,
            defaults={
                "title_en": "Welcome to the portal (demo)",
                "body_sv": "Det här materialet ser alla inloggade kunder.",
                "body_en": "Every signed-in customer sees this material.",
            },
        )
        if not Resource.objects.filter(product=product).exists():
            resource = Resource(
                product=product,
                title_sv="Installationsguide (demo)",
                title_en="Installation guide (demo)",
                body_sv="Så installerar du produkten, steg för steg.",
                body_en="How to install the product, step by step.",
            )
            resource.file.save(
                "installationsguide.txt",
                ContentFile(b"Centiro Lager (demo): installationsguide.\n"),
                save=False,
            )
            resource.save()
        return product

    def _customer(self, product):
        customer = self._user(CUSTOMER_EMAIL, CUSTOMER_PASSWORD, country="SE")
        if not Registration.objects.filter(user=customer, product=product).exists():
            register_product(customer, KEYS[0], updates_opt_in=False)
        return customer

    def _staff(self):
        staff = self._user(STAFF_EMAIL, STAFF_PASSWORD, is_staff=True)
        staff.groups.set(Group.objects.all())
        totp = Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).first()
        if totp:
            return staff, get_mfa_adapter().decrypt(totp.data["secret"])
        # allauth generates and activates secrets only in its internal modules, so the
        # secret is made here (RFC 6238: 20 random bytes, base32) and stored its way.
        secret = base64.b32encode(secrets.token_bytes(20)).decode()
        Authenticator.objects.create(
            user=staff,
            type=Authenticator.Type.TOTP,
            data={"secret": get_mfa_adapter().encrypt(secret)},
        )
        return staff, secret

    def _user(self, email, password, **fields):
        user, created = get_user_model().objects.get_or_create(email=email, defaults=fields)
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return user
