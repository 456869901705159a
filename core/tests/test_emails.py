"""Every mail the site sends, in both languages: both parts, the site's layout, absolute links.

The mails are found on disk (every `email/<name>_subject.txt` in the project's
templates), so a new mail is checked as soon as its templates exist.
"""

import re
from datetime import date
from pathlib import Path

import pytest
from allauth.account.adapter import get_adapter
from allauth.core import context as allauth_context
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone, translation

from core.bilingual import in_language
from core.mail import absolute_url, send_to_user
from registrations.models import LicenceKey, Product, ProductNotice, Registration

BASE_DIR = Path(settings.BASE_DIR)
# Mails allauth sends go through the account adapter; their bodies are `<prefix>_message.*`.
ALLAUTH_PREFIXES = ("account/", "mfa/")
# Another host than SITE_URL's: allauth builds links on the host the request came to.
REQUEST_HOST = "https://centiro.com"


def project_template_dirs():
    dirs = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    dirs += [Path(app.path) / "templates" for app in apps.get_app_configs()]
    return [d for d in dirs if d.is_dir() and BASE_DIR in d.parents and ".venv" not in d.parts]


def mail_prefixes():
    return sorted(
        {
            str(subject.relative_to(directory)).removesuffix("_subject.txt")
            for directory in project_template_dirs()
            for subject in directory.glob("**/email/*_subject.txt")
        }
    )


def body_templates(prefix):
    if prefix.startswith(ALLAUTH_PREFIXES):
        return f"{prefix}_message.txt", f"{prefix}_message.html"
    return f"{prefix}.txt", f"{prefix}.html"


@pytest.fixture
def recipient(django_user_model):
    def make(language):
        email = f"kund-{language}@example.se"
        return django_user_model.objects.create_user(email=email, language=language)

    return make


@pytest.fixture
def sample_context(db):
    """Everything any mail's templates ask for, the way their senders pass it."""
    product = Product.objects.create(slug="delivery", name_sv="Leverans", name_en="Delivery")

    def make(user):
        key = LicenceKey.objects.create(product=product, key=f"ABCD1234EFGH{user.pk:04d}")
        registration = Registration.objects.create(
            user=user,
            product=product,
            licence_key=key,
            registered_at=timezone.now(),
            purchase_date=date(2026, 3, 1),
            updates_opt_in=True,
        )
        notice = ProductNotice.objects.create(
            product=product,
            kind=ProductNotice.Kind.UPDATE,
            subject_sv="Ny version av Leverans",
            subject_en="New version of Delivery",
            body_sv="Version 2 finns nu.",
            body_en="Version 2 is out.",
        )
        language = user.language
        return {
            "user": user,
            "email": user.email,
            "activate_url": REQUEST_HOST + reverse("account_confirm_email", args=["nyckel"]),
            "password_reset_url": REQUEST_HOST
            + reverse("account_reset_password_from_key", kwargs={"uidb36": "1", "key": "k-1"}),
            "signup_url": REQUEST_HOST + reverse("account_signup"),
            "timestamp": timezone.now(),
            "from_email": "gammal@example.se",
            "to_email": user.email,
            "deleted_email": "gammal@example.se",
            "registration": registration,
            "notice": notice,
            "subject": in_language(notice, "subject", language),
            "body": in_language(notice, "body", language),
            "unsubscribe_url": absolute_url(reverse("registrations:unsubscribe", args=["token"])),
            "staff": False,
        }

    return make


def send(prefix, user, context, rf):
    mail.outbox.clear()
    if prefix.startswith(ALLAUTH_PREFIXES):
        with allauth_context.request_context(rf.get("/", HTTP_HOST="centiro.com")):
            get_adapter().send_mail(prefix, user.email, context)
    else:
        send_to_user(user, prefix, context)
    assert len(mail.outbox) == 1
    return mail.outbox[0]


def links(text):
    return re.findall(r"https?://[^\s<>\"']+", text)


def test_the_site_has_mails_to_check():
    prefixes = mail_prefixes()
    assert "account/email/email_confirmation_signup" in prefixes
    assert "registrations/email/registered" in prefixes
    assert "accounts/email/account_deleted" in prefixes


@pytest.mark.parametrize("prefix", mail_prefixes())
def test_mail_has_both_parts_in_each_language_in_the_site_layout(
    prefix, recipient, sample_context, rf
):
    for name in body_templates(prefix):
        origin = Path(get_template(name).origin.name)
        assert BASE_DIR in origin.parents, f"{name} is not the site's own template"

    messages = {}
    for language in ["sv", "en"]:
        user = recipient(language)
        message = send(prefix, user, sample_context(user), rf)
        html, mimetype = message.alternatives[0]
        messages[language] = (message.subject, message.body, html)

        assert message.to == [user.email]
        assert message.subject.strip()
        assert message.body.strip()
        assert mimetype == "text/html"
        assert f'<html lang="{language}">' in html
        assert "Centiro Solutions AB · Box 950" in html
        assert "Centiro Solutions AB, Box 950" in message.body
        with translation.override(language):
            policy_url = settings.SITE_URL + reverse("policy:current")
        assert f'href="{policy_url}"' in html
        assert policy_url in message.body

        hrefs = re.findall(r'href="([^"]*)"', html)
        assert all(h.startswith((settings.SITE_URL + "/", "mailto:")) for h in hrefs), hrefs
        body_links = links(message.body) + links(message.subject)
        assert all(link.startswith(settings.SITE_URL + "/") for link in body_links), body_links

    sv, en = messages["sv"], messages["en"]
    assert sv[0] != en[0], "the subject is not translated"
    assert sv[1] != en[1], "the text part is not translated"
    assert sv[2] != en[2], "the HTML part is not translated"
