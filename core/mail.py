"""Mail to one person, in their language, as HTML and plain text with the same content."""

import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from core import metrics


def absolute_url(path):
    return settings.SITE_URL + path


def render_text(template_name, context, request=None):
    """A mail's plain-text part or subject: rendered without HTML autoescaping (the `text`
    template engine), so `<`, `&` and quotes arrive as written. HTML parts are rendered as
    usual, escaped."""
    return render_to_string(template_name, context, request, using="text")


def send_to_user(user, template_prefix, context=None, *, headers=None, language=None):
    """Render `<prefix>_subject.txt`, `<prefix>.txt` and `<prefix>.html` and send them.

    Templates extend `email/base.html` / `email/base.txt`. The recipient's language
    (or `language`) is active while rendering, so links reversed inside the
    templates point to their language's pages.
    """
    language = language or getattr(user, "language", None) or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {"user": user, "site_url": settings.SITE_URL, **(context or {})}
        subject = " ".join(render_text(f"{template_prefix}_subject.txt", context).split())
        text = render_text(f"{template_prefix}.txt", context)
        html = render_to_string(f"{template_prefix}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers=headers or {},
    )
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except (smtplib.SMTPException, OSError):
        metrics.mail_failures.inc()
        raise
    return message
