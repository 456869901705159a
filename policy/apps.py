from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "policy"
    verbose_name = _("Sekretesspolicy och kakor")

    def ready(self):
        from policy import consent

        consent.connect()
