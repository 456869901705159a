from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Konton")

    def ready(self):
        from allauth.mfa.signals import authenticator_added
        from django.contrib import admin

        from accounts.admin_site import install
        from accounts.services import count_authenticator_activation_as_mfa

        install(admin.site)
        authenticator_added.connect(count_authenticator_activation_as_mfa)
