from allauth.account.apps import AccountConfig
from allauth.mfa.apps import MFAConfig
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = _("Konton")

    def ready(self):
        from allauth.mfa.signals import authenticator_added

        from accounts.services import count_authenticator_activation_as_mfa

        authenticator_added.connect(count_authenticator_activation_as_mfa)


class CentiroAdminConfig(admin_apps.AdminConfig):
    """Django's admin on a site that lets staff in only through allauth, with a second factor."""

    default = False
    default_site = "accounts.admin_site.CentiroAdminSite"


# allauth's apps under names that say what their admin sections hold: its "Accounts" would read
# "Konton" like ours, and "MFA" is no Swedish word.
class EmailAddressesConfig(AccountConfig):
    default = False
    verbose_name = _("E-postadresser")


class SecondFactorConfig(MFAConfig):
    default = False
    verbose_name = _("Tvåstegsverifiering")
