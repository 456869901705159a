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

        from accounts import usercache
        from accounts.devices import DEVICE_COOKIE
        from accounts.services import count_authenticator_activation_as_mfa
        from core.cookies import declare

        declare(DEVICE_COOKIE)
        authenticator_added.connect(count_authenticator_activation_as_mfa)
        usercache.connect()


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

    def ready(self):
        """Names allauth's authenticator model and its fields in words a translation reaches.

        allauth declares them as plain English strings, which the admin shows in titles,
        breadcrumbs, buttons, filters and the delete summary. Migrations are unaffected: they
        read the names declared in the source (`Meta.original_attrs`, a field's `_verbose_name`).
        """
        super().ready()
        meta = self.get_model("Authenticator")._meta
        meta.verbose_name = _("autentiseringsmetod")
        meta.verbose_name_plural = _("autentiseringsmetoder")
        for name, label in {
            "user": _("användare"),
            "type": _("typ"),
            "data": _("data"),
            "created_at": _("skapad"),
            "last_used_at": _("senast använd"),
        }.items():
            meta.get_field(name).verbose_name = label
