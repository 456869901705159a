from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    name = "consent"
    verbose_name = _("Kakor och samtycke")

    def ready(self):
        from accounts.registry import register
        from consent import state, texts
        from consent.cookies import VISITOR_COOKIE
        from consent.middleware import forget_leftover_visitor
        from consent.personal_data import SECTION
        from core import warmup
        from pagecache import store as pagecache

        register(SECTION)
        # The banner depends on the visitor's choice, Sec-GPC and the texts' revision; the page
        # after a choice confirms it (`?consent=saved`).
        pagecache.register(key_part=state.summary, params=[state.CONFIRMATION[0]])
        pagecache.register(key_part=lambda request: texts.current_revision().revision)
        pagecache.register(on_hit=forget_leftover_visitor, cookies=[VISITOR_COOKIE])
        warmup.templates("consent/cookies.html")
