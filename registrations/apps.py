from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Produktregistreringar")

    def ready(self):
        from accounts.registry import register
        from registrations import portalcache
        from registrations.personal_data import SECTION

        register(SECTION)
        portalcache.connect()
