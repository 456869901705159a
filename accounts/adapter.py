import logging
import smtplib
from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import get_login_redirect_url
from allauth.core import context as allauth_context
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import translate_url
from django.utils import translation

from accounts import devices, services
from core import metrics
from core.mail import render_text
from core.net import safe_next

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email):
        return super().clean_email(email).strip().lower()

    def save_user(self, request, user, form, commit=True):
        user.language = form.cleaned_data["language"]
        user.country = form.cleaned_data["country"]
        return super().save_user(request, user, form, commit=commit)

    def pre_authenticate(self, request, **credentials):
        """allauth's failed sign-in limit, with known browsers counted apart (accounts.devices).

        allauth keys its per-address count on the credentials' address; a known browser's
        failures go under that address with a suffix no address can have.
        """
        address = credentials.get("email", "")
        if devices.is_known(request, address):
            credentials = {**credentials, "email": f"{address} known-device"}
        try:
            return super().pre_authenticate(request, **credentials)
        except ValidationError:
            metrics.rate_limit_rejections.labels("allauth.login_failed").inc()
            raise

    def post_login(self, request, user, *, redirect_url=None, signup=False, **kwargs):
        """Land on the `next` page in the user's own language where the page has one (a link
        from a Swedish page says /portal/, an English customer gets /en/portal/); allauth's
        "signed in" message is written in the language of the page that shows it."""
        default = get_login_redirect_url(request, signup=signup)
        target = _in_language(safe_next(request, redirect_url, default), user.language)
        with translation.override(_language_of(target)):
            response = super().post_login(
                request, user, redirect_url=target, signup=signup, **kwargs
            )
        devices.remember(response, user.email)
        return response

    def get_login_redirect_url(self, request):
        """Send the user to their own language's version of the site."""
        return _in_language(super().get_login_redirect_url(request), request.user.language)

    def is_reauthentication_required(self, *, app, **kwargs):
        """Setting up an authenticator straight after signing in asks for nothing more (staff
        are sent there by the admin); deleting the account still asks for the password."""
        request = self.request
        signed_in = request is not None and request.user.is_authenticated
        if app == "allauth.mfa" and signed_in and services.authenticated_recently(request):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def get_reauthentication_methods(self, user):
        """Staff with an authenticator confirm with it only: the admin needs a second factor,
        so a password or an emailed code would only lead back to the authenticator's page."""
        methods = super().get_reauthentication_methods(user)
        if user.is_authenticated and user.is_staff and is_mfa_enabled(user):
            methods = [method for method in methods if method["id"].startswith("mfa_")]
        return methods

    def send_mail(self, template_prefix, email, context):
        """Render and send in the recipient's language, links included.

        Links point to SITE_URL, the canonical host, whichever host the request came to.
        """
        language = self._recipient_language(email, context)
        context = {
            key: (
                _on_site(translate_url(value, language))
                if key.endswith("_url") and isinstance(value, str)
                else value
            )
            for key, value in context.items()
        }
        context["site_url"] = settings.SITE_URL
        with translation.override(language):
            try:
                super().send_mail(template_prefix, email, context)
            except (smtplib.SMTPException, OSError):
                # The account or reset request stands; the user can ask for the mail again
                # (signing in with an unverified address resends the verification).
                metrics.mail_failures.inc()
                logger.exception("Could not send the %s mail", template_prefix)

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        """allauth leaves the user out of the context; the language is theirs, also when the
        mail goes to an address they just left."""
        super().send_notification_mail(
            template_prefix, user, {"user": user, **(context or {})}, email
        )

    def render_mail(self, template_prefix, email, context, headers=None):
        """allauth's mails, their subject and plain text rendered as text, not HTML
        (core.mail.render_text), and an HTML part in the site's mail layout.

        Mails without their own `_message.html` get their plain text wrapped in
        `account/email/wrapper.html`, so every mail looks the same.
        """
        request = allauth_context.request
        subject = " ".join(render_text(f"{template_prefix}_subject.txt", context).split())
        subject = self.format_email_subject(subject)
        text = render_text(f"{template_prefix}_message.txt", context, request).strip()
        try:
            html = render_to_string(f"{template_prefix}_message.html", context, request)
        except TemplateDoesNotExist:
            # The text without its footer, which the HTML layout has itself.
            body = render_text(
                f"{template_prefix}_message.txt",
                {**context, "text_layout": "account/email/bare.txt"},
                request,
            ).strip()
            html = render_to_string(
                "account/email/wrapper.html", {**context, "subject": subject, "body": body}
            )
        message = EmailMultiAlternatives(
            subject,
            text,
            self.get_from_email(),
            [email] if isinstance(email, str) else email,
            headers=headers,
        )
        message.attach_alternative(html, "text/html")
        return message

    @staticmethod
    def _recipient_language(email, context):
        user = context.get("user")
        if user is None or not getattr(user, "pk", None):
            user = get_user_model().objects.filter(email__iexact=email).first()
        if user is not None:
            return user.language
        return translation.get_language() or settings.LANGUAGE_CODE


def _language_of(url):
    """The language a path on this site is shown in: its prefix, or the unprefixed default."""
    return translation.get_language_from_path(urlsplit(url).path) or settings.LANGUAGE_CODE


def _in_language(url, language):
    """`url` in `language` where the page exists in it, else `url` as it is; the path is read
    in its own language, whichever page the request came from."""
    with translation.override(_language_of(url)):
        return translate_url(url, language)


def _on_site(url):
    parts, site = urlsplit(url), urlsplit(settings.SITE_URL)
    return urlunsplit((site.scheme, site.netloc, parts.path, parts.query, parts.fragment))
