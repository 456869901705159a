from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    name = "consent"
    verbose_name = _("Kakor och samtycke")

    def ready(self):
        from accounts.registry import register
        from consent import state, texts
        from consent.cookies import CONSENT_COOKIE
        from consent.personal_data import SECTION
        from consent.state import chosen_under
        from core import warmup
        from core.cookies import declare
        from pagecache import store as pagecache
        from policy import services

        declare(CONSENT_COOKIE)
        register(SECTION)
        # The banner depends on the visitor's choice, Sec-GPC and the texts' revision; the page
        # after a choice confirms it (`?consent=saved`).
        pagecache.register(key_part=state.summary, params=[state.CONFIRMATION[0]])
        pagecache.register(key_part=lambda request: texts.current_revision().revision)
        warmup.templates("consent/cookies.html")
        services.read_choices_with(chosen_under)
