"""The site with content, as the reflow test and the screenshots see it: a customer with
registrations and a passkey, a portal resource and a staff member signed in with password and
TOTP."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

import tests.pages
from accounts.tests.mfa import add_passkey, sign_in_staff
from registrations.models import LicenceKey, Product, Resource
from registrations.services import register_product

PUBLIC_PAGES = [
    *((name, list(kwargs.values())) for name, kwargs in tests.pages.PUBLIC_PAGES),
    ("account_login", []),
    ("account_signup", []),
    ("account_reset_password", []),
]
CUSTOMER_PAGES = [
    ("registrations:portal", []),
    ("registrations:register", []),
    ("registrations:list", []),
    ("accounts:my_data", []),
    ("account_email", []),
    ("account_change_password", []),
    ("mfa_index", []),
    ("mfa_list_webauthn", []),
]
STAFF_PAGES = [
    ("visits:statistics", []),
    ("admin:index", []),
    ("admin:policy_policyversion_changelist", []),
    ("admin:policy_policyversion_change", [1]),
    ("admin:registrations_product_changelist", []),
    ("admin:registrations_licencekey_changelist", []),
    ("admin:registrations_registration_changelist", []),
    ("admin:registrations_resource_changelist", []),
    ("admin:registrations_productnotice_changelist", []),
    ("admin:accounts_user_changelist", []),
    ("admin:consent_consentrecord_changelist", []),
]


def customer_with_registrations(django_user_model, language="sv"):
    customer = django_user_model.objects.create_user(
        email="inköp@kund.example.se", password="ett-långt-lösenord-2016", language=language
    )
    EmailAddress.objects.create(user=customer, email=customer.email, verified=True, primary=True)
    add_passkey(customer, "Min bärbara dator på kontoret i Borås")
    for slug, name_sv, name_en, key in [
        ("delivery", "Leveranshantering", "Delivery management", "ABCD1234EFGH5678"),
        ("returns", "Returhantering för e-handel", "Returns management for e-commerce", "WXYZ9876"),
    ]:
        product = Product.objects.create(slug=slug, name_sv=name_sv, name_en=name_en)
        LicenceKey.objects.create(product=product, key=key)
        register_product(customer, key, updates_opt_in=slug == "delivery")
        Resource.objects.create(
            title_sv=f"Kom igång med {name_sv}",
            title_en=f"Getting started with {name_en}",
            body_sv="Så installerar och konfigurerar du produkten.",
            body_en="How to install and configure the product.",
            product=product,
        )
    return customer


def staff_member(django_user_model):
    staff = django_user_model.objects.create_superuser(
        email="personal@centiro.se", password="personalens-lösenord-2016"
    )
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    return staff


def sign_in(context, live_server, user, *, staff=False):
    """The browser context carries `user`'s session (password, and TOTP for staff)."""
    client = Client()
    if staff:
        sign_in_staff(client, user)
    else:
        client.force_login(user)
    share_session(context, live_server, client)


def share_session(context, live_server, client):
    """Give the browser the session of a test client that has signed someone in."""
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def address(name, args, language):
    with translation.override(language):
        return reverse(name, args=args)
