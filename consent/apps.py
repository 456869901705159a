from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    name = "consent"
    verbose_name = _("Kakor och samtycke")

    def ready(self):
        from accounts.registry import register
        from consent.cookies import CONSENT_COOKIE
        from consent.personal_data import SECTION
        from consent.state import chosen_under
        from core import warmup
        from core.cookies import declare
        from policy import services

        declare(CONSENT_COOKIE)
        register(SECTION)
        warmup.templates("consent/cookies.html")
        services.read_choices_with(chosen_under)
