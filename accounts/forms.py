from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.mfa.base.forms import AuthenticateForm as AllauthAuthenticateForm
from allauth.mfa.base.forms import ReauthenticateForm as AllauthReauthenticateForm
from allauth.mfa.webauthn.forms import AddWebAuthnForm, EditWebAuthnForm
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import LazyTypedChoiceField

from accounts import collation, totp
from accounts.models import User

LANGUAGE_ERRORS = {
    "required": _("Välj språk."),
    "invalid_choice": _("Välj svenska eller engelska."),
}
COUNTRY_ERRORS = {
    "required": _("Välj land."),
    "invalid_choice": _("Välj ett land i listan."),
}


def language_field():
    return forms.ChoiceField(
        label=_("Språk"),
        choices=settings.LANGUAGES,
        error_messages=LANGUAGE_ERRORS,
        help_text=_("Sidor och e-post från oss visas på det här språket."),
    )


def country_field():
    return LazyTypedChoiceField(
        label=_("Land"),
        choices=[("", "---------"), *collation.sorted_countries()],
        error_messages=COUNTRY_ERRORS,
    )


class SignupForm(AllauthSignupForm):
    """Email, password, language and country: nothing else (see the policy)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        language = (get_language() or settings.LANGUAGE_CODE)[:2]
        self.fields["language"] = language_field()
        self.fields["country"] = country_field()
        max_length = User._meta.get_field("email").max_length
        self.fields["email"].validators.append(MaxLengthValidator(max_length))
        self.fields["email"].widget.attrs["maxlength"] = max_length
        self.initial.setdefault("language", language)
        if language == "sv":
            self.initial.setdefault("country", "SE")

    def try_save(self, request):
        """allauth skips the account when the address has one and sends the owner a mail instead
        (ACCOUNT_PREVENT_ENUMERATION). A new account's password is hashed in `save_user`, the
        slowest step of a sign-up; the taken branch hashes the password the same way and
        throws the hash away, so the response time does not tell the two apart
        (benchmarks/enumeration.py)."""
        if self.account_already_exists:
            User().set_password(self.cleaned_data["password1"])
        return super().try_save(request)

    def save(self, request):
        with transaction.atomic():
            return super().save(request)


class AccountSettingsForm(forms.ModelForm):
    """What a user may correct on the "my data" page."""

    link_visits = forms.BooleanField(
        label=_("Koppla min besökshistorik till mitt konto"),
        required=False,
        help_text=_(
            "Av som standard. När den är på kopplas sidorna du besöker med "
            "statistikkakan till ditt konto, så att de syns här. Stänger du av den tas "
            "kopplingarna bort; besöken finns kvar utan koppling till dig."
        ),
    )

    class Meta:
        model = User
        fields = ["language", "country"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"] = language_field()
        self.fields["country"] = country_field()
        self.initial["link_visits"] = self.instance.visit_link_consented_at is not None


def passkey_name_field(required):
    # allauth's field has no label (the page said "Name") and no length limit.
    return forms.CharField(
        label=_("Namn på inloggningsnyckeln"),
        max_length=100,
        required=required,
        help_text=_(
            "Så att du kan skilja dina inloggningsnycklar åt, till exempel ”Arbetsdatorn”."
        ),
    )


class AddPasskeyForm(AddWebAuthnForm):
    name = passkey_name_field(required=False)


class EditPasskeyForm(EditWebAuthnForm):
    name = passkey_name_field(required=True)


class CodeUsedMixin:
    """An authenticator-app code refused because it was used within its period says so, and
    to wait for the next one; allauth says "Incorrect code." (accounts/totp.py)."""

    def clean_code(self):
        try:
            return super().clean_code()
        except ValidationError as error:
            if error.code == "incorrect_code" and totp.is_current_code(
                self.user, self.cleaned_data.get("code", "")
            ):
                raise ValidationError(
                    _("Koden har redan använts. Vänta tills appen visar nästa kod och ange den."),
                    code="code_used",
                ) from error
            raise


class AuthenticateForm(CodeUsedMixin, AllauthAuthenticateForm):
    pass


class ReauthenticateForm(CodeUsedMixin, AllauthReauthenticateForm):
    pass
