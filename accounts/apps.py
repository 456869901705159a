from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Konton")

    def ready(self):
        from django.contrib import admin

        from accounts.admin_site import install

        install(admin.site)
