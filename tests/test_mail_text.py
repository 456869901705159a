"""Plain-text mail parts and subjects are not HTML: nothing in them is escaped (issue 24, item 6).

A product named `Produkt <b>x</b>` arrives as written in the subject and the text, and a URL's
`&` stays `&`; the HTML part of the same mail still escapes both.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.mail import render_text
from registrations.models import LicenceKey, ProductNotice
from registrations.notices import send_notice
from registrations.services import register_product

HOSTILE = "Produkt <b>x</b> & \"Co\" 'AB'"
URL = "https://www.centiro.se/x/?a=1&b=2"
ESCAPES = ("&lt;", "&gt;", "&amp;", "&quot;", "&#x27;", "&#39;")
TEMPLATES = sorted(
    path.relative_to(settings.BASE_DIR / "templates").as_posix()
    for path in Path(settings.BASE_DIR / "templates").glob("**/email/*.txt")
)


def assert_as_written(text):
    assert not [escape for escape in ESCAPES if escape in text], text


def test_every_plain_text_mail_template_is_found():
    names = set(TEMPLATES)
    # Bodies and subjects of each family of mails: the site's own, allauth's and allauth's MFA.
    for name in (
        "registrations/email/notice.txt",
        "registrations/email/notice_subject.txt",
        "registrations/email/registered.txt",
        "registrations/email/registered_subject.txt",
        "accounts/email/account_deleted.txt",
        "accounts/email/account_deleted_subject.txt",
        "account/email/email_confirmation_message.txt",
        "account/email/email_confirmation_subject.txt",
        "mfa/email/totp_activated_message.txt",
        "mfa/email/totp_activated_subject.txt",
    ):
        assert name in names


@pytest.mark.django_db
@pytest.mark.parametrize("template", TEMPLATES)
def test_each_plain_text_mail_template_renders_every_value_as_written(template, product):
    product.name_sv = HOSTILE
    registration = {
        "product": product,
        "licence_key": {"masked": "AB&C-••••"},
        "registered_at": timezone.now(),
        "purchase_date": datetime.date(2026, 1, 2),
    }
    notice = {"product": product}
    context = {
        "site_url": settings.SITE_URL,
        "subject": HOSTILE,
        "body": f"{HOSTILE}\n{URL}",
        "notice": notice,
        "registration": registration,
        "unsubscribe_url": URL,
        "staff": False,
        "email": "o'neil&co@example.se",
        "deleted_email": "o'neil&co@example.se",
        "from_email": "o'neil&co@example.se",
        "to_email": "<b>ny</b>@example.se",
        "activate_url": URL,
        "password_reset_url": URL,
        "signup_url": URL,
        "timestamp": timezone.now(),
    }

    text = render_text(template, context)

    assert_as_written(text)
    source = (settings.BASE_DIR / "templates" / template).read_text()
    if re.search(r"{{ (?!site_url|time )", source):  # the others are ours or dates
        assert any(value in text for value in (HOSTILE, URL, "o'neil&co", "<b>ny</b>"))


@pytest.fixture
def registrant(user_factory, product):
    product.name_sv = HOSTILE
    product.save()
    user = user_factory(email="kund@example.se", language="sv")
    LicenceKey.objects.create(product=product, key="CUSTOMER0001")
    return user


@pytest.mark.django_db
def test_a_notice_arrives_as_written_in_its_subject_and_text_and_escaped_in_html(
    registrant, product
):
    register_product(registrant, "CUSTOMER0001", updates_opt_in=True)
    mail.outbox.clear()
    notice = ProductNotice.objects.create(
        product=product,
        kind=ProductNotice.Kind.UPDATE,
        subject_sv=f"Nytt om {HOSTILE}",
        subject_en="News",
        body_sv=f"Läs mer: {URL}",
        body_en="Read more",
    )

    send_notice(notice)

    (message,) = mail.outbox
    assert message.subject == f"Nytt om {HOSTILE}"
    assert f"Nytt om {HOSTILE}" in message.body
    assert f"Läs mer: {URL}" in message.body
    assert f"nyheter om {HOSTILE}" in message.body
    assert_as_written(message.body)
    html = message.alternatives[0][0]
    assert "<b>x</b>" not in html
    assert "Produkt &lt;b&gt;x&lt;/b&gt; &amp;" in html
    assert "a=1&amp;b=2" in html


@pytest.mark.django_db
def test_the_registration_mail_names_the_product_as_written(
    registrant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        register_product(registrant, "CUSTOMER0001", updates_opt_in=False)

    (message,) = mail.outbox
    assert message.subject == f"Bekräftelse: {HOSTILE} är registrerad"
    assert f"Produkt: {HOSTILE}" in message.body
    assert_as_written(message.body)
    assert "Produkt &lt;b&gt;x&lt;/b&gt;" in message.alternatives[0][0]


@pytest.mark.django_db
def test_allauths_mails_are_plain_text_and_their_html_part_escaped(client):
    """allauth's mails go through AccountAdapter.render_mail: text as written, HTML escaped."""
    address = "o'neil&co@example.se"

    client.post(reverse("account_reset_password"), {"email": address})

    (message,) = mail.outbox
    assert message.subject == "Centiro: Inget konto med den här adressen"
    assert address in message.body
    assert_as_written(message.body)
    html = message.alternatives[0][0]
    assert "o&#x27;neil&amp;co@example.se" in html
    assert "&amp;amp;" not in html
