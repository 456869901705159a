from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    name = "consent"
    verbose_name = _("Kakor och samtycke")

    def ready(self):
        from accounts.registry import register
        from consent.personal_data import SECTION
        from core import warmup

        register(SECTION)
        warmup.templates("consent/cookies.html")
